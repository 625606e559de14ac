import Foundation
import Manifests

extension FieldManager {
    /// Server-side apply: merges `config` into `live` as `manager`, enforcing field ownership.
    ///
    /// Fields another manager owns with a different value conflict unless `force`; fields this
    /// manager applied before but no longer applies are removed when nobody else owns them.
    static func apply(
        live: JSONObject?, config: JSONObject, manager: String, force: Bool, type: ResourceType,
        subresource: String?, now: Date
    ) throws(APIError) -> JSONObject {
        let applied = tracked(config, type: type, subresource: subresource)
        let appliedSet = FieldSet(of: applied)
        var entries = entries(of: live)
        let mine = ManagedFieldsEntry(
            manager: manager, operation: "Apply", apiVersion: type.apiVersion, time: Timestamp.string(now),
            subresource: subresource, fields: appliedSet)
        let previous = entries.first { $0.sameIdentity(mine) }?.fields ?? FieldSet()
        let liveValue = live.map { tracked($0, type: type, subresource: subresource) } ?? [:]

        var conflicts: [(manager: String, apiVersion: String, path: FieldPath)] = []
        for (index, entry) in entries.enumerated() where !entry.sameIdentity(mine) && entry.subresource == subresource {
            let owned = appliedSet.leaves.intersection(entry.fields.members)
            // An empty granular map only states presence; its entries, not the map, carry values.
            let differing = owned.filter { path in
                let value = applied.value(at: path)
                if case .object(let object)? = value, !ListSemantics.isAtomicObject(object) { return false }
                return liveValue.value(at: path) != value
            }
            guard !differing.isEmpty else { continue }
            if force {
                entries[index].fields.members.subtract(differing)
            } else {
                conflicts += differing.map { (entry.manager, entry.apiVersion, $0) }
            }
        }
        if !conflicts.isEmpty { throw conflictError(conflicts, type: type, name: config.name) }

        var merged = JSONValue.object(live ?? [:])
        merged = mergeApplied(live: merged, config: .object(config), fieldName: "")
        let others = entries.filter { !$0.sameIdentity(mine) }
        let stale = previous.members.subtracting(appliedSet.members)
        for path in stale.sorted(by: { $0.count > $1.count })
        where !others.contains(where: { $0.fields.touches(path) }) && !appliedSet.touches(path) {
            merged = merged.removing(path)
        }
        var result = merged.objectValue ?? [:]
        entries.removeAll { $0.sameIdentity(mine) }
        entries.append(mine)
        store(entries, in: &result)
        return result
    }

    /// Merges an applied configuration into a live value: objects field by field, keyed lists
    /// item by item, everything else replaced.
    static func mergeApplied(live: JSONValue?, config: JSONValue, fieldName: String) -> JSONValue {
        switch (live, config) {
        case (.object(var liveObject)?, .object(let configObject)) where !ListSemantics.isAtomicObject(configObject):
            for (name, value) in configObject {
                liveObject[name] = mergeApplied(live: liveObject[name], config: value, fieldName: name)
            }
            return .object(liveObject)
        case (.array(var liveItems)?, .array(let configItems)):
            if ListSemantics.isSet(field: fieldName) {
                for item in configItems where !liveItems.contains(item) { liveItems.append(item) }
                return .array(liveItems)
            }
            guard let keys = ListSemantics.rule(field: fieldName, items: configItems + liveItems)?.mapKeys else { return config }
            for item in configItems {
                let key = ListSemantics.itemKey(item, keys: keys)
                if let index = liveItems.firstIndex(where: { ListSemantics.itemKey($0, keys: keys) == key }) {
                    liveItems[index] = mergeApplied(live: liveItems[index], config: item, fieldName: "")
                } else {
                    liveItems.append(item)
                }
            }
            return .array(liveItems)
        default:
            return config
        }
    }

    private static func conflictError(
        _ conflicts: [(manager: String, apiVersion: String, path: FieldPath)], type: ResourceType, name: String
    ) -> APIError {
        let sorted = conflicts.sorted { ($0.manager, $0.path.pathString) < ($1.manager, $1.path.pathString) }
        let causes = sorted.map {
            APIError.Cause(
                reason: "FieldManagerConflict", message: "conflict with \"\($0.manager)\" using \($0.apiVersion)",
                field: $0.path.pathString)
        }
        let detail: String
        if sorted.count == 1 {
            detail = "conflict with \"\(sorted[0].manager)\" using \(sorted[0].apiVersion): \(sorted[0].path.pathString)"
        } else {
            var lines: [String] = []
            for manager in Set(sorted.map(\.manager)).sorted() {
                let mine = sorted.filter { $0.manager == manager }
                lines.append("conflicts with \"\(manager)\" using \(mine[0].apiVersion):")
                lines += mine.map { "- \($0.path.pathString)" }
            }
            detail = lines.joined(separator: "\n")
        }
        let noun = sorted.count == 1 ? "conflict" : "conflicts"
        return APIError(
            .conflict, "Apply failed with \(sorted.count) \(noun): \(detail)", group: type.group, plural: type.plural,
            name: name, causes: causes)
    }
}
