import Foundation
import Manifests

/// One `metadata.managedFields` entry.
struct ManagedFieldsEntry: Sendable, Hashable {
    /// The field manager's name.
    var manager: String
    /// `Apply` or `Update`.
    var operation: String
    /// The API version the fields were written in.
    var apiVersion: String
    /// When the entry last changed, as written in the object.
    var time: String
    /// The subresource written (`status`), or `nil` for the main resource.
    var subresource: String?
    /// The owned fields.
    var fields: FieldSet

    /// Whether two entries belong to the same manager identity (manager, operation, subresource).
    func sameIdentity(_ other: ManagedFieldsEntry) -> Bool {
        manager == other.manager && operation == other.operation && subresource == other.subresource
    }
}

/// Field ownership: who set which field, as server-side apply records it in `managedFields`.
enum FieldManager {
    /// Metadata fields the server owns; they never appear in field sets.
    static let systemMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    /// The part of an object that field sets describe for a main-resource or status write.
    static func tracked(_ object: JSONObject, type: ResourceType, subresource: String?) -> JSONValue {
        var copy = object
        copy.entries.removeValue(forKey: "apiVersion")
        copy.entries.removeValue(forKey: "kind")
        if subresource == "status" { return .object(["status": copy["status"] ?? [:]]) }
        if type.hasStatus { copy.entries.removeValue(forKey: "status") }
        var meta = copy.metadata
        for field in systemMetadata { meta.entries.removeValue(forKey: field) }
        if meta.isEmpty { copy.entries.removeValue(forKey: "metadata") } else { copy.metadata = meta }
        return .object(copy)
    }

    /// The entries recorded in an object.
    static func entries(of object: JSONObject?) -> [ManagedFieldsEntry] {
        (object?.metadata["managedFields"]?.arrayValue ?? []).compactMap { entry in
            guard let manager = entry["manager"]?.stringValue else { return nil }
            return ManagedFieldsEntry(
                manager: manager, operation: entry["operation"]?.stringValue ?? "Update",
                apiVersion: entry["apiVersion"]?.stringValue ?? "", time: entry["time"]?.stringValue ?? "",
                subresource: entry["subresource"]?.stringValue, fields: FieldSet(fieldsV1: entry["fieldsV1"] ?? [:]))
        }
    }

    /// The entries an update or patch sets through `metadata.managedFields`, as the API server
    /// takes them: nil (keep the live ones) when the field is absent or its entries own nothing;
    /// empty (reset) for `[]` or `[{}]`; otherwise the given entries. kubectl's move from
    /// client-side to server-side apply rewrites ownership this way.
    static func requestedEntries(_ value: JSONValue?) -> [ManagedFieldsEntry]? {
        guard let value, let items = value.arrayValue else { return nil }
        if items.isEmpty || (items.count == 1 && items[0] == [:]) { return [] }
        let decoded = entries(of: ["metadata": ["managedFields": value]])
        return decoded.contains { !$0.fields.isEmpty } ? decoded : nil
    }

    /// Writes entries into an object, dropping empty ones.
    static func store(_ entries: [ManagedFieldsEntry], in object: inout JSONObject) {
        let kept = entries.filter { !$0.fields.isEmpty }
        guard !kept.isEmpty else {
            object.setMeta("managedFields", nil)
            return
        }
        object.setMeta(
            "managedFields",
            .array(
                kept.map { entry in
                    var value: JSONObject = [
                        "manager": .string(entry.manager), "operation": .string(entry.operation),
                        "apiVersion": .string(entry.apiVersion), "time": .string(entry.time), "fieldsType": "FieldsV1",
                        "fieldsV1": entry.fields.fieldsV1,
                    ]
                    if let subresource = entry.subresource { value["subresource"] = .string(subresource) }
                    return .object(value)
                }))
    }

    /// Records a non-apply write: `manager` takes the fields it changed, removed fields lose owners.
    ///
    /// The entries start from `base` when the request set `metadata.managedFields` (see
    /// `requestedEntries`), from the live object's otherwise.
    static func recordUpdate(
        old: JSONObject?, new: JSONObject, manager: String, type: ResourceType, subresource: String?, now: Date,
        base: [ManagedFieldsEntry]? = nil
    ) -> JSONObject {
        let oldValue = old.map { tracked($0, type: type, subresource: subresource) }
        let newValue = tracked(new, type: type, subresource: subresource)
        let oldSet = oldValue.map(FieldSet.init(of:)) ?? FieldSet()
        let newSet = FieldSet(of: newValue)
        let newLeaves = newSet.leaves
        let changed = newSet.members.filter { path in
            let before = oldValue?.value(at: path)
            return newLeaves.contains(path) ? before != newValue.value(at: path) : before == nil
        }
        let removed = oldSet.members.subtracting(newSet.members)
        var entries = base ?? entries(of: old)
        for index in entries.indices {
            entries[index].fields.members.subtract(changed)
            entries[index].fields.members.subtract(removed)
        }
        let mine = ManagedFieldsEntry(
            manager: manager, operation: "Update", apiVersion: type.apiVersion, time: Timestamp.string(now),
            subresource: subresource, fields: FieldSet(changed))
        if let index = entries.firstIndex(where: { $0.sameIdentity(mine) }) {
            if !changed.isEmpty {
                entries[index].fields.members.formUnion(changed)
                entries[index].time = mine.time
                entries[index].apiVersion = mine.apiVersion
            }
        } else if !changed.isEmpty {
            entries.append(mine)
        }
        var result = new
        store(entries, in: &result)
        return result
    }
}
