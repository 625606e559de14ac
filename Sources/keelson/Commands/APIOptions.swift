import ArgumentParser
import Foundation
import Manifests

/// Where the API is and how to authenticate.
struct APIOptions: ParsableArguments {
    @Option(help: "The Keelson server's URL.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "The API token (default: $KEELSON_TOKEN). Prefer the environment: arguments show in process lists.")
    var token: String?

    @Option(help: "How long to wait: for the server's answer (default 30s), and with `rollout status --wait` for the rollout (default 10m).")
    var timeout: DurationArgument?

    func validate() throws {
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--server must be an http:// or https:// URL, got '\(server)'")
        }
        if let timeout, timeout.duration < .seconds(1) || timeout.duration > .seconds(86_400) {
            throw ValidationError("--timeout must be 1s to 24h")
        }
    }

    var client: APIClient {
        let token = self.token ?? ProcessInfo.processInfo.environment["KEELSON_TOKEN"]
        let seconds = min(timeout?.seconds ?? 30, 3600)
        return APIClient(server: server, token: token.flatMap { $0.isEmpty ? nil : $0 }, timeout: .seconds(seconds))
    }
}

/// `-o json|yaml` for reads; the default is text.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, yaml

    /// `value` printed as this format (text is the caller's own).
    func write(_ value: JSONValue, text: () -> String) {
        switch self {
        case .text: CLI.write(text())
        case .json: CLI.write(JSONWriter.pretty(value))
        case .yaml: CLI.write(YAMLEncoder.encode(value))
        }
    }
}

/// Paths of the Keelson API.
enum APIPath {
    /// Percent-encodes one path segment or query value.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }
}

extension APIOptions {
    /// GETs `path` from the API; a failure is one line on stderr and exit status `code`.
    func get(_ path: String, exitCode code: Int32 = 1) async throws -> JSONValue {
        let client = self.client
        return try await reportingFailure(exitCode: code) { () throws(APIClientError) in try await client.get(path) }
    }

    /// POSTs `body` to `path` and returns the reply; a failure is one line on stderr and exit status 1.
    func post(_ path: String, body: JSONValue = [:]) async throws -> JSONValue {
        let client = self.client
        return try await reportingFailure { () throws(APIClientError) in try await client.post(path, body: body).json }
    }

    /// Runs an API call; its failure is one line on stderr and exit status `code`.
    private func reportingFailure<T>(exitCode code: Int32 = 1, _ body: () async throws(APIClientError) -> T) async throws -> T {
        do { return try await body() } catch {
            CLI.error(error.description)
            throw ExitCode(code)
        }
    }
}
