import Foundation

/// Where an AWS service is reached: the standard endpoint-override variables first
/// (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, as the AWS SDKs read them), then
/// `https://<service>.<region>.amazonaws.com`.
public enum AWSEndpoint {
    /// The endpoint of `service` (e.g. `secretsmanager`, whose variable suffix is `SECRETS_MANAGER`).
    public static func url(
        service: String, variableSuffix: String, region: String, override: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AWSEndpointError) -> URL {
        guard isValidRegion(region) else { throw AWSEndpointError(endpoint: "region \"\(region)\"") }
        let chosen =
            nonEmpty(override) ?? nonEmpty(environment["AWS_ENDPOINT_URL_" + variableSuffix]) ?? nonEmpty(environment["AWS_ENDPOINT_URL"])
            ?? "https://\(service).\(region).amazonaws.com"
        guard let url = URL(string: chosen), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw AWSEndpointError(endpoint: chosen)
        }
        return url
    }

    /// Whether `region` is a region's name (`eu-west-1`): lowercase letters, digits and `-` only,
    /// so that it cannot change the host of the endpoint it is put into.
    public static func isValidRegion(_ region: String) -> Bool {
        !region.isEmpty && region.utf8.count <= 64
            && region.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
}

/// An endpoint that is no http(s) URL.
public struct AWSEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text given.
    public var endpoint: String
    public var description: String { "AWS endpoint \"\(endpoint)\" is not an http(s) URL" }
}
