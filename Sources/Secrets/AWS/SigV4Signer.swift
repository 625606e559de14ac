import Crypto
import Foundation

/// AWS Signature Version 4 for request headers: the canonical request, the string to sign, the
/// derived signing key and the `Authorization` header, as AWS documents them. Shared by every
/// AWS client Keelson has (Secrets Manager, and KMS for SOPS).
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "eu-west-1", service: "secretsmanager")
/// let headers = signer.sign(method: "POST", url: url, headers: [("Content-Type", "application/x-amz-json-1.1")], payload: body, date: Date())
/// ```
public struct SigV4Signer: Sendable {
    /// The credentials that sign.
    public var credentials: AWSCredentials
    /// The region of the scope, e.g. `us-east-1`.
    public var region: String
    /// The service of the scope, e.g. `secretsmanager`.
    public var service: String

    /// Creates a signer.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to send: `headers` plus `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (with a
    /// session token) and `Authorization`. `url` must be absolute; its path and query are taken as
    /// already percent-encoded. A `X-Amz-Content-Sha256` header in `headers` is used as the
    /// payload hash (S3); otherwise the payload is hashed.
    public func sign(method: String, url: URL, headers: [(String, String)], payload: [UInt8], date: Date) -> [(String, String)] {
        let (amzDate, day) = Self.timestamps(date)
        var all = headers.filter { $0.0.lowercased() != "authorization" }
        if !all.contains(where: { $0.0.lowercased() == "host" }) { all.append(("Host", Self.hostHeader(url))) }
        all.append(("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken { all.append(("X-Amz-Security-Token", token)) }
        let payloadHash = all.first { $0.0.lowercased() == "x-amz-content-sha256" }?.1 ?? Self.hex(SHA256.hash(data: payload))
        let canonical = canonicalRequest(method: method, url: url, headers: all, payloadHash: payloadHash)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n" + Self.hex(SHA256.hash(data: Array(canonical.request.utf8)))
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: day)))
        all.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
            ))
        return all
    }

    /// The canonical request and its signed header list.
    func canonicalRequest(method: String, url: URL, headers: [(String, String)], payloadHash: String) -> (request: String, signedHeaders: String) {
        var byName: [String: [String]] = [:]
        for (name, value) in headers { byName[name.lowercased(), default: []].append(Self.trimmed(value)) }
        let names = byName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(byName[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let request = [method.uppercased(), canonicalURI(url), Self.canonicalQuery(url), canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        return (request, signedHeaders)
    }

    /// The path, each segment encoded once more except for S3, which signs the path as sent.
    func canonicalURI(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        guard !path.isEmpty else { return "/" }
        if service == "s3" { return path }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { Self.encode(String($0)) }.joined(separator: "/")
    }

    /// Query parameters decoded, re-encoded the AWS way and sorted by name, then value; a name
    /// without a value signs as `name=`.
    static func canonicalQuery(_ url: URL) -> String {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery, !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (encode(name), encode(value))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// AWS's URI encoding: every byte but `A-Z a-z 0-9 - _ . ~` as `%XX`, upper-case hex.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `Host` as the URL names it: the port only when it is not the scheme's default.
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let isDefault = (url.scheme == "https" && port == 443) || (url.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }

    /// Leading and trailing blanks removed, inner runs of spaces collapsed to one.
    static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` and `YYYYMMDD` in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = String(format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return (day + String(format: "T%02d%02d%02dZ", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0), day)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
