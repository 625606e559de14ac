import Foundation
import Manifests

/// Preconditions a DELETE may carry in its `DeleteOptions`.
struct DeletePreconditions: Sendable {
    /// The uid the object must have.
    var uid: String?
    /// The resourceVersion the object must have.
    var resourceVersion: String?
}

extension ClusterStore {
    /// Deletes an object (DELETE); objects with finalizers are only marked with `deletionTimestamp`.
    func delete(
        _ type: ResourceType, namespace: String, name: String, preconditions: DeletePreconditions, options: WriteOptions
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
        if !object.finalizers.isEmpty {
            if object.isTerminating { return object }
            var marked = object
            marked.setMeta("deletionTimestamp", .string(Timestamp.string(now())))
            marked.setMeta("deletionGracePeriodSeconds", .int(0))
            return present(commit(type, marked, isNew: false), as: type)
        }
        return present(remove(type, namespace: namespace, name: name) ?? object, as: type)
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
