import Foundation
import Manifests

/// What deleting an owner does to its dependents (`DeleteOptions.propagationPolicy`).
enum PropagationPolicy: String, Sendable {
    case orphan = "Orphan"
    case background = "Background"
    case foreground = "Foreground"
}

/// Preconditions a DELETE may carry in its `DeleteOptions`.
struct DeletePreconditions: Sendable {
    /// The uid the object must have.
    var uid: String?
    /// The resourceVersion the object must have.
    var resourceVersion: String?
}

/// A DELETE's `DeleteOptions`, from its body and query.
struct DeleteOptions: Sendable {
    /// `dryRun` and the field manager.
    var write: WriteOptions
    var preconditions = DeletePreconditions()
    var propagation = PropagationPolicy.background
}

extension ClusterStore {
    /// Deletes an object (DELETE); objects with finalizers are only marked with `deletionTimestamp`.
    func delete(
        _ type: ResourceType, namespace: String, name: String, preconditions: DeletePreconditions, options: WriteOptions,
        propagation: PropagationPolicy = .background
    ) throws(APIError) -> JSONObject {
        let object = try get(type, namespace: namespace, name: name)
        if let uid = preconditions.uid, uid != object.meta("uid") {
            throw APIError(
                .conflict,
                "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.meta("uid") ?? "")",
                group: type.group, plural: type.plural, name: name)
        }
        if let rv = preconditions.resourceVersion, rv != object.meta("resourceVersion") {
            throw APIError(
                .conflict,
                "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(object.meta("resourceVersion") ?? "")",
                group: type.group, plural: type.plural, name: name)
        }
        if options.dryRun { return object }
        if type.group.isEmpty && type.kind == "Namespace" { return terminateNamespace(object, type: type) }
        if propagation == .foreground && !object.isTerminating {
            // As the API server answers: the owner, marked and held by foregroundDeletion until
            // the dependents that block it are gone (here at once, unless a finalizer holds one).
            var marked = object
            marked.setMeta("deletionTimestamp", .string(Timestamp.string(now())))
            marked.setMeta("deletionGracePeriodSeconds", .int(0))
            marked.setMeta("finalizers", .array((object.finalizers + [Self.foregroundFinalizer]).map { .string($0) }))
            let committed = commit(type, marked, isNew: false)
            collectDependents(of: committed, policy: .foreground)
            releaseForeground(type, namespace: namespace, name: name)
            return present(committed, as: type)
        }
        if !object.finalizers.isEmpty {
            if object.isTerminating { return object }
            var marked = object
            marked.setMeta("deletionTimestamp", .string(Timestamp.string(now())))
            marked.setMeta("deletionGracePeriodSeconds", .int(0))
            return present(commit(type, marked, isNew: false), as: type)
        }
        let removed = present(remove(type, namespace: namespace, name: name) ?? object, as: type)
        collectDependents(of: removed, policy: propagation)
        releaseOwners(of: removed)
        return removed
    }

    /// The finalizer that holds an owner deleted in the foreground until its blocking dependents are gone.
    static let foregroundFinalizer = "foregroundDeletion"

    /// Finishes a foreground deletion once no dependent with `blockOwnerDeletion` is left: the
    /// finalizer goes, and the owner with it unless another finalizer holds it.
    func releaseForeground(_ type: ResourceType, namespace: String, name: String) {
        guard let owner = objects[type.storageID]?[ObjectName(namespace: namespace, name: name)], owner.isTerminating,
            owner.finalizers.contains(Self.foregroundFinalizer), let uid = owner.meta("uid"), !hasBlockingDependents(uid: uid, of: owner)
        else { return }
        var released = owner
        let rest = owner.finalizers.filter { $0 != Self.foregroundFinalizer }
        released.setMeta("finalizers", rest.isEmpty ? nil : .array(rest.map { .string($0) }))
        if rest.isEmpty {
            commit(type, released, isNew: false)
            if let removed = remove(type, namespace: namespace, name: name) { releaseOwners(of: removed) }
        } else {
            commit(type, released, isNew: false)
        }
    }

    /// After `object` is gone: the owners it kept in a foreground deletion may go now.
    func releaseOwners(of object: JSONObject) {
        for reference in object.metadata["ownerReferences"]?.arrayValue ?? [] {
            guard let apiVersion = reference["apiVersion"]?.stringValue, let kind = reference["kind"]?.stringValue,
                let name = reference["name"]?.stringValue, let type = catalog.lookup(apiVersion: apiVersion, kind: kind)
            else { continue }
            releaseForeground(type, namespace: type.namespaced ? object.namespace : "", name: name)
        }
    }

    /// Whether any object still refers to `uid` as an owner it blocks from deletion.
    private func hasBlockingDependents(uid: String, of owner: JSONObject) -> Bool {
        catalog.all.contains { type in
            all(type, namespace: type.namespaced && !owner.namespace.isEmpty ? owner.namespace : nil).contains { dependent in
                (dependent.metadata["ownerReferences"]?.arrayValue ?? []).contains {
                    $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"]?.boolValue == true
                }
            }
        }
    }

    /// The garbage collector's part: objects whose `ownerReferences` name a deleted owner (or one
    /// being deleted in the foreground) are deleted with it, or keep living without that
    /// reference (Orphan).
    func collectDependents(of owner: JSONObject, policy: PropagationPolicy) {
        guard let uid = owner.meta("uid") else { return }
        for type in catalog.all {
            // Namespaced owners only own objects in their namespace; cluster-scoped ones own any.
            for dependent in all(type, namespace: type.namespaced && !owner.namespace.isEmpty ? owner.namespace : nil) {
                let references = dependent.metadata["ownerReferences"]?.arrayValue ?? []
                guard references.contains(where: { $0["uid"]?.stringValue == uid }) else { continue }
                switch policy {
                case .orphan:
                    var orphaned = dependent
                    let kept = references.filter { $0["uid"]?.stringValue != uid }
                    orphaned.setMeta("ownerReferences", kept.isEmpty ? nil : .array(kept))
                    _ = commit(type, orphaned, isNew: false)
                case .background, .foreground:
                    _ = try? delete(
                        type, namespace: dependent.namespace, name: dependent.name, preconditions: DeletePreconditions(),
                        options: WriteOptions(), propagation: policy)
                }
            }
        }
    }

    /// Marks a namespace terminating and deletes everything in it; it goes once it is empty.
    func terminateNamespace(_ namespace: JSONObject, type: ResourceType) -> JSONObject {
        var marked = namespace
        if !marked.isTerminating {
            marked.setMeta("deletionTimestamp", .string(Timestamp.string(now())))
            marked["status"] = ["phase": "Terminating"]
            marked = commit(type, marked, isNew: false)
        }
        for contained in catalog.all where contained.namespaced {
            for object in all(contained, namespace: namespace.name) {
                _ = try? delete(
                    contained, namespace: namespace.name, name: object.name, preconditions: DeletePreconditions(),
                    options: WriteOptions())
            }
        }
        finishNamespaceIfEmpty(namespace.name)
        return present(marked, as: type)
    }

    /// Removes a terminating namespace once nothing is left in it.
    func finishNamespaceIfEmpty(_ name: String) {
        let type = BuiltinResources.all[0]
        guard let namespace = objects[type.storageID]?[ObjectName(namespace: "", name: name)], namespace.isTerminating else {
            return
        }
        let occupied = objects.contains { storageID, byName in
            storageID != type.storageID && byName.keys.contains { $0.namespace == name }
        }
        if !occupied { remove(type, namespace: "", name: name) }
    }
}
