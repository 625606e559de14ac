import Foundation
import Manifests

/// The `creation_rules` of a `.sops.yaml`: which keys (age, Vault transit, AWS KMS) and encryption rules a new file gets, by path.
///
/// ```swift
/// let config = try SOPSCreationRules.parse(Array(sopsYAML.utf8), file: ".sops.yaml")
/// let rule = try config.rule(forPath: "clusters/prod/secret.yaml")
/// let file = try SOPS.encrypt(plain, format: .yaml, recipients: rule.recipients, rules: rule.encryption)
/// ```
public struct SOPSCreationRules: Sendable {
    /// One creation rule; the first whose `path_regex` matches (or that has none) applies.
    public struct Rule: Sendable {
        /// The pattern a file path must match (an unanchored search, as in sops), or nil for every path.
        public var pathRegex: String?
        /// The age recipients from `age` (a comma-separated string or a list) or a single `key_groups` entry.
        public var recipients: [AgeRecipient]
        /// The Vault transit keys from `hc_vault_transit_uri` (comma-separated) or a single `key_groups` entry's `hc_vault` list.
        public var vaultKeys: [SOPSVaultTransitKey] = []
        /// The AWS KMS keys from `kms` (comma-separated ARNs, with `aws_profile`) or a single `key_groups` entry's `kms` list.
        public var kmsKeys: [SOPSKMSKey] = []
        /// The selector and MAC setting from `encrypted_regex`, `unencrypted_suffix` and the like.
        public var encryption: SOPSEncryptionRules
    }

    /// The largest `.sops.yaml` accepted, in bytes.
    public static let maxSize = 1 << 20

    /// The rules in file order.
    public var rules: [Rule]
    /// The file the rules were read from, for errors.
    public var file: String

    /// Parses a `.sops.yaml`; a file without `creation_rules` has no rules.
    public static func parse(_ bytes: [UInt8], file: String = ".sops.yaml") throws(SOPSError) -> SOPSCreationRules {
        guard bytes.count <= maxSize else {
            throw SOPSError(.inputTooLarge, "the file is \(bytes.count) bytes, over the \(maxSize)-byte limit", source: file)
        }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder().decode(bytes, file: file)
        } catch {
            throw SOPSError(.config, "not valid YAML: \(error)", source: file, cause: error)
        }
        guard let root = documents.first?.value else { return SOPSCreationRules(rules: [], file: file) }
        guard root.objectValue != nil else { throw SOPSError(.config, "the top level is not a mapping", source: file) }
        guard let list = root["creation_rules"], !list.isNull else { return SOPSCreationRules(rules: [], file: file) }
        guard let items = list.arrayValue else { throw SOPSError(.config, "creation_rules is not a list", source: file) }
        var rules: [Rule] = []
        for (index, item) in items.enumerated() {
            do {
                rules.append(try parseRule(item))
            } catch {
                var located = error
                located.message = "creation_rules[\(index)]: " + error.message
                located.source = file
                throw located
            }
        }
        return SOPSCreationRules(rules: rules, file: file)
    }

    /// The first rule that applies to `path` (relative to the `.sops.yaml`'s folder, as sops matches it).
    public func rule(forPath path: String) throws(SOPSError) -> Rule {
        for (index, rule) in rules.enumerated() where Self.matches(rule.pathRegex, path) {
            guard !rule.recipients.isEmpty || !rule.vaultKeys.isEmpty || !rule.kmsKeys.isEmpty else {
                throw SOPSError(
                    .config,
                    "creation_rules[\(index)] matches \(path) but names no age recipients, Vault transit keys or AWS KMS keys "
                        + "(pgp, GCP and Azure keys are not supported)", source: file)
            }
            return rule
        }
        throw SOPSError(.config, "no creation rule matches \(path)", source: file)
    }

    private static func matches(_ pattern: String?, _ path: String) -> Bool {
        guard let pattern else { return true }
        // Patterns were compiled once while parsing, so this cannot fail.
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    private static func parseRule(_ value: JSONValue) throws(SOPSError) -> Rule {
        guard value.objectValue != nil else { throw SOPSError(.config, "the rule is not a mapping") }
        func string(_ key: String) throws(SOPSError) -> String? {
            switch value[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw SOPSError(.config, "\(key) is not a string")
            }
        }
        for key in ["encrypted_comment_regex", "unencrypted_comment_regex", "shamir_threshold"] where value[key] != nil {
            throw SOPSError(.unsupported, "\(key) is not supported")
        }
        let pathRegex = try string("path_regex")
        if let pathRegex, (try? NSRegularExpression(pattern: pathRegex)) == nil {
            throw SOPSError(.config, "path_regex is not a valid regular expression")
        }
        var recipients = try recipientList(value["age"], field: "age")
        var vaultKeys = try vaultKeyList(value["hc_vault_transit_uri"], field: "hc_vault_transit_uri")
        let awsProfile = try string("aws_profile") ?? ""
        var kmsKeys = try stringList(value["kms"], field: "kms").map { (arn) throws(SOPSError) in
            try SOPSKMSKey(argument: arn, awsProfile: awsProfile)
        }
        if let groups = value["key_groups"]?.arrayValue, !groups.isEmpty {
            guard groups.count == 1 else {
                throw SOPSError(.unsupported, "\(groups.count) key_groups need Shamir secret sharing, which is not supported")
            }
            recipients += try recipientList(groups[0]["age"], field: "key_groups[0].age")
            vaultKeys += try vaultKeyList(groups[0]["hc_vault"], field: "key_groups[0].hc_vault")
            kmsKeys += try kmsKeyList(groups[0]["kms"], field: "key_groups[0].kms")
        }
        let selector: SOPSEncryptionRules.Selector
        do {
            selector = try SOPSEncryptionRules.selector(
                unencryptedSuffix: string("unencrypted_suffix"), encryptedSuffix: string("encrypted_suffix"),
                unencryptedRegex: string("unencrypted_regex"), encryptedRegex: string("encrypted_regex"))
            _ = try SOPSPathMatcher(selector)
        } catch {
            throw SOPSError(.config, error.message)
        }
        let macOnly: Bool
        switch value["mac_only_encrypted"] {
        case nil, .null?: macOnly = false
        case .bool(let b)?: macOnly = b
        default: throw SOPSError(.config, "mac_only_encrypted is not a boolean")
        }
        return Rule(
            pathRegex: pathRegex, recipients: recipients, vaultKeys: vaultKeys, kmsKeys: kmsKeys,
            encryption: SOPSEncryptionRules(selector: selector, macOnlyEncrypted: macOnly))
    }

    /// Strings from a comma-separated string or a list of strings.
    private static func stringList(_ value: JSONValue?, field: String) throws(SOPSError) -> [String] {
        switch value {
        case nil, .null?: return []
        case .string(let s)?: return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        case .array(let items)?:
            var strings: [String] = []
            for item in items {
                guard let s = item.stringValue else { throw SOPSError(.config, "\(field) holds a value that is not a string") }
                let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { strings.append(trimmed) }
            }
            return strings
        default: throw SOPSError(.config, "\(field) is neither a string nor a list")
        }
    }

    /// Vault transit keys from URIs.
    private static func vaultKeyList(_ value: JSONValue?, field: String) throws(SOPSError) -> [SOPSVaultTransitKey] {
        var keys: [SOPSVaultTransitKey] = []
        for (index, uri) in try stringList(value, field: field).enumerated() {
            do { keys.append(try SOPSVaultTransitKey(uri: uri)) } catch {
                throw SOPSError(.config, "\(field) entry \(index + 1): \(error.message)")
            }
        }
        return keys
    }

    /// KMS keys from a key group's list of `{arn, role, context, aws_profile}` mappings.
    private static func kmsKeyList(_ value: JSONValue?, field: String) throws(SOPSError) -> [SOPSKMSKey] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw SOPSError(.config, "\(field) is not a list") }
        var keys: [SOPSKMSKey] = []
        for (index, item) in items.enumerated() {
            guard let arn = item["arn"]?.stringValue else { throw SOPSError(.config, "\(field)[\(index)] has no arn string") }
            var context: [String: String] = [:]
            for (key, text) in item["context"]?.objectValue ?? [:] {
                guard let text = text.stringValue else { throw SOPSError(.config, "\(field)[\(index)].context.\(key) is not a string") }
                context[key] = text
            }
            do {
                var key = try SOPSKMSKey(argument: arn, context: context, awsProfile: item["aws_profile"]?.stringValue ?? "")
                if let role = item["role"]?.stringValue, !role.isEmpty { key.role = role }
                keys.append(key)
            } catch {
                throw SOPSError(.config, "\(field)[\(index)]: \(error.message)")
            }
        }
        return keys
    }

    /// Recipients from a comma-separated string or a list of strings.
    private static func recipientList(_ value: JSONValue?, field: String) throws(SOPSError) -> [AgeRecipient] {
        let texts = try stringList(value, field: field)
        var recipients: [AgeRecipient] = []
        for (index, text) in texts.enumerated() where !text.isEmpty {
            do {
                recipients.append(try AgeRecipient(text))
            } catch {
                throw SOPSError(.config, "\(field) entry \(index + 1) is not an age recipient: \(error.message)", cause: error)
            }
        }
        return recipients
    }
}

extension SOPS {
    /// Encrypts a file with the recipients and rules of the first creation rule matching `path`.
    public static func encrypt(
        _ plaintext: [UInt8], format: Format, path: String, config: SOPSCreationRules, limits: Limits = Limits(),
        now: Date = Date()
    ) throws(SOPSError) -> [UInt8] {
        let rule = try config.rule(forPath: path)
        guard rule.vaultKeys.isEmpty && rule.kmsKeys.isEmpty else {
            throw SOPSError(
                .config, "the creation rule for \(path) names Vault transit or KMS keys: encrypt with their credentials", source: config.file)
        }
        return try encrypt(
            plaintext, format: format, recipients: rule.recipients, rules: rule.encryption,
            source: path, limits: limits, now: now)
    }
}
