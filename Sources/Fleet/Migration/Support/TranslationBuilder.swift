import Controller
import Manifests

/// Collects translated objects: checks each parses as the Keelson kind it claims to be, keeps
/// the first of two objects with one identity, and orders the result.
struct TranslationBuilder {
    private var objects: [Manifest] = []
    private var origins: [ResourceKey: String] = [:]
    private(set) var unsupported: [Unsupported] = []
    private(set) var failures: [TranslationFailure] = []

    /// Records what `object` reported.
    mutating func record(_ object: ObjectTranslation) { unsupported += object.unsupported }

    /// Records a failure of a whole object.
    mutating func fail(_ failure: TranslationFailure) { failures.append(failure) }

    /// Adds a Keelson object translated from `object`, unless it does not parse or another
    /// object already took its identity.
    mutating func add(_ manifest: Manifest, from object: ObjectTranslation) {
        if let problem = Self.validate(manifest) {
            failures.append(object.failure(problem.field, "the translated \(manifest.kind) is invalid: \(problem.message)"))
            return
        }
        if let first = origins[manifest.key] {
            failures.append(
                object.failure(
                    "metadata.name",
                    "\(manifest.kind) \(manifest.namespace)/\(manifest.name) was already translated from \(first); this one is left out"))
            return
        }
        origins[manifest.key] = object.object
        objects.append(manifest)
    }

    /// Whether an Application or Project of that identity was added.
    func contains(_ key: ResourceKey) -> Bool { origins[key] != nil }

    /// The translation: Projects, then Applications, then ApplicationSets, each by namespace and name.
    func finished() -> Translation {
        let order = [Project.kind: 0, Application.kind: 1]
        let sorted = objects.sorted {
            (order[$0.kind] ?? 2, $0.namespace, $0.name) < (order[$1.kind] ?? 2, $1.namespace, $1.name)
        }
        return Translation(objects: sorted, unsupported: unsupported, failures: failures)
    }

    /// The first problem `Application(_:)`, `Project(_:)` or `ApplicationSet(_:)` finds in `manifest`.
    static func validate(_ manifest: Manifest) -> (field: String, message: String)? {
        do throws(ApplicationError) {
            switch manifest.kind {
            case Project.kind: _ = try Project(manifest)
            case "ApplicationSet":
                do { _ = try ApplicationSet(manifest) } catch { return (error.field, error.message) }
            default: _ = try Application(manifest)
            }
            return nil
        } catch {
            return (error.field, error.message)
        }
    }

    /// A Keelson object of `kind` named `name` in `namespace`, annotated with what it was translated
    /// from, with `finalizers` (Keelson's own) when given.
    static func object(
        kind: String, apiVersion: String, name: String, namespace: String, from object: ObjectTranslation, spec: JSONObject,
        labels: JSONObject = [:], annotations: JSONObject = [:], finalizers: [String] = []
    ) -> Manifest {
        var metadata: JSONObject = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(labels) }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map(JSONValue.string)) }
        var allAnnotations = annotations
        allAnnotations[TranslatedFrom.annotation] = .string(object.object)
        metadata["annotations"] = .object(allAnnotations)
        return Manifest(unchecked: ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .object(metadata), "spec": .object(spec)])
    }
}

extension JSONValue {
    /// Removes the value at `path`, when there is one.
    fileprivate mutating func remove(path: [String]) {
        guard let first = path.first else { return }
        _ = withObject { object in
            if path.count == 1 {
                object[first] = nil
            } else {
                object[first]?.remove(path: Array(path.dropFirst()))
            }
        }
    }
}

extension JSONObject {
    /// The same entries with the keys in `first` moved to the front, in that order.
    func reordered(first: [String]) -> JSONObject {
        var result: JSONObject = [:]
        for key in first { if let value = self[key] { result[key] = value } }
        for (key, value) in self where result[key] == nil { result[key] = value }
        return result
    }
}
