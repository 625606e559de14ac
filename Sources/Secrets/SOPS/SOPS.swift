import Crypto
import Foundation
import Manifests

/// Decrypts and encrypts SOPS files (YAML, JSON, dotenv) whose data key is wrapped with age or
/// a Vault transit or AWS KMS key (see `SOPS+KeyServices.swift`).
///
/// Every value is checked, and the file's MAC recomputed and compared, before any plaintext is
/// returned, so a modified file yields an error and nothing else.
///
/// Comments: dotenv `#` lines are kept and encrypted or decrypted as sops does. YAML and JSON
/// values carry no comments, so decrypting drops sops' `#ENC[…]` comments (and the comment-typed
/// list items sops writes for comments between list items), and encrypting YAML drops its comments.
/// Comments are outside the MAC, so this changes nothing that is verified. Files using
/// `encrypted_comment_regex` or `unencrypted_comment_regex` are refused.
/// ```swift
/// let identities = try AgeIdentity.parseFile(keyFileText)
/// let plain = try SOPS.decrypt(encryptedBytes, format: .yaml, identities: identities, source: "secret.enc.yaml")
/// let again = try SOPS.encrypt(plain, format: .yaml, recipients: identities.map(\.recipient))
/// ```
public enum SOPS {
    /// The file formats sops reads and writes that Keelson supports.
    public enum Format: String, Sendable, CaseIterable {
        /// YAML, possibly several documents sharing one data key and one MAC.
        case yaml
        /// JSON with an object at the top level.
        case json
        /// `KEY=value` lines with `#` comments.
        case dotenv

        /// The format sops infers from a file name (`.yaml`/`.yml`, `.json`, `.env`), or nil.
        public init?(path: String) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                self = .yaml
            } else if name.hasSuffix(".json") {
                self = .json
            } else if name.hasSuffix(".env") || name == ".env" {
                self = .dotenv
            } else {
                return nil
            }
        }
    }

    /// Bounds on the input, checked before any work.
    public struct Limits: Sendable, Hashable {
        /// The largest file accepted, in bytes.
        public var maxInputSize: Int
        /// The deepest nesting of mappings and lists accepted.
        public var maxDepth: Int

        /// Creates limits; the defaults fit any real Kubernetes manifest.
        public init(maxInputSize: Int = 8 << 20, maxDepth: Int = 200) {
            self.maxInputSize = maxInputSize
            self.maxDepth = maxDepth
        }
    }

    /// The largest age-encrypted data key accepted; a real one is under 400 bytes.
    static let maxWrappedKeySize = 16 << 10

    /// Decrypts a SOPS file and returns the plaintext file in the same format.
    ///
    /// YAML and JSON output carries the same data and key order, without comments; dotenv keeps its comment lines.
    public static func decrypt(
        _ input: [UInt8], format: Format, identities: [AgeIdentity], source: String? = nil, limits: Limits = Limits()
    ) throws(SOPSError) -> [UInt8] {
        try decrypt(input, format: format, keys: SOPSKeyRing(identities: identities), source: source, limits: limits)
    }

    /// Decrypts a SOPS file with age identities or data keys key services already unwrapped.
    public static func decrypt(
        _ input: [UInt8], format: Format, keys: SOPSKeyRing, source: String? = nil, limits: Limits = Limits()
    ) throws(SOPSError) -> [UInt8] {
        try naming(source) { () throws(SOPSError) in
            SOPSStore.emitPlain(try open(input, format: format, keys: keys, source: source, limits: limits), format: format)
        }
    }

    /// Decrypts a SOPS file into values: one per YAML document, one object for JSON and dotenv.
    public static func decryptValues(
        _ input: [UInt8], format: Format, identities: [AgeIdentity], source: String? = nil, limits: Limits = Limits()
    ) throws(SOPSError) -> [JSONValue] {
        try naming(source) { () throws(SOPSError) in
            try open(input, format: format, keys: SOPSKeyRing(identities: identities), source: source, limits: limits).map(\.jsonValue)
        }
    }

    /// Decrypts a SOPS file into values with age identities or data keys key services already unwrapped.
    public static func decryptValues(
        _ input: [UInt8], format: Format, keys: SOPSKeyRing, source: String? = nil, limits: Limits = Limits()
    ) throws(SOPSError) -> [JSONValue] {
        try naming(source) { () throws(SOPSError) in
            try open(input, format: format, keys: keys, source: source, limits: limits).map(\.jsonValue)
        }
    }

    /// Encrypts a plaintext file to age recipients; any one of their identities can decrypt it, with Keelson or sops.
    public static func encrypt(
        _ plaintext: [UInt8], format: Format, recipients: [AgeRecipient], rules: SOPSEncryptionRules = SOPSEncryptionRules(),
        source: String? = nil, limits: Limits = Limits(), now: Date = Date()
    ) throws(SOPSError) -> [UInt8] {
        guard !recipients.isEmpty else { throw SOPSError(.config, "no age recipients given", source: source) }
        return try seal(
            plaintext, format: format, dataKey: SymmetricKey(size: .bits256), recipients: recipients, wrapped: SOPSWrappedKeys(), rules: rules,
            source: source, limits: limits, now: now)
    }

    /// Encrypts with `dataKey`, wrapped for the age `recipients` and carrying the Vault and KMS
    /// entries already wrapped with it.
    static func seal(
        _ plaintext: [UInt8], format: Format, dataKey: SymmetricKey, recipients: [AgeRecipient], wrapped: SOPSWrappedKeys,
        rules: SOPSEncryptionRules, source: String?, limits: Limits, now: Date
    ) throws(SOPSError) -> [UInt8] {
        try naming(source) { () throws(SOPSError) in
            let file = try load(plaintext, format: format, source: source, limits: limits)
            guard case .none = file.metadata else {
                throw SOPSError(.syntax, "the file already has sops metadata; decrypt it before encrypting again")
            }
            var walker = try SOPSWalker(rules: rules, dataKey: dataKey)
            let branches = file.branches.map { walker.encrypt($0, path: []) }
            let lastModified = now.formatted(.iso8601)
            let mac = SOPSCipher.encrypt(.string(walker.mac), key: dataKey, additionalData: Array(lastModified.utf8))
            var entries: [SOPSMetadata.AgeEntry] = []
            let keyBytes = dataKey.withUnsafeBytes { Array($0) }
            for recipient in recipients {
                do {
                    let wrapped = try Age.encrypt(keyBytes, to: [recipient], armored: true)
                    entries.append(.init(recipient: recipient.description, enc: String(decoding: wrapped, as: UTF8.self)))
                } catch {
                    throw SOPSError(.config, "cannot wrap the data key for \(recipient)", cause: error)
                }
            }
            var metadata = SOPSMetadata(
                age: entries, lastModified: lastModified, mac: mac, rules: rules,
                version: SOPSMetadata.writtenVersion)
            metadata.vault = wrapped.vault.map { entry in
                var entry = entry
                if entry.createdAt.isEmpty { entry.createdAt = lastModified }
                return entry
            }
            metadata.kms = wrapped.kms.map { entry in
                var entry = entry
                if entry.createdAt.isEmpty { entry.createdAt = lastModified }
                return entry
            }
            return SOPSStore.emitEncrypted(branches, metadata: metadata, format: format)
        }
    }

    /// The marker every encrypted value of a sealed file becomes: `ENC[sealed:` and the first 12
    /// hex digits of the SHA-256 of the whole encrypted file, then `]`.
    public static let sealedPrefix = "ENC[sealed:"

    /// A SOPS file read without decrypting it: its documents without the `sops` metadata, each
    /// encrypted value replaced by one marker derived from the file's digest. Two sealed reads
    /// compare equal exactly when the encrypted file is unchanged, and no ciphertext or
    /// plaintext is carried.
    public static func sealed(_ input: [UInt8], format: Format, limits: Limits = Limits()) throws(SOPSError) -> [UInt8] {
        let file = try load(input, format: format, source: nil, limits: limits)
        let digest = SHA256.hash(data: input).prefix(6).map { String(format: "%02x", $0) }.joined()
        let marker = SOPSNode.leaf(.string(sealedPrefix + digest + "]"))
        func seal(_ node: SOPSNode) -> SOPSNode {
            switch node {
            case .mapping(let items):
                return .mapping(
                    items.compactMap { item in
                        guard case .pair(let key, let value) = item else { return nil }
                        return .pair(key, seal(value))
                    })
            case .sequence(let nodes): return .sequence(nodes.map(seal))
            case .leaf(.string(let text)) where text.hasPrefix("ENC["): return marker
            case .leaf, .null: return node
            }
        }
        return SOPSStore.emitPlain(file.branches.map(seal), format: format)
    }

    /// Whether the input carries sops metadata (it may still fail to decrypt).
    public static func isEncrypted(_ input: [UInt8], format: Format, limits: Limits = Limits()) -> Bool {
        guard let file = try? load(input, format: format, source: nil, limits: limits) else { return false }
        if case .some = file.metadata { return true }
        return false
    }

    // MARK: Internals

    static func load(_ input: [UInt8], format: Format, source: String?, limits: Limits) throws(SOPSError) -> SOPSLoadedFile {
        guard input.count <= limits.maxInputSize else {
            throw SOPSError(.inputTooLarge, "the file is \(input.count) bytes, over the \(limits.maxInputSize)-byte limit")
        }
        return try SOPSStore.load(input, format: format, file: source ?? "<sops>", maxDepth: limits.maxDepth)
    }

    /// Decrypts every value and checks the MAC; returns the plaintext trees only if all of it authenticates.
    private static func open(
        _ input: [UInt8], format: Format, keys: SOPSKeyRing, source: String?, limits: Limits
    ) throws(SOPSError) -> [SOPSNode] {
        let file = try load(input, format: format, source: source, limits: limits)
        guard case .some(let raw) = file.metadata else {
            throw SOPSError(.metadata, "no sops metadata found; the file is not encrypted with sops")
        }
        let metadata = try SOPSMetadata(raw)
        let dataKey = try unwrapDataKey(metadata, keys: keys)
        var walker = try SOPSWalker(rules: metadata.rules, dataKey: dataKey)
        var branches: [SOPSNode] = []
        for branch in file.branches { branches.append(try walker.decrypt(branch, path: [])) }
        guard !metadata.mac.isEmpty else { throw SOPSError(.macMismatch, "the file has no MAC") }
        let stored = try SOPSCipher.decrypt(
            metadata.mac, key: dataKey, additionalData: try metadata.macAdditionalData,
            what: "sops.mac (with sops.lastmodified)")
        guard case .string(let expected) = stored,
            Array(expected.utf8).constantTimeEquals(Array(walker.mac.utf8))
        else {
            throw SOPSError(
                .macMismatch,
                "the MAC over the values does not match sops.mac: "
                    + "a value was added, removed, reordered or changed")
        }
        return branches
    }

    private static func unwrapDataKey(_ metadata: SOPSMetadata, keys: SOPSKeyRing) throws(SOPSError) -> SymmetricKey {
        // Any one entry that works gives the data key; the MAC check that follows proves it right.
        let wrapped =
            metadata.vault.map { (enc: $0.enc, name: "Vault transit key \($0.key.uri)") }
            + metadata.kms.map { (enc: $0.enc, name: "KMS key \($0.key.description)") }
        for entry in wrapped {
            guard let key = keys.dataKeys[entry.enc] else { continue }
            guard key.count == 32 else {
                throw SOPSError(.metadata, "the data key the \(entry.name) unwrapped is \(key.count) bytes, not 32")
            }
            return SymmetricKey(data: key)
        }
        guard !metadata.age.isEmpty else {
            if !wrapped.isEmpty {
                let reasons = wrapped.compactMap { keys.failures[$0.enc] }
                throw SOPSError(
                    .noMatchingKey,
                    "the data key is wrapped by \(wrapped.map(\.name).joined(separator: ", ")) and "
                        + (reasons.isEmpty
                            ? "it was not unwrapped (no credentials for them were given (Vault: VAULT_TOKEN; KMS: AWS_ACCESS_KEY_ID and "
                                + "AWS_SECRET_ACCESS_KEY), or the file lies outside the folder scanned for wrapped keys)"
                            : "none unwrapped it: " + reasons.joined(separator: "; ")))
            }
            throw SOPSError(.unsupported, "the file has no age recipients, Vault transit keys or KMS keys; only those are supported")
        }
        let identities = keys.identities
        var failure: SOPSError?
        for entry in metadata.age {
            let wrapped = Array(entry.enc.utf8)
            guard wrapped.count <= maxWrappedKeySize else {
                throw SOPSError(.inputTooLarge, "the data key for \(entry.recipient) is \(wrapped.count) bytes")
            }
            do {
                let key = try Age.decrypt(wrapped, identities: identities, format: .armored, maxInputSize: maxWrappedKeySize)
                guard key.count == 32 else {
                    throw SOPSError(.metadata, "the data key for \(entry.recipient) is \(key.count) bytes, not 32")
                }
                return SymmetricKey(data: key)
            } catch let error as AgeError where error.code == .noMatch {
                continue
            } catch let error as AgeError {
                failure = SOPSError(
                    .authentication,
                    "the age-encrypted data key for \(entry.recipient) "
                        + "does not decrypt: \(error.description)", cause: error)
            } catch let error as SOPSError {
                throw error
            } catch {
                failure = SOPSError(.authentication, "the data key for \(entry.recipient) does not decrypt")
            }
        }
        throw failure
            ?? SOPSError(
                .noMatchingKey,
                "none of the \(identities.count) identities matches the file's age "
                    + "recipients (\(metadata.age.map(\.recipient).joined(separator: ", ")))")
    }

    /// Runs `body`, naming `source` in any error that does not name a file yet.
    private static func naming<T>(_ source: String?, _ body: () throws(SOPSError) -> T) throws(SOPSError) -> T {
        do {
            return try body()
        } catch {
            var named = error
            if named.source == nil { named.source = source }
            throw named
        }
    }
}

extension [UInt8] {
    /// Compares without an early exit, so timing does not reveal how much of a MAC matched.
    fileprivate func constantTimeEquals(_ other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        var difference: UInt8 = 0
        for index in indices { difference |= self[index] ^ other[index] }
        return difference == 0
    }
}
