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
        "/api/v1/applications/\(APIPath.encode(name))\(suffix)" + (namespace.map { "?namespace=\(APIPath.encode($0))" } ?? "")
    }

    /// `namespace/name` or `name`, for messages.
    var display: String { namespace.map { "\($0)/\(name)" } ?? name }
}
