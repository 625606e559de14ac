import Manifests

/// One field where the live object differs from what Git asks for.
public struct FieldDifference: Sendable, Hashable, CustomStringConvertible {
    /// The field as a JSON pointer, e.g. `/spec/replicas` or `/spec/template/spec/containers/name=web/image`
    /// (list items matched by key are named `key=value`).
    public var path: String
    /// What Git asks for (`nil`: the field should be absent).
    public var desired: JSONValue?
    /// What the cluster has (`nil`: the field is absent).
    public var live: JSONValue?

    public var description: String { path }
}

/// Compares the fields a desired object sets with the live object, the way server-side apply
/// makes them equal: fields the desired object does not set (defaults, status, fields of other
/// managers) are not drift. Quantities compare by value, an integer equals the same number
/// written as a string (int-or-string), `null` equals absent, and an empty map or list equals
/// an absent one.
public enum Drift {
    /// Metadata the API server owns; never compared.
    static let serverOwnedMetadata: Set<String> = [
        "resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp",
        "deletionGracePeriodSeconds", "ownerReferences",
    ]

    /// Field names under which strings are resource quantities.
    static let quantityParents: Set<String> = ["limits", "requests", "hard", "capacity", "allocatable", "overhead", "storage"]

    /// Every difference, with paths in `ignoring` (JSON pointers) left out.
    public static func differences(desired: Manifest, live: Manifest, ignoring: [String] = []) -> [FieldDifference] {
        var out: [FieldDifference] = []
        for (key, value) in desired.object where key != "status" {
            let liveValue = live.object[key]
            if key == "metadata", case .object(let metadata) = value {
                var filtered = metadata
                for field in serverOwnedMetadata { filtered[field] = nil }
                compare(.object(filtered), liveValue, path: "/metadata", key: "metadata", inQuantities: false, into: &out)
            } else {
                compare(value, liveValue, path: "/" + escape(key), key: key, inQuantities: false, into: &out)
            }
        }
        guard !ignoring.isEmpty else { return out }
        return out.filter { difference in !ignoring.contains { difference.path == $0 || difference.path.hasPrefix($0 + "/") } }
    }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func isEmpty(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null: true
        case .object(let o): o.isEmpty
        case .array(let a): a.isEmpty
        default: false
        }
    }

    /// `key` names the compared value in its parent; `inQuantities` says the parent is a map of
    /// resource quantities (`limits`, `requests`…).
    static func compare(
        _ desired: JSONValue, _ live: JSONValue?, path: String, key: String, inQuantities: Bool, into out: inout [FieldDifference]
    ) {
        switch (desired, live) {
        case (.null, _):
            if !isEmpty(live) { out.append(FieldDifference(path: path, desired: nil, live: live)) }
        case (.object(let want), .object(let have)):
            for (child, value) in want {
                compare(value, have[child], path: path + "/" + escape(child), key: child, inQuantities: quantityParents.contains(key), into: &out)
            }
        case (.object, nil), (.array, nil), (.object, .null), (.array, .null):
            if !isEmpty(desired) { out.append(FieldDifference(path: path, desired: desired, live: live)) }
        case (.array(let want), .array(let have)):
            compareLists(want, have, path: path, key: key, into: &out)
        default:
            if !scalarsEqual(desired, live, inQuantities: inQuantities) { out.append(FieldDifference(path: path, desired: desired, live: live)) }
        }
    }

    static func compareLists(_ want: [JSONValue], _ have: [JSONValue], path: String, key listKey: String, into out: inout [FieldDifference]) {
        if let key = mergeKey(want, field: listKey), have.allSatisfy({ $0[key] != nil }) {
            for item in want {
                let id = item[key]!
                let label = "\(key)=\(id.stringValue ?? JSONWriter.compact(id))"
                if let match = have.first(where: { $0[key] == id }) {
                    compare(item, match, path: path + "/" + escape(label), key: listKey, inQuantities: false, into: &out)
                } else {
                    out.append(FieldDifference(path: path + "/" + escape(label), desired: item, live: nil))
                }
            }
            return
        }
        // An atomic list: same length, each item equal in the fields it sets.
        guard want.count == have.count else { return out.append(FieldDifference(path: path, desired: .array(want), live: .array(have))) }
        var itemDifferences: [FieldDifference] = []
        for (index, (item, match)) in zip(want, have).enumerated() {
            compare(item, match, path: path + "/\(index)", key: listKey, inQuantities: false, into: &itemDifferences)
        }
        out += itemDifferences
    }

    /// The merge key for a list of objects that all carry one key, unique among them: the
    /// list's own key when `ListSemantics` knows its field, else the first of the table's keys
    /// that fits (a custom resource's keyed list, whose schema is not known here).
    static func mergeKey(_ items: [JSONValue], field: String) -> String? {
        guard !items.isEmpty, items.allSatisfy({ $0.objectValue != nil }) else { return nil }
        let known = ListSemantics.rule(field: field, items: items).map { [$0.mergeKey] } ?? []
        return (known + ListSemantics.mergeKeys).first { key in
            let ids = items.compactMap { $0[key] }
            return ids.count == items.count && Set(ids).count == ids.count
        }
    }

    static func scalarsEqual(_ desired: JSONValue, _ live: JSONValue?, inQuantities: Bool) -> Bool {
        guard let live else { return false }
        if desired == live { return true }
        let text: (JSONValue) -> String? = { value in
            switch value {
            case .string(let s): s
            case .number(let n): n.description
            default: nil
            }
        }
        guard let a = text(desired), let b = text(live) else { return false }
        if inQuantities, let x = Quantity(a), let y = Quantity(b) { return x.value == y.value }
        // int-or-string: 8080 and "8080" are the same port.
        if case .number = desired, case .string = live { return a == b }
        if case .string = desired, case .number = live { return a == b }
        return false
    }
}
