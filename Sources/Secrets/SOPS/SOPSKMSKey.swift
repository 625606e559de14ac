/// An AWS KMS key as sops names it: `--kms ARN` (an optional `+arn:aws:iam::…:role/R` suffix
/// names a role to assume), written into a file's metadata as `kms` entries (`arn`, `role`,
/// `context`, `created_at`, `enc`, `aws_profile`). The encryption context is bound to the
/// wrapped data key: decrypting needs the same one.
public struct SOPSKMSKey: Sendable, Hashable, CustomStringConvertible {
    /// The key ARN, `arn:aws:kms:REGION:ACCOUNT:key/ID`.
    public var arn: String
    /// A role to assume first; Keelson refuses these (it does not call STS).
    public var role: String
    /// The encryption context.
    public var context: [String: String]
    /// The AWS profile sops would read credentials from; Keelson ignores it (as Flux does).
    public var awsProfile: String

    /// Creates a key reference.
    public init(arn: String, role: String = "", context: [String: String] = [:], awsProfile: String = "") {
        self.arn = arn
        self.role = role
        self.context = context
        self.awsProfile = awsProfile
    }

    /// Parses sops' `--kms` form: an ARN, blanks removed, with an optional `+ROLE_ARN`.
    /// A key that is no KMS ARN (so names no region) is refused.
    public init(argument: String, context: [String: String] = [:], awsProfile: String = "") throws(SOPSError) {
        let text = argument.filter { $0 != " " }
        var arn = text
        var role = ""
        if let plus = text.range(of: "+arn:aws") {
            arn = String(text[..<plus.lowerBound])
            role = String(text[text.index(after: plus.lowerBound)...])
        }
        guard KMSClient.region(ofARN: arn) != nil else {
            throw SOPSError(.config, "\(argument) is not a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID")
        }
        self.init(arn: arn, role: role, context: context, awsProfile: awsProfile)
    }

    /// Parses sops' `--encryption-context` form, `key:value,key2:value2`.
    public static func context(_ text: String) throws(SOPSError) -> [String: String] {
        var context: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw SOPSError(.config, "encryption context \"\(pair)\" is not key:value")
            }
            context[String(parts[0])] = String(parts[1])
        }
        return context
    }

    /// The ARN, with the role as sops prints it.
    public var description: String { role.isEmpty ? arn : arn + "+" + role }
}

/// One `kms` entry of a file's metadata: the key and the data key it wrapped (base64 ciphertext blob).
public struct SOPSKMSWrappedKey: Sendable, Hashable {
    /// The KMS key, its role and encryption context.
    public var key: SOPSKMSKey
    /// The wrapped data key, base64.
    public var enc: String
    /// When it was wrapped, RFC 3339.
    public var createdAt: String

    /// Creates an entry.
    public init(key: SOPSKMSKey, enc: String, createdAt: String) {
        self.key = key
        self.enc = enc
        self.createdAt = createdAt
    }
}
