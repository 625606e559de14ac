import ArgumentParser
import Foundation
import Manifests

/// `keelson rollout ...`: progressive rollouts through the Keelson REST API, as `keelson app`.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "List, inspect, wait for, promote, abort, retry, pause and resume progressive rollouts through the Keelson API.",
        discussion: """
            Talks to the server that `keelson controller` starts (--server, default http://127.0.0.1:8080) \
            with a bearer token (--token, or the environment variable KEELSON_TOKEN). A Rollout is found \
            through the Application whose status lists it, unless --app names it. kubectl users can ask \
            the same with an annotation on the Rollout: keelson.dev/promote: "true" (promote-full, abort, \
            retry, pause, resume).
            """,
        subcommands: [
            RolloutList.self, RolloutGet.self, RolloutStatusCommand.self, RolloutPromote.self, RolloutAbort.self, RolloutRetry.self,
            RolloutPause.self, RolloutResume.self,
        ]
    )
}

/// One Rollout: its name and namespace, and optionally the Application it belongs to.
struct RolloutTarget: ParsableArguments {
    @Argument(help: "The Rollout's name.")
    var name: String

    @Option(name: .shortAndLong, help: "The Rollout's namespace.")
    var namespace = "default"

    @Option(help: "The Application the Rollout belongs to (default: the one whose status lists it).")
    var app: String?

    @Option(help: "The Application's namespace, where its name exists in several.")
    var appNamespace: String?

    func validate() throws {
        for (flag, value) in [
            ("the Rollout name", name), ("--namespace", namespace), ("--app", app ?? "x"), ("--app-namespace", appNamespace ?? "x"),
        ] {
            guard !value.isEmpty, value.utf8.count <= 253 else { throw ValidationError("\(flag) must be 1 to 253 characters") }
        }
    }

    /// `namespace/name`.
    var display: String { "\(namespace)/\(name)" }

    /// The Application holding the Rollout: `--app`, or the one whose `status.rollouts` lists it.
    /// A failure is one line on stderr and exit status `code`.
    func application(_ api: APIOptions, exitCode code: Int32 = 1) async throws -> AppTarget {
        if let app { return try AppTarget.parse([app] + (appNamespace.map { ["--namespace", $0] } ?? [])) }
        let reply = try await api.get("/api/v1/applications", exitCode: code)
        let owners = (reply["items"]?.arrayValue ?? []).filter { app in
            (app["rollouts"]?.arrayValue ?? []).contains { $0["namespace"]?.stringValue == namespace && $0["name"]?.stringValue == name }
        }
        let ids = owners.map { "\($0["namespace"]?.stringValue ?? "")/\($0["name"]?.stringValue ?? "")" }
        guard let owner = owners.first, ids.count == 1 else {
            CLI.error(
                ids.isEmpty
                    ? "no application lists Rollout \(display) (see `keelson rollout list -A`, or pass --app)"
                    : "Rollout \(display) is listed by several applications (\(ids.joined(separator: ", "))); pass --app")
            throw ExitCode(code)
        }
        return try AppTarget.parse([owner["name"]?.stringValue ?? "", "--namespace", owner["namespace"]?.stringValue ?? ""])
    }

    /// The Rollout as `GET .../rollouts` shows it, with its Application's delivery verdict.
    func fetch(_ api: APIOptions, in app: AppTarget, exitCode code: Int32 = 1) async throws -> (rollout: JSONValue, delivery: JSONValue) {
        let reply = try await api.get(app.path("/rollouts"), exitCode: code)
        guard let item = (reply["items"]?.arrayValue ?? []).first(where: Self.matches(namespace: namespace, name: name)) else {
            CLI.error("application \(app.display) has no Rollout \(display)")
            throw ExitCode(code)
        }
        return (item, reply["delivery"] ?? .null)
    }

    static func matches(namespace: String, name: String) -> (JSONValue) -> Bool {
        { $0["namespace"]?.stringValue == namespace && $0["name"]?.stringValue == name }
    }
}
