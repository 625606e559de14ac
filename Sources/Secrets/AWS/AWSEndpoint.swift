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
        let chosen =
            nonEmpty(override) ?? nonEmpty(environment["AWS_ENDPOINT_URL_" + variableSuffix]) ?? nonEmpty(environment["AWS_ENDPOINT_URL"])
            ?? "https://\(service).\(region).amazonaws.com"
        guard let url = URL(string: chosen), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw AWSEndpointError(endpoint: chosen)
        }
        return url
    }

    private static func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
}

/// An endpoint that is no http(s) URL.
public struct AWSEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text given.
    public var endpoint: String
    public var description: String { "AWS endpoint \"\(endpoint)\" is not an http(s) URL" }
}
