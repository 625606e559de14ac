import Manifests

/// The `sops` section of an encrypted file, limited to what age, Vault transit and AWS KMS files use.
struct SOPSMetadata: Sendable {
    /// One `sops.age[]` entry: a recipient and the data key age-encrypted (armored) to it.
    struct AgeEntry: Sendable {
        var recipient: String
        var enc: String
    }

    /// The version Keelson writes: the sops file format it follows.
    static let writtenVersion = "3.9.0"
    /// The most `age` entries read from one file; each costs an X25519 operation per identity.
    static let maxAgeEntries = 256

    var age: [AgeEntry]
    var vault: [SOPSVaultWrappedKey] = []
    var kms: [SOPSKMSWrappedKey] = []
    var lastModified: String
    var mac: String
    var rules: SOPSEncryptionRules
    var version: String

    init(age: [AgeEntry], lastModified: String, mac: String, rules: SOPSEncryptionRules, version: String) {
        self.age = age
        self.lastModified = lastModified
        self.mac = mac
        self.rules = rules
        self.version = version
    }

    /// The additional data the MAC is encrypted with: `lastmodified` re-formatted as Go's RFC 3339.
    var macAdditionalData: [UInt8] {
        get throws(SOPSError) {
            guard let normalized = GoTime.rfc3339(lastModified) else {
                throw SOPSError(.metadata, "sops.lastmodified is not an RFC 3339 timestamp")
            }
            return Array(normalized.utf8)
        }
    }

    /// Reads the metadata object of a YAML or JSON file (or the unflattened keys of a dotenv file).
    init(_ value: JSONValue) throws(SOPSError) {
        guard let object = value.objectValue else { throw Self.failure("the sops key does not hold a mapping") }
        func string(_ key: String) throws(SOPSError) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case .number(let n)?: return n.description
            default: throw Self.failure("sops.\(key) is not a string")
            }
        }
        for key in ["unencrypted_comment_regex", "encrypted_comment_regex"] where try string(key).map({ !$0.isEmpty }) ?? false {
            throw SOPSError(.unsupported, "sops.\(key) is not supported: Keelson's YAML model does not keep comments")
        }
        var entries = try Self.ageEntries(object["age"], field: "age")
        var vault = try Self.vaultEntries(object["hc_vault"], field: "hc_vault")
        var kms = try Self.kmsEntries(object["kms"], field: "kms")
        if let groups = object["key_groups"]?.arrayValue, !groups.isEmpty {
            guard groups.count == 1 else {
                throw SOPSError(
                    .unsupported,
                    "the file splits its data key over \(groups.count) key groups "
                        + "(Shamir secret sharing), which Keelson does not support")
            }
            entries += try Self.ageEntries(groups[0]["age"], field: "key_groups[0].age")
            vault += try Self.vaultEntries(groups[0]["hc_vault"], field: "key_groups[0].hc_vault")
            kms += try Self.kmsEntries(groups[0]["kms"], field: "key_groups[0].kms")
        }
        let count = entries.count + vault.count + kms.count
        guard count <= Self.maxAgeEntries else {
            throw SOPSError(.inputTooLarge, "the file has \(count) age, hc_vault and kms entries, over the limit of \(Self.maxAgeEntries)")
        }
        guard let lastModified = try string("lastmodified") else { throw Self.failure("sops.lastmodified is missing") }
        guard let mac = try string("mac") else { throw Self.failure("sops.mac is missing") }
        let selector = try SOPSEncryptionRules.selector(
            unencryptedSuffix: string("unencrypted_suffix"), encryptedSuffix: string("encrypted_suffix"),
            unencryptedRegex: string("unencrypted_regex"), encryptedRegex: string("encrypted_regex"))
        let macOnly: Bool
        switch object["mac_only_encrypted"] {
        case nil, .null?: macOnly = false
        case .bool(let b)?: macOnly = b
        case .string(let s)?: macOnly = s == "true"  // dotenv stores every metadata value as text
        default: throw Self.failure("sops.mac_only_encrypted is not a boolean")
        }
        self.init(
            age: entries, lastModified: lastModified, mac: mac,
            rules: SOPSEncryptionRules(selector: selector, macOnlyEncrypted: macOnly),
            version: try string("version") ?? "")
        self.vault = vault
        self.kms = kms
    }

    private static func kmsEntries(_ value: JSONValue?, field: String) throws(SOPSError) -> [SOPSKMSWrappedKey] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw failure("sops.\(field) is not a list") }
        var entries: [SOPSKMSWrappedKey] = []
        for (index, item) in items.enumerated() {
            guard let arn = item["arn"]?.stringValue, let enc = item["enc"]?.stringValue else {
                throw failure("sops.\(field)[\(index)] lacks an arn or enc string")
            }
            var context: [String: String] = [:]
            if let raw = item["context"], !raw.isNull {
                guard let object = raw.objectValue else { throw failure("sops.\(field)[\(index)].context is not a mapping") }
                for (key, value) in object {
                    guard let text = value.stringValue else { throw failure("sops.\(field)[\(index)].context.\(key) is not a string") }
                    context[key] = text
                }
            }
            let key = SOPSKMSKey(
                arn: arn, role: item["role"]?.stringValue ?? "", context: context, awsProfile: item["aws_profile"]?.stringValue ?? "")
            entries.append(SOPSKMSWrappedKey(key: key, enc: enc, createdAt: item["created_at"]?.stringValue ?? ""))
        }
        return entries
    }

    private static func vaultEntries(_ value: JSONValue?, field: String) throws(SOPSError) -> [SOPSVaultWrappedKey] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw failure("sops.\(field) is not a list") }
        var entries: [SOPSVaultWrappedKey] = []
        for (index, item) in items.enumerated() {
            guard let address = item["vault_address"]?.stringValue, let engine = item["engine_path"]?.stringValue,
                let key = item["key_name"]?.stringValue, let enc = item["enc"]?.stringValue
            else { throw failure("sops.\(field)[\(index)] lacks a vault_address, engine_path, key_name or enc string") }
            entries.append(
                SOPSVaultWrappedKey(
                    key: SOPSVaultTransitKey(address: address, enginePath: engine, keyName: key), enc: enc,
                    createdAt: item["created_at"]?.stringValue ?? ""))
        }
        return entries
    }

    private static func ageEntries(_ value: JSONValue?, field: String) throws(SOPSError) -> [AgeEntry] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw failure("sops.\(field) is not a list") }
        var entries: [AgeEntry] = []
        for (index, item) in items.enumerated() {
            guard let recipient = item["recipient"]?.stringValue, let enc = item["enc"]?.stringValue else {
                throw failure("sops.\(field)[\(index)] lacks a recipient or enc string")
            }
            entries.append(AgeEntry(recipient: recipient, enc: enc))
        }
        return entries
    }

    private static func failure(_ message: String) -> SOPSError {
        SOPSError(.metadata, message)
    }

    /// The metadata as sops writes it in YAML and JSON files, in sops' key order.
    var jsonValue: JSONValue {
        var object = JSONObject()
        if !kms.isEmpty {
            object["kms"] = .array(kms.map(Self.kmsValue))
        }
        if !vault.isEmpty {
            object["hc_vault"] = .array(
                vault.map {
                    .object([
                        "vault_address": .string($0.key.address), "engine_path": .string($0.key.enginePath),
                        "key_name": .string($0.key.keyName), "created_at": .string($0.createdAt), "enc": .string($0.enc),
                    ])
                })
        }
        if !age.isEmpty || (vault.isEmpty && kms.isEmpty) {
            object["age"] = .array(age.map { .object(["recipient": .string($0.recipient), "enc": .string($0.enc)]) })
        }
        object["lastmodified"] = .string(lastModified)
        object["mac"] = .string(mac)
        object[rules.selector.metadataKey] = .string(rules.selector.argument)
        if rules.macOnlyEncrypted { object["mac_only_encrypted"] = .bool(true) }
        object["version"] = .string(version)
        return .object(object)
    }

    /// One `kms` entry in sops' key order; `role` and `context` only when set, as sops writes them.
    private static func kmsValue(_ entry: SOPSKMSWrappedKey) -> JSONValue {
        var object: JSONObject = ["arn": .string(entry.key.arn)]
        if !entry.key.role.isEmpty { object["role"] = .string(entry.key.role) }
        if !entry.key.context.isEmpty {
            var context = JSONObject()
            for (key, value) in entry.key.context.sorted(by: { $0.key < $1.key }) { context[key] = .string(value) }
            object["context"] = .object(context)
        }
        object["created_at"] = .string(entry.createdAt)
        object["enc"] = .string(entry.enc)
        object["aws_profile"] = .string(entry.key.awsProfile)
        return .object(object)
    }
}
