import ArgumentParser
import Foundation
import Manifests
import Server

/// `keelson app ...`: applications through the Keelson REST API (`keelson controller --listen`).
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app",
        abstract: "List, inspect, diff, sync and roll back applications through the Keelson API.",
        discussion: """
            Talks to the server that `keelson controller` starts (--server, default http://127.0.0.1:8080) \
            with a bearer token (--token, or the environment variable KEELSON_TOKEN).
            """,
        subcommands: [
            AppList.self, AppGet.self, AppHistory.self, AppDiff.self, AppSync.self, AppRefresh.self, AppRollback.self,
            AppSuspend.self, AppResume.self,
        ]
    )
}

/// Where the API is and how to authenticate.
struct APIOptions: ParsableArguments {
    @Option(help: "The Keelson server's URL.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "The API token (default: $KEELSON_TOKEN). Prefer the environment: arguments show in process lists.")
    var token: String?

    @Option(help: "Seconds to wait for the server.")
    var timeout = 30

    func validate() throws {
        guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--server must be an http:// or https:// URL, got '\(server)'")
        }
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be 1 to 3600 seconds") }
    }

    var client: AppAPIClient {
        let token = self.token ?? ProcessInfo.processInfo.environment["KEELSON_TOKEN"]
        return AppAPIClient(server: server, token: token.flatMap { $0.isEmpty ? nil : $0 }, timeout: .seconds(Int64(timeout)))
    }
}

/// One application: its name and, where names repeat across namespaces, its namespace.
struct AppTarget: ParsableArguments {
    @Argument(help: "The application's name.")
    var name: String

    @Option(name: .shortAndLong, help: "The application's namespace (needed when the name exists in several).")
    var namespace: String?

    func validate() throws {
        guard !name.isEmpty, name.utf8.count <= 253 else { throw ValidationError("the application name must be 1 to 253 characters") }
        if let namespace, namespace.isEmpty || namespace.utf8.count > 63 { throw ValidationError("--namespace must be 1 to 63 characters") }
    }

    /// `/api/v1/applications/NAME[/suffix][?namespace=NS]`.
    func path(_ suffix: String = "") -> String {
        "/api/v1/applications/\(AppPath.encode(name))\(suffix)" + (namespace.map { "?namespace=\(AppPath.encode($0))" } ?? "")
    }

    /// `namespace/name` or `name`, for messages.
    var display: String { namespace.map { "\($0)/\(name)" } ?? name }
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

enum AppPath {
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
        return try await reportingFailure(exitCode: code) { () throws(AppAPIError) in try await client.get(path) }
    }

    /// POSTs `body` to `path` and returns the reply; a failure is one line on stderr and exit status 1.
    func post(_ path: String, body: JSONValue = [:]) async throws -> JSONValue {
        let client = self.client
        return try await reportingFailure { () throws(AppAPIError) in try await client.post(path, body: body).json }
    }

    /// Runs an API call; its failure is one line on stderr and exit status `code`.
    private func reportingFailure<T>(exitCode code: Int32 = 1, _ body: () async throws(AppAPIError) -> T) async throws -> T {
        do { return try await body() } catch {
            CLI.error(error.description)
            throw ExitCode(code)
        }
    }
}
