import Foundation
import Manifests

/// What to do to the target Secret after a fetch: a pure decision from the ExternalSecret's
/// policies, what was fetched and rendered, and the Secret as it is.
public enum TargetAction: Sendable, Hashable {
    /// `creationPolicy: None`: nothing is written.
    case nothing
    /// The Secret is already as it should be.
    case unchanged
    /// Create this Secret.
    case create(Manifest)
    /// Replace the Secret with this one (its resourceVersion guards against a lost update).
    case update(Manifest)
    /// Delete the Secret (`deletionPolicy: Delete`, every value gone).
    case delete
}

/// The decision of `TargetAction`, one rule per policy.
public enum TargetPlan {
    /// The label on every Secret an ExternalSecret created: its name. Only such Secrets are deleted.
    public static let managedLabel = "externalsecrets.keelson.dev/name"

    /// The object that owns the target under `creationPolicy: Owner`.
    public struct Owner: Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var name: String
        public var uid: String
        /// Creates an owner.
        public init(apiVersion: String, kind: String, name: String, uid: String) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.uid = uid
        }
    }

    /// Decides what to write. Throws when the policies forbid the write (a Merge target that does
    /// not exist, a Secret owned by another object, an immutable Secret whose data would change).
    public static func plan(
        _ externalSecret: ExternalSecret, owner: Owner, rendered: RenderedSecret, fetched: FetchedData, existing: Manifest?
    ) throws(TargetPlanError) -> TargetAction {
        let target = externalSecret.target
        let subject = "Secret \(externalSecret.namespace)/\(externalSecret.secretName)"
        guard target.creationPolicy != .none else { return .nothing }
        // As ESO: a fetch that asked for values and found none (every secret gone, or a find that
        // matches nothing) never empties the Secret. Retain keeps it, Delete deletes it (when it is
        // this ExternalSecret's), Merge removes the vanished keys below.
        let requested = !externalSecret.data.isEmpty || !externalSecret.dataFrom.isEmpty
        if requested && fetched.values.isEmpty {
            switch target.deletionPolicy {
            case .retain:
                return .unchanged
            case .delete:
                guard let existing, existing.labels[managedLabel] == externalSecret.name else { return .unchanged }
                return .delete
            case .merge:
                break
            }
        }
        // Under deletionPolicy Merge, the keys whose secrets vanished leave the Secret.
        let removed = target.deletionPolicy == .merge ? Set(fetched.missing) : []
        switch target.creationPolicy {
        case .none:
            return .nothing
        case .merge:
            guard let existing else {
                throw TargetPlanError(message: "\(subject) does not exist; creationPolicy Merge only writes into an existing Secret")
            }
            var data = existing.object["data"]?.objectValue ?? [:]
            for key in removed { data[key] = nil }
            for (key, value) in rendered.data.sorted(by: { $0.key < $1.key }) { data[key] = .string(Data(value).base64EncodedString()) }
            var desired = existing
            desired.object["data"] = .object(data)
            for (key, value) in rendered.labels { desired.setLabel(key, value) }
            for (key, value) in rendered.annotations { desired.setAnnotation(key, value) }
            return try change(existing: existing, desired: desired, subject: subject)
        case .owner, .orphan:
            var data = JSONObject()
            for (key, value) in rendered.data.sorted(by: { $0.key < $1.key }) where !removed.contains(key) {
                data[key] = .string(Data(value).base64EncodedString())
            }
            var desired =
                existing
                ?? Manifest(unchecked: [
                    "apiVersion": "v1", "kind": "Secret",
                    "metadata": ["name": .string(externalSecret.secretName), "namespace": .string(externalSecret.namespace)],
                ])
            if let existing, target.creationPolicy == .owner, let other = controller(of: existing), other["uid"]?.stringValue != owner.uid {
                let kind = other["kind"]?.stringValue ?? "object"
                throw TargetPlanError(
                    message: "\(subject) is owned by \(kind) \(other["name"]?.stringValue ?? ""); it is not this ExternalSecret's to write")
            }
            desired.object["type"] = .string(existing?.object["type"]?.stringValue ?? rendered.type)
            desired.object["data"] = .object(data)
            desired.object["stringData"] = nil
            if target.immutable { desired.object["immutable"] = true }
            for (key, value) in rendered.labels { desired.setLabel(key, value) }
            for (key, value) in rendered.annotations { desired.setAnnotation(key, value) }
            desired.setLabel(managedLabel, externalSecret.name)
            if target.creationPolicy == .owner {
                var references = (desired.metadata["ownerReferences"]?.arrayValue ?? []).filter { $0["uid"]?.stringValue != owner.uid }
                references.append([
                    "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
                    "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
                ])
                desired.setMetadata("ownerReferences", .array(references))
            }
            guard let existing else { return .create(desired) }
            return try change(existing: existing, desired: desired, subject: subject)
        }
    }

    /// `update`, `unchanged`, or an error for an immutable Secret whose data would change.
    static func change(existing: Manifest, desired: Manifest, subject: String) throws(TargetPlanError) -> TargetAction {
        guard desired != existing else { return .unchanged }
        if existing.object["immutable"]?.boolValue == true && existing.object["data"] != desired.object["data"] {
            throw TargetPlanError(message: "\(subject) is immutable; its data cannot change")
        }
        return .update(desired)
    }

    /// The controller owner reference of `secret`.
    static func controller(of secret: Manifest) -> JSONValue? {
        secret.metadata["ownerReferences"]?.arrayValue?.first { $0["controller"]?.boolValue == true }
    }
}

/// A write the target's policies forbid.
public struct TargetPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the Secret.
    public var message: String
    public var description: String { message }
}
