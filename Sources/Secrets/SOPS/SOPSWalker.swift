import Crypto

/// One pass over a SOPS tree that encrypts or decrypts every selected value and hashes values for the MAC.
///
/// The MAC is SHA-512 over the plaintext of each non-null, non-comment value in document order,
/// as uppercase hex; with `mac_only_encrypted` it starts from SHA-256("sops") and skips plaintext values.
struct SOPSWalker {
    private let matcher: SOPSPathMatcher
    private let macOnlyEncrypted: Bool
    private let key: SymmetricKey
    private var hash = SHA512()

    init(rules: SOPSEncryptionRules, dataKey: SymmetricKey) throws(SOPSError) {
        matcher = try rules.matcher()
        macOnlyEncrypted = rules.macOnlyEncrypted
        key = dataKey
        if macOnlyEncrypted {
            // A fixed prefix, so a MAC over encrypted values only never equals a MAC over all values.
            hash.update(data: Array(SHA256.hash(data: Array("sops".utf8))))
        }
    }

    /// The MAC over everything walked so far, as sops writes it before encrypting it.
    var mac: String {
        hash.finalize().map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    private mutating func addToMAC(_ scalar: SOPSScalar, encrypted: Bool) {
        if case .comment = scalar { return }
        if macOnlyEncrypted && !encrypted { return }
        hash.update(data: scalar.canonicalBytes)
    }

    /// The key path as errors show it; keys are plaintext in SOPS files, so naming them leaks nothing.
    static func describe(_ path: [String]) -> String {
        path.isEmpty ? "a top-level comment" : "the value at \"\(path.joined(separator: "."))\""
    }

    // MARK: Encrypting

    /// Encrypts the selected values of `node`, whose keys are `path`.
    mutating func encrypt(_ node: SOPSNode, path: [String]) -> SOPSNode {
        switch node {
        case .null:
            return .null
        case .leaf(let scalar):
            let encrypted = matcher.shouldEncrypt(path)
            addToMAC(scalar, encrypted: encrypted)
            guard encrypted else { return node }
            // sops leaves empty strings unencrypted.
            if case .string("") = scalar { return node }
            return .leaf(.string(SOPSCipher.encrypt(scalar, key: key, additionalData: SOPSCipher.additionalData(path: path))))
        case .sequence(let nodes):
            return .sequence(nodes.map { encrypt($0, path: path) })
        case .mapping(let items):
            return .mapping(
                items.map { item in
                    switch item {
                    case .pair(let name, let value):
                        return .pair(name, encrypt(value, path: path + [name]))
                    case .comment(let text):
                        guard matcher.shouldEncrypt(path), !text.isEmpty else { return item }
                        let aad = SOPSCipher.additionalData(path: path)
                        return .comment(SOPSCipher.encrypt(.comment(text), key: key, additionalData: aad))
                    }
                })
        }
    }

    // MARK: Decrypting

    /// Decrypts the selected values of `node`; nothing is returned unless every value authenticates.
    mutating func decrypt(_ node: SOPSNode, path: [String], inSequence: Bool = false) throws(SOPSError) -> SOPSNode {
        switch node {
        case .null:
            return .null
        case .leaf(let scalar):
            let encrypted = matcher.shouldEncrypt(path)
            let plain = encrypted ? try decryptLeaf(scalar, path: path) : scalar
            if case .comment = plain, !inSequence {
                throw SOPSError(.malformedValue, "\(Self.describe(path)) decrypts to a comment, which only a list may hold")
            }
            addToMAC(plain, encrypted: encrypted)
            return .leaf(plain)
        case .sequence(let nodes):
            var out: [SOPSNode] = []
            out.reserveCapacity(nodes.count)
            for child in nodes { out.append(try decrypt(child, path: path, inSequence: true)) }
            return .sequence(out)
        case .mapping(let items):
            var out: [SOPSItem] = []
            out.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .pair(let name, let value):
                    out.append(.pair(name, try decrypt(value, path: path + [name])))
                case .comment(let text):
                    out.append(.comment(decryptComment(text, path: path)))
                }
            }
            return .mapping(out)
        }
    }

    private func decryptLeaf(_ scalar: SOPSScalar, path: [String]) throws(SOPSError) -> SOPSScalar {
        guard case .string(let text) = scalar else {
            throw SOPSError(
                .malformedValue,
                "\(Self.describe(path)) is a plaintext \(scalar.typeName), "
                    + "but the file's rules say it is encrypted")
        }
        // sops leaves empty strings unencrypted.
        if text.isEmpty { return scalar }
        return try SOPSCipher.decrypt(
            text, key: key, additionalData: SOPSCipher.additionalData(path: path),
            what: Self.describe(path))
    }

    /// Comments are outside the MAC; one that does not decrypt is kept as written, as sops does
    /// for files from versions that left comments in plaintext.
    private func decryptComment(_ text: String, path: [String]) -> String {
        guard matcher.shouldEncrypt(path), SOPSCipher.looksEncrypted(text) else { return text }
        let aad = SOPSCipher.additionalData(path: path)
        switch try? SOPSCipher.decrypt(text, key: key, additionalData: aad, what: "a comment") {
        case .comment(let plain)?, .string(let plain)?: return plain
        default: return text
        }
    }
}
