import Foundation
import Manifests

/// The body of a PATCH request, by content type.
enum PatchBody: Sendable {
    /// `application/merge-patch+json`.
    case merge(JSONValue)
    /// `application/strategic-merge-patch+json`.
    case strategic(JSONValue)
    /// `application/json-patch+json`.
    case json(JSONValue)
    /// `application/apply-patch+yaml`: server-side apply.
    case apply(JSONObject)
}

extension ClusterStore {
    /// Creates an object (POST).
    func create(_ type: ResourceType, namespace: String?, body: JSONObject, options: WriteOptions) throws(APIError) -> JSONObject {
        var object = try normalizedIdentity(body, type: type)
        if object.name.isEmpty, let prefix = object.meta("generateName"), !prefix.isEmpty {
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            object.setMeta("name", .string(prefix + String((0..<5).map { _ in alphabet.randomElement()! })))
        }
        guard !object.name.isEmpty else {
            throw APIError(
                .invalid, "\(type.kind) \"\" is invalid: metadata.name: Required value: name or generateName is required",
                group: type.group, plural: type.plural,
                causes: [.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        try Admission.validateName(object.name, type: type)
        try placeInNamespace(&object, type: type, namespace: namespace, forCreate: true)
        if objects[type.storageID]?[ObjectName(namespace: object.namespace, name: object.name)] != nil {
            throw .alreadyExists(type, object.name)
        }
        if object.meta("resourceVersion").map({ !$0.isEmpty }) == true {
            throw APIError(.badRequest, "resourceVersion should not be set on objects to be created")
        }
        object.setMeta("managedFields", nil)
        Admission.prepareCreate(&object, type: type, now: now())
        allocateClusterIP(&object, type: type)
        try admit(&object, type: type, options: options)
        object = FieldManager.recordUpdate(
            old: nil, new: object, manager: options.fieldManager, type: type, subresource: nil, now: now())
        if options.dryRun { return present(object, as: type) }
        return present(commit(type, object, isNew: true), as: type)
    }

    /// Replaces an object (PUT), honouring optimistic concurrency.
    func update(
        _ type: ResourceType, namespace: String, name: String, body: JSONObject, options: WriteOptions, subresource: String?
    ) throws(APIError) -> JSONObject {
        let old = try get(type, namespace: namespace, name: name)
        var candidate = try normalizedIdentity(body, type: type)
        guard candidate.name.isEmpty || candidate.name == name else {
            throw APIError(.badRequest, "the name of the object (\(candidate.name)) does not match the name on the URL (\(name))")
        }
        candidate.setMeta("name", .string(name))
        return try finishUpdate(type, old: old, candidate: candidate, options: options, subresource: subresource, applied: false)
    }

    /// Patches an object; server-side apply creates it when missing.
    func patch(
        _ type: ResourceType, namespace: String, name: String, patch: PatchBody, options: WriteOptions, subresource: String?
    ) throws(APIError) -> JSONObject {
        let existing = objects[type.storageID]?[ObjectName(namespace: namespace, name: name)].map { present($0, as: type) }
        if case .apply(let config) = patch {
            var config = try normalizedIdentity(config, type: type)
            guard config.name == name else {
                throw APIError(.badRequest, "the name of the object (\(config.name)) does not match the name on the URL (\(name))")
            }
            if let rv = config.meta("resourceVersion"), let existing, rv != existing.meta("resourceVersion") {
                throw .staleUpdate(type, name)
            }
            config.setMeta("resourceVersion", nil)
            guard let existing else {
                var object = try FieldManager.apply(
                    live: nil, config: config, manager: options.fieldManager, force: options.force, type: type,
                    subresource: subresource, now: now())
                try placeInNamespace(&object, type: type, namespace: type.namespaced ? namespace : nil, forCreate: true)
                try Admission.validateName(name, type: type)
                let managed = object.metadata["managedFields"]
                Admission.prepareCreate(&object, type: type, now: now())
                allocateClusterIP(&object, type: type)
                // Defaults belong to no manager: an apply owns only what its configuration sets.
                try admit(&object, type: type, options: options)
                object.setMeta("managedFields", managed)
                if options.dryRun { return present(object, as: type) }
                return present(commit(type, object, isNew: true), as: type)
            }
            let merged = try FieldManager.apply(
                live: existing, config: config, manager: options.fieldManager, force: options.force, type: type,
                subresource: subresource, now: now())
            return try finishUpdate(type, old: existing, candidate: merged, options: options, subresource: subresource, applied: true)
        }
        guard let existing else { throw .notFound(type, name) }
        let current = JSONValue.object(existing)
        let patched: JSONValue
        switch patch {
        case .merge(let body): patched = MergePatch.apply(body, to: current)
        case .strategic(let body): patched = try StrategicMergePatch.apply(body, to: current)
        case .json(let body): patched = try JSONPatch.apply(body, to: current)
        case .apply: preconditionFailure("handled above")
        }
        guard let candidate = patched.objectValue else { throw APIError(.badRequest, "the patch produced a non-object") }
        guard candidate.name == name else {
            throw APIError(.badRequest, "metadata.name: the name of a patched object cannot change")
        }
        return try finishUpdate(type, old: existing, candidate: candidate, options: options, subresource: subresource, applied: false)
    }

    /// The shared tail of every update: system metadata, status rules, generation, ownership, commit.
    func finishUpdate(
        _ type: ResourceType, old: JSONObject, candidate: JSONObject, options: WriteOptions, subresource: String?, applied: Bool
    ) throws(APIError) -> JSONObject {
        if let rv = candidate.meta("resourceVersion"), !rv.isEmpty, rv != old.meta("resourceVersion") {
            throw .staleUpdate(type, old.name)
        }
        var new: JSONObject
        if subresource == "status" {
            new = old
            new["status"] = candidate["status"]
            new.setMeta("managedFields", candidate.metadata["managedFields"] ?? old.metadata["managedFields"])
        } else {
            new = candidate
            new["apiVersion"] = .string(type.apiVersion)
            new["kind"] = .string(type.kind)
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace", "generation"] {
                new.setMeta(field, old.metadata[field])
            }
            if !applied { new.setMeta("managedFields", old.metadata["managedFields"]) }
            if type.hasStatus { new["status"] = old["status"] }
            // An update that leaves clusterIP out, empty or null keeps the allocated one.
            if type.kind == "Service", new["spec"]?["clusterIP"]?.stringValue?.isEmpty != false,
                new["spec"]?["type"]?.stringValue != "ExternalName", let ip = old["spec"]?["clusterIP"]
            {
                new["spec"]?["clusterIP"] = ip
                new["spec"]?["clusterIPs"] = old["spec"]?["clusterIPs"]
            }
        }
        try admit(&new, type: type, options: options)
        if subresource == nil {
            let immutable = ImmutableFields.changed(old: old, new: new, group: type.group, kind: type.kind)
            if !immutable.isEmpty {
                throw .invalid(
                    type, old.name,
                    immutable.map { field in
                        // An immutable ConfigMap's or Secret's data is never shown (a Secret's is secret).
                        if ["data", "binaryData", "stringData", "immutable"].contains(field) {
                            return FieldError(field: field, kind: .forbidden, detail: "field is immutable when `immutable` is set")
                        }
                        let value = JSONValue.object(new)[path: field.split(separator: ".").map(String.init)] ?? .null
                        return FieldError(field: field, kind: .invalid(value: JSONWriter.compact(value)), detail: "field is immutable")
                    })
            }
        }
        if type.tracksGeneration, subresource != "status", Admission.specChanged(old: old, new: new) {
            new.setMeta("generation", .int((old.metadata["generation"]?.intValue ?? 0) + 1))
        }
        new.setMeta("resourceVersion", old.metadata["resourceVersion"])
        if old.isTerminating {
            let added = Set(new.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                throw .invalid(
                    type, old.name, field: "metadata.finalizers", "Forbidden: no new finalizers can be added if the object is being deleted")
            }
        }
        if !applied {
            // A status write cannot rewrite ownership; an update or patch can, by setting managedFields.
            let requested = subresource == nil ? FieldManager.requestedEntries(candidate.metadata["managedFields"]) : nil
            new = FieldManager.recordUpdate(
                old: old, new: new, manager: options.fieldManager, type: type, subresource: subresource, now: now(), base: requested)
        }
        if Self.comparable(new) == Self.comparable(old) { return present(old, as: type) }
        if options.dryRun { return present(new, as: type) }
        if new.isTerminating && new.finalizers.isEmpty {
            commit(type, new, isNew: false)
            let removed = remove(type, namespace: new.namespace, name: new.name) ?? new
            releaseOwners(of: removed)
            return present(removed, as: type)
        }
        return present(commit(type, new, isNew: false), as: type)
    }

    /// What the API server does to every object written, after decoding it: fields the type does
    /// not declare are pruned (refused under `fieldValidation=Strict`, a warning under `Warn`); a
    /// CRD's schema fills its defaults and checks its constraints; a built-in kind gets its
    /// defaults and checks.
    func admit(_ object: inout JSONObject, type: ResourceType, options: WriteOptions) throws(APIError) {
        if let schema = catalog.schema(for: type) {
            let outcome = schema.admit(&object)
            try report(unknownFields: outcome.unknownFields, of: type, options: options)
            if !outcome.errors.isEmpty { throw .invalid(type, object.name, outcome.errors) }
        } else {
            // Decoding fails on a value of the wrong type before it reports undeclared fields.
            if let decodeError = WorkloadValidation.decodeError(object, type: type) { throw APIError(.badRequest, decodeError) }
            try report(unknownFields: BuiltinSchemas.pruneUnknownFields(&object, type: type), of: type, options: options)
        }
        Defaulting.apply(&object, type: type)
        let errors = WorkloadValidation.errors(object, type: type)
        if !errors.isEmpty { throw .invalid(type, object.name, errors) }
    }

    /// Refuses or warns about the undeclared fields a write had, as `fieldValidation` asks.
    private func report(unknownFields: [String], of type: ResourceType, options: WriteOptions) throws(APIError) {
        guard !unknownFields.isEmpty else { return }
        let texts = unknownFields.map { "unknown field \"\($0)\"" }
        switch options.fieldValidation {
        case .strict:
            throw APIError(
                .badRequest,
                "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict decoding error: "
                    + texts.joined(separator: ", "))
        case .warn: for text in texts { options.warnings.add(text) }
        case .ignore: break
        }
    }

    /// A controller's status write, read and written in one step of the actor, so that no write
    /// between the read and the write is lost: skipped when the object is gone or (with
    /// `generation`) has changed since, or when `status` gives nothing.
    func writeStatus(
        _ type: ResourceType, namespace: String, name: String, generation: Int64?, manager: String,
        _ status: @Sendable (JSONObject) -> JSONValue?
    ) throws(APIError) {
        let current = try get(type, namespace: namespace, name: name)
        if let generation, SimulationRules.generation(of: current) != generation { return }
        guard let newStatus = status(current) else { return }
        var candidate = current
        candidate["status"] = newStatus
        var options = WriteOptions()
        options.fieldManager = manager
        _ = try finishUpdate(type, old: current, candidate: candidate, options: options, subresource: type.hasStatus ? "status" : nil, applied: false)
    }

    /// An object with the parts that change on every write (timestamps of managedFields) removed.
    static func comparable(_ object: JSONObject) -> JSONObject {
        var copy = object
        let entries = (copy.metadata["managedFields"]?.arrayValue ?? []).map { entry -> JSONValue in
            var e = entry
            e["time"] = nil
            return e
        }
        copy.setMeta("managedFields", entries.isEmpty ? nil : .array(entries))
        return copy
    }

    /// Checks and fills `apiVersion` and `kind`.
    func normalizedIdentity(_ body: JSONObject, type: ResourceType) throws(APIError) -> JSONObject {
        var object = body
        if let kind = body["kind"]?.stringValue, kind != type.kind {
            throw APIError(.badRequest, "the kind of the object (\(kind)) does not match the resource (\(type.kind))")
        }
        if let apiVersion = body["apiVersion"]?.stringValue, apiVersion != type.apiVersion {
            throw APIError(
                .badRequest,
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        object.metadata = object.metadata
        if type.apiVersion == "v1", type.kind == "Secret" { Self.foldStringData(&object) }
        return object
    }

    /// A Secret's `stringData` is write-only: the API server merges it into `data` (base64) and
    /// stores no `stringData`.
    static func foldStringData(_ object: inout JSONObject) {
        guard let strings = object["stringData"]?.objectValue else { return }
        var data = object["data"]?.objectValue ?? [:]
        for (key, value) in strings {
            guard let text = value.stringValue else { continue }
            data[key] = .string(Data(text.utf8).base64EncodedString())
        }
        object["data"] = .object(data)
        object["stringData"] = nil
    }

    /// Sets `metadata.namespace` from the URL and checks that the namespace exists.
    func placeInNamespace(_ object: inout JSONObject, type: ResourceType, namespace: String?, forCreate: Bool) throws(APIError) {
        guard type.namespaced else {
            object.setMeta("namespace", nil)
            return
        }
        let target = namespace ?? object.namespace
        if let namespace, !object.namespace.isEmpty, object.namespace != namespace {
            throw APIError(.badRequest, "the namespace of the provided object does not match the namespace sent on the request")
        }
        let resolved = target.isEmpty ? "default" : target
        object.setMeta("namespace", .string(resolved))
        try requireNamespace(resolved, forCreate: forCreate)
    }

    /// Gives a new Service a cluster IP, as the API server's allocator does at create time.
    func allocateClusterIP(_ object: inout JSONObject, type: ResourceType) {
        guard type.group.isEmpty, type.kind == "Service", var spec = object["spec"]?.objectValue else { return }
        guard spec["type"]?.stringValue != "ExternalName" else { return }
        if spec["type"] == nil { spec["type"] = "ClusterIP" }
        if (spec["clusterIP"]?.stringValue ?? "").isEmpty {
            let used = Set(all(type, namespace: nil).compactMap { $0["spec"]?["clusterIP"]?.stringValue })
            var host = 10
            while used.contains("\(Admission.serviceNetworkPrefix).\(host / 250).\(host % 250)") { host += 1 }
            let ip = "\(Admission.serviceNetworkPrefix).\(host / 250).\(host % 250)"
            spec["clusterIP"] = .string(ip)
            spec["clusterIPs"] = [.string(ip)]
        }
        object["spec"] = .object(spec)
    }
}
