import Helm
import KeelsonFoundation
import Manifests
import Secrets

extension ExternalSecret {
    /// Reads an ExternalSecret of either API strictly: a field Keelson does not support is an
    /// error naming it, never dropped.
    public init(_ manifest: Manifest) throws(ObjectFieldError) {
        let reader = FieldReader(kind: ExternalSecretsKind.externalSecret.rawValue, manifest: manifest)
        guard let api = ExternalSecretsAPI(apiVersion: manifest.apiVersion), manifest.kind == ExternalSecretsKind.externalSecret.rawValue else {
            throw reader.error("apiVersion", "\(manifest.apiVersion) \(manifest.kind) is not an ExternalSecret")
        }
        let spec = try reader.object(
            manifest.object["spec"], "spec", known: ["secretStoreRef", "target", "refreshInterval", "refreshPolicy", "data", "dataFrom"])
        let storeFields = try reader.object(spec["secretStoreRef"], "spec.secretStoreRef", known: ["name", "kind"])
        guard let storeName = try reader.string(storeFields["name"], "spec.secretStoreRef.name"), !storeName.isEmpty else {
            throw reader.error("spec.secretStoreRef.name", "is required")
        }
        var storeRef = StoreReference(name: storeName)
        if let kind = try reader.choice(storeFields["kind"], "spec.secretStoreRef.kind", in: ["SecretStore", "ClusterSecretStore"]) {
            storeRef.kind = ExternalSecretsKind(rawValue: kind) ?? .secretStore
        }
        self.init(api: api, namespace: reader.namespace, name: manifest.name, storeRef: storeRef, target: try Self.target(reader, spec["target"]))
        // "0" turns periodic refresh off; ESO's default is one hour.
        if let interval = try reader.duration(spec["refreshInterval"], "spec.refreshInterval", in: .zero...(.seconds(86_400 * 365))) {
            refreshInterval = interval
        }
        if let policy = try reader.choice(spec["refreshPolicy"], "spec.refreshPolicy", in: RefreshPolicy.allCases.map(\.rawValue)) {
            refreshPolicy = RefreshPolicy(rawValue: policy) ?? .periodic
        }
        for (index, item) in try reader.array(spec["data"], "spec.data").enumerated() {
            let field = "spec.data[\(index)]"
            let fields = try reader.object(item, field, known: ["secretKey", "remoteRef"])
            let key = try Self.secretKey(reader, fields["secretKey"], field + ".secretKey")
            data.append(DataItem(secretKey: key, remoteRef: try Self.remoteRef(reader, fields["remoteRef"], field + ".remoteRef")))
        }
        for (index, item) in try reader.array(spec["dataFrom"], "spec.dataFrom").enumerated() {
            let field = "spec.dataFrom[\(index)]"
            let fields = try reader.object(item, field, known: ["extract", "find", "rewrite"])
            let source: DataFromItem.Source
            switch (fields["extract"], fields["find"]) {
            case (let extract?, nil): source = .extract(try Self.remoteRef(reader, extract, field + ".extract"))
            case (nil, let find?): source = .find(try Self.findRef(reader, find, field + ".find"))
            default: throw reader.error(field, "must have exactly one of extract or find")
            }
            var entry = DataFromItem(source: source)
            for (position, rewrite) in try reader.array(fields["rewrite"], field + ".rewrite", maximum: 50).enumerated() {
                let rewriteField = "\(field).rewrite[\(position)]"
                let regexp = try reader.object(try reader.object(rewrite, rewriteField, known: ["regexp"])["regexp"], rewriteField + ".regexp")
                let checked = try reader.object(.object(regexp), rewriteField + ".regexp", known: ["source", "target"])
                guard let pattern = try reader.string(checked["source"], rewriteField + ".regexp.source"), (try? Regex(pattern)) != nil else {
                    throw reader.error(rewriteField + ".regexp.source", "must be a regular expression")
                }
                if let reason = TenantRegex.refusal(pattern) { throw reader.error(rewriteField + ".regexp.source", "is refused: \(reason)") }
                entry.rewrite.append(Rewrite(source: pattern, target: try reader.string(checked["target"], rewriteField + ".regexp.target") ?? ""))
            }
            dataFrom.append(entry)
        }
        if data.isEmpty && dataFrom.isEmpty && target.template == nil {
            throw reader.error("spec", "names no data, dataFrom or target.template")
        }
    }

    static func target(_ reader: FieldReader, _ value: JSONValue?) throws(ObjectFieldError) -> Target {
        let fields = try reader.object(value, "spec.target", known: ["name", "creationPolicy", "deletionPolicy", "template", "immutable"])
        var target = Target()
        target.name = try reader.string(fields["name"], "spec.target.name")
        if let name = target.name, !ResourceName.isValid(name) { throw reader.error("spec.target.name", "is not a valid Secret name") }
        if let policy = try reader.choice(fields["creationPolicy"], "spec.target.creationPolicy", in: Target.CreationPolicy.allCases.map(\.rawValue))
        {
            target.creationPolicy = Target.CreationPolicy(rawValue: policy) ?? .owner
        }
        if let policy = try reader.choice(fields["deletionPolicy"], "spec.target.deletionPolicy", in: Target.DeletionPolicy.allCases.map(\.rawValue))
        {
            target.deletionPolicy = Target.DeletionPolicy(rawValue: policy) ?? .retain
        }
        target.immutable = try reader.bool(fields["immutable"], "spec.target.immutable") ?? false
        // ESO's webhook refuses the same pairs: there is no Secret of ours to delete or merge into.
        if target.deletionPolicy == .delete && [.merge, .none].contains(target.creationPolicy) {
            throw reader.error("spec.target.deletionPolicy", "Delete needs creationPolicy Owner or Orphan: the Secret is not Keelson's to delete")
        }
        if target.deletionPolicy == .merge && target.creationPolicy == .none {
            throw reader.error("spec.target.deletionPolicy", "Merge cannot be used with creationPolicy None: there is no Secret to merge with")
        }
        if let template = fields["template"], !template.isNull { target.template = try Self.template(reader, template) }
        return target
    }

    static func template(_ reader: FieldReader, _ value: JSONValue) throws(ObjectFieldError) -> SecretTemplate {
        let field = "spec.target.template"
        let fields = try reader.object(value, field, known: ["type", "engineVersion", "metadata", "data", "mergePolicy"])
        _ = try reader.choice(fields["engineVersion"], field + ".engineVersion", in: ["v2"])
        var template = SecretTemplate()
        template.type = try reader.string(fields["type"], field + ".type")
        // The same types a SealedSecret may not have: a service-account-token Secret has the token
        // controller mint a long-lived token for any ServiceAccount of the namespace.
        if let type = template.type, let reason = SealedSecretUnsealer.refusedTypes[type] {
            throw reader.error(field + ".type", "\(type) is refused: \(reason)")
        }
        let metadata = try reader.object(fields["metadata"], field + ".metadata", known: ["labels", "annotations"])
        template.labels = try reader.map(metadata["labels"], field + ".metadata.labels")
        if template.labels[SealedSecretUnsealer.sealingKeyLabel] != nil {
            throw reader.error(
                field + ".metadata.labels." + SealedSecretUnsealer.sealingKeyLabel, "is refused: it would make the Secret a sealing key")
        }
        template.annotations = try reader.map(metadata["annotations"], field + ".metadata.annotations")
        template.data = try reader.map(fields["data"], field + ".data")
        for key in template.data.keys where !SecretKey.isValid(key) { throw reader.error(field + ".data." + key, "is not a valid Secret key") }
        if let policy = try reader.choice(fields["mergePolicy"], field + ".mergePolicy", in: SecretTemplate.MergePolicy.allCases.map(\.rawValue)) {
            template.mergePolicy = SecretTemplate.MergePolicy(rawValue: policy) ?? .replace
        }
        return template
    }

    static func remoteRef(_ reader: FieldReader, _ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> RemoteRef {
        let fields = try reader.object(
            value, field, known: ["key", "property", "version", "decodingStrategy", "conversionStrategy", "metadataPolicy"])
        guard let key = try reader.string(fields["key"], field + ".key"), !key.isEmpty else { throw reader.error(field + ".key", "is required") }
        try supportedDefaults(reader, fields, field)
        var ref = RemoteRef(key: key, property: try reader.string(fields["property"], field + ".property"))
        ref.version = try reader.string(fields["version"], field + ".version")
        ref.decodingStrategy = try decoding(reader, fields, field)
        return ref
    }

    static func findRef(_ reader: FieldReader, _ value: JSONValue, _ field: String) throws(ObjectFieldError) -> FindRef {
        let fields = try reader.object(value, field, known: ["path", "name", "tags", "decodingStrategy", "conversionStrategy"])
        try supportedDefaults(reader, fields, field)
        var find = FindRef(path: try reader.string(fields["path"], field + ".path"))
        if let name = fields["name"], !name.isNull {
            let nameFields = try reader.object(name, field + ".name", known: ["regexp"])
            guard let pattern = try reader.string(nameFields["regexp"], field + ".name.regexp"), (try? Regex(pattern)) != nil else {
                throw reader.error(field + ".name.regexp", "must be a regular expression")
            }
            if let reason = TenantRegex.refusal(pattern) { throw reader.error(field + ".name.regexp", "is refused: \(reason)") }
            find.nameRegexp = pattern
        }
        find.tags = try reader.map(fields["tags"], field + ".tags")
        guard find.nameRegexp != nil || !find.tags.isEmpty else { throw reader.error(field, "needs name.regexp or tags") }
        find.decodingStrategy = try decoding(reader, fields, field)
        return find
    }

    /// `conversionStrategy` and `metadataPolicy` are accepted at their defaults only.
    static func supportedDefaults(_ reader: FieldReader, _ fields: JSONObject, _ field: String) throws(ObjectFieldError) {
        _ = try reader.choice(fields["conversionStrategy"], field + ".conversionStrategy", in: ["Default"])
        _ = try reader.choice(fields["metadataPolicy"], field + ".metadataPolicy", in: ["None"])
    }

    static func decoding(_ reader: FieldReader, _ fields: JSONObject, _ field: String) throws(ObjectFieldError) -> DecodingStrategy {
        let text = try reader.choice(fields["decodingStrategy"], field + ".decodingStrategy", in: DecodingStrategy.allCases.map(\.rawValue))
        return text.flatMap(DecodingStrategy.init(rawValue:)) ?? .none
    }

    static func secretKey(_ reader: FieldReader, _ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> String {
        guard let key = try reader.string(value, field), !key.isEmpty else { throw reader.error(field, "is required") }
        guard SecretKey.isValid(key) else { throw reader.error(field, "\"\(key)\" is not a valid Secret key ([-._a-zA-Z0-9]+)") }
        return key
    }
}

/// Kubernetes' rule for Secret data keys.
enum SecretKey {
    static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 253 && key != "." && key != ".." && key.unicodeScalars.allSatisfy(isAllowed)
    }

    /// ESO's `Default` conversion: every character a key may not hold becomes `_`.
    static func converted(_ key: String) -> String {
        String(String.UnicodeScalarView(key.unicodeScalars.map { isAllowed($0) ? $0 : "_" }))
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._".unicodeScalars.contains(scalar))
    }
}

/// Kubernetes object names (DNS subdomain).
enum ResourceName {
    static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253, let first = name.unicodeScalars.first, let last = name.unicodeScalars.last else { return false }
        let allowed = { (scalar: Unicode.Scalar) in ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "." }
        let alphanumeric = { (scalar: Unicode.Scalar) in ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }
        return name.unicodeScalars.allSatisfy(allowed) && alphanumeric(first) && alphanumeric(last)
    }
}
