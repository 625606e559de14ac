import Controller
import Manifests

extension ArgoCDTranslation {
    /// Argo CD's AppProject fields Keelson has no counterpart for, and what that means.
    static let projectFieldsReported: [String: String] = [
        "clusterResourceBlacklist":
            "Keelson has no deny list for cluster-scoped kinds: the kinds it names are allowed if clusterResourceAllowList allows them; narrow the allow list instead",
        "namespaceResourceWhitelist":
            "Keelson has no allow list for namespaced kinds: every kind not in namespaceResourceDenyList is allowed",
        "roles": "Keelson's API authorises with Kubernetes RBAC, not project roles",
        "syncWindows": "Keelson has no sync windows: suspend the Applications instead",
        "signatureKeys": "Keelson does not verify commit signatures",
        "orphanedResources": "Keelson does not report orphaned objects",
        "destinationServiceAccounts":
            "set spec.serviceAccountName on each Application instead (Keelson impersonates it in the destination namespace)",
    ]

    /// An AppProject as a Keelson Project in the controller's namespace.
    static func project(_ manifest: Manifest, options: TranslationOptions, object: inout ObjectTranslation) throws(TranslationFailure) -> Manifest {
        var spec = try object.fields(manifest.object["spec"], "spec")
        var result: JSONObject = [:]
        if let description = try object.string(spec.take("description"), "spec.description"), !description.isEmpty {
            result["description"] = .string(description)
        }
        // An absent list allows nothing in both tools: sourceRepos, destinations and
        // clusterResourceWhitelist; an absent deny list denies nothing.
        result["sourceRepos"] = .array(try object.strings(spec.take("sourceRepos"), "spec.sourceRepos").map { .string($0) })
        var destinations: [JSONValue] = []
        for (index, item) in try object.array(spec.take("destinations"), "spec.destinations").enumerated() {
            var fields = try object.fields(item, "spec.destinations[\(index)]")
            let server = try object.string(fields.take("server"), fields.path("server"))
            let name = try object.string(fields.take("name"), fields.path("name"))
            let namespace = try object.string(fields.take("namespace"), fields.path("namespace")) ?? ""
            object.reportLeftovers(fields)
            guard !namespace.isEmpty else {
                object.report(
                    fields.path("namespace"), "Keelson destinations name a namespace glob: this one, without, was left out (it allows fewer)")
                continue
            }
            let cluster: String
            if (server ?? "").contains("*") || (server ?? "").hasPrefix("!") {
                guard server == "*" else {
                    object.report(fields.path("server"), "a glob of server addresses has no Keelson spelling: left out (it allows fewer)")
                    continue
                }
                cluster = "*"
            } else if let name, name.contains("*") || name.hasPrefix("!") {
                cluster = name
            } else {
                do { cluster = try self.cluster(server: server, name: name, field: fields.path, options: options, object: object) } catch {
                    object.report(error.field, "\(error.message): this destination was left out (it allows fewer)")
                    continue
                }
            }
            destinations.append(["cluster": .string(cluster), "namespace": .string(namespace)])
        }
        result["destinations"] = .array(destinations)
        result["clusterResourceAllowList"] = .array(try groupKinds(spec.take("clusterResourceWhitelist"), "spec.clusterResourceWhitelist", object))
        let denied = try groupKinds(spec.take("namespaceResourceBlacklist"), "spec.namespaceResourceBlacklist", object)
        if !denied.isEmpty { result["namespaceResourceDenyList"] = .array(denied) }
        // Applications of those namespaces are translated into `applicationNamespace(for:)`; the
        // controller's own namespace needs no opt-in.
        var namespaces: [JSONValue] = []
        for namespace in try object.strings(spec.take("sourceNamespaces"), "spec.sourceNamespaces") {
            let target = JSONValue.string(options.applicationNamespace(for: namespace))
            if target != .string(options.controllerNamespace), !namespaces.contains(target) { namespaces.append(target) }
        }
        if !namespaces.isEmpty { result["sourceNamespaces"] = .array(namespaces) }
        for key in spec.leftovers.sorted() {
            let reason = projectFieldsReported[key] ?? "not known to Keelson's translator; left out"
            _ = spec.take(key)
            object.report("spec.\(key)", reason)
        }
        return TranslationBuilder.object(
            kind: Project.kind, apiVersion: Project.apiVersion, name: manifest.name, namespace: options.controllerNamespace, from: object,
            spec: result, labels: manifest.metadata["labels"]?.objectValue ?? [:])
    }

    private static func groupKinds(_ value: JSONValue?, _ field: String, _ object: ObjectTranslation) throws(TranslationFailure) -> [JSONValue] {
        var result: [JSONValue] = []
        for (index, item) in try object.array(value, field).enumerated() {
            var fields = try object.fields(item, "\(field)[\(index)]")
            let group = try object.string(fields.take("group"), fields.path("group")) ?? ""
            guard let kind = try object.string(fields.take("kind"), fields.path("kind")), !kind.isEmpty else {
                throw object.failure(fields.path("kind"), "is required")
            }
            result.append(["group": .string(group), "kind": .string(kind)])
        }
        return result
    }
}
