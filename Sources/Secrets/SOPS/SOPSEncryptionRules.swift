import Foundation

/// Which values of a file are encrypted, and what the MAC covers; stored in the file's `sops` metadata.
///
/// ```swift
/// let rules = SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$"))
/// ```
public struct SOPSEncryptionRules: Sendable, Hashable {
    /// The one rule (sops allows at most one) that decides, from a value's key path, whether it is encrypted.
    public enum Selector: Sendable, Hashable {
        /// Values under a key ending in the suffix stay plaintext; sops' default with `_unencrypted`.
        case unencryptedSuffix(String)
        /// Only values under a key ending in the suffix are encrypted.
        case encryptedSuffix(String)
        /// Values under a key matching the regular expression stay plaintext.
        case unencryptedRegex(String)
        /// Only values under a key matching the regular expression are encrypted.
        case encryptedRegex(String)

        /// The metadata key sops stores this rule under.
        public var metadataKey: String {
            switch self {
            case .unencryptedSuffix: "unencrypted_suffix"
            case .encryptedSuffix: "encrypted_suffix"
            case .unencryptedRegex: "unencrypted_regex"
            case .encryptedRegex: "encrypted_regex"
            }
        }

        /// The suffix or pattern.
        public var argument: String {
            switch self {
            case .unencryptedSuffix(let s), .encryptedSuffix(let s), .unencryptedRegex(let s), .encryptedRegex(let s): s
            }
        }
    }

    /// sops' default suffix for keys whose values stay plaintext.
    public static let defaultUnencryptedSuffix = "_unencrypted"

    /// The rule that picks encrypted values.
    public var selector: Selector
    /// Whether the MAC covers only encrypted values (`mac_only_encrypted`), so plaintext ones may change freely.
    public var macOnlyEncrypted: Bool

    /// Creates rules; the defaults are sops' (`unencrypted_suffix: _unencrypted`, MAC over every value).
    public init(selector: Selector = .unencryptedSuffix(defaultUnencryptedSuffix), macOnlyEncrypted: Bool = false) {
        self.selector = selector
        self.macOnlyEncrypted = macOnlyEncrypted
    }

    /// Builds the selector from sops' metadata keys, refusing more than one, defaulting to `_unencrypted`.
    static func selector(
        unencryptedSuffix: String?, encryptedSuffix: String?, unencryptedRegex: String?, encryptedRegex: String?
    ) throws(SOPSError) -> Selector {
        var found: [Selector] = []
        if let s = unencryptedSuffix, !s.isEmpty { found.append(.unencryptedSuffix(s)) }
        if let s = encryptedSuffix, !s.isEmpty { found.append(.encryptedSuffix(s)) }
        if let s = unencryptedRegex, !s.isEmpty { found.append(.unencryptedRegex(s)) }
        if let s = encryptedRegex, !s.isEmpty { found.append(.encryptedRegex(s)) }
        guard found.count <= 1 else {
            throw SOPSError(
                .metadata,
                "more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex "
                    + "and unencrypted_regex is set (\(found.map(\.metadataKey).joined(separator: ", ")))")
        }
        return found.first ?? .unencryptedSuffix(defaultUnencryptedSuffix)
    }

    /// A compiled form for one walk over a tree.
    func matcher() throws(SOPSError) -> SOPSPathMatcher {
        try SOPSPathMatcher(selector)
    }
}

/// Decides per key path whether a value is encrypted, as sops' `shouldBeEncrypted` does for these four rules.
struct SOPSPathMatcher {
    private let selector: SOPSEncryptionRules.Selector
    private let regex: NSRegularExpression?

    init(_ selector: SOPSEncryptionRules.Selector) throws(SOPSError) {
        self.selector = selector
        switch selector {
        case .unencryptedRegex(let pattern), .encryptedRegex(let pattern):
            do {
                regex = try NSRegularExpression(pattern: pattern)
            } catch {
                throw SOPSError(.metadata, "\(selector.metadataKey) is not a valid regular expression")
            }
        case .unencryptedSuffix, .encryptedSuffix:
            regex = nil
        }
    }

    /// Whether any key on the path matches; an unanchored search, like Go's `regexp.Match`.
    private func anyMatches(_ path: [String]) -> Bool {
        guard let regex else { return false }
        return path.contains { key in
            regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil
        }
    }

    /// Byte-wise, as Go compares; Swift's `hasSuffix` would also match canonically equivalent spellings.
    private static func hasSuffix(_ key: String, _ suffix: String) -> Bool {
        key.utf8.count >= suffix.utf8.count && key.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    /// Whether the value at `path` is encrypted.
    func shouldEncrypt(_ path: [String]) -> Bool {
        switch selector {
        case .unencryptedSuffix(let suffix): !path.contains { Self.hasSuffix($0, suffix) }
        case .encryptedSuffix(let suffix): path.contains { Self.hasSuffix($0, suffix) }
        case .unencryptedRegex: !anyMatches(path)
        case .encryptedRegex: anyMatches(path)
        }
    }
}
