import Manifests

/// The diff a change set shows for one object: the fields Git sets, live against desired,
/// with Secret values masked.
enum ObjectDiffer {
    static func diff(live: Manifest?, desired: Manifest, fields: [String]) -> String {
        var masker = SecretMasker()
        let after = masker.mask(desired)
        guard let live else {
            return LineDiff.unified(old: "", new: YAMLEncoder.encode(after.value), oldName: "/dev/null", newName: "desired/\(desired.key)")
        }
        // Show only what Git sets: project the live object onto the desired object's fields.
        let projected = Manifest(unchecked: project(live.object, onto: desired.object), source: nil)
        let before = masker.mask(projected)
        return LineDiff.unified(
            old: YAMLEncoder.encode(before.value), new: YAMLEncoder.encode(after.value), oldName: "live/\(desired.key)",
            newName: "desired/\(desired.key)")
    }

    /// `live` restricted to the keys `desired` has, recursively (lists are kept whole).
    static func project(_ live: JSONObject, onto desired: JSONObject) -> JSONObject {
        var out = JSONObject()
        for (key, want) in desired {
            guard let have = live[key] else { continue }
            if case .object(let wantObject) = want, case .object(let haveObject) = have {
                out[key] = .object(project(haveObject, onto: wantObject))
            } else {
                out[key] = have
            }
        }
        return out
    }
}
