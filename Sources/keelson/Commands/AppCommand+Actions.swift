import ArgumentParser
import Foundation
import Manifests

/// `keelson app sync NAME [--prune] [--dry-run] [--revision R]`.
struct AppSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Sync an application now (or show what a sync would do with --dry-run).")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget
    @Flag(help: "Delete objects Git no longer has.") var prune = false
    @Flag(help: "Show what would change; change nothing.") var dryRun = false
    @Option(help: "Sync this commit (pinned like a rollback until a newer commit arrives); on an automated application only an admin token may.")
    var revision: String?
    @Option(name: .shortAndLong, help: "Output format for --dry-run: text, json or yaml.") var output: OutputFormat = .text

    func validate() throws {
        if let revision, revision.isEmpty || revision.utf8.count > 255 { throw ValidationError("--revision must be 1 to 255 characters") }
    }

    func run() async throws {
        var body: JSONObject = [:]
        if prune { body["prune"] = true }
        if dryRun { body["dryRun"] = true }
        if let revision { body["revision"] = .string(revision) }
        let reply = try await api.post(target.path("/sync"), body: .object(body))
        if dryRun { return output.write(reply) { AppFormatter(now: Date()).plan(reply) } }
        CLI.write(accepted(reply, action: "sync", fallback: target.display))
    }
}

/// `keelson app refresh NAME`.
struct AppRefresh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "refresh", abstract: "Fetch the source and compare now.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget

    func run() async throws {
        let reply = try await api.post(target.path("/refresh"))
        CLI.write(accepted(reply, action: "refresh", fallback: target.display))
    }
}

/// `keelson app rollback NAME ID`.
struct AppRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Pin an application to the revision of a history entry (see `keelson app history`).")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget
    @Argument(help: "The history entry's ID.") var id: Int

    func validate() throws {
        guard id >= 0 else { throw ValidationError("the history ID must not be negative") }
    }

    func run() async throws {
        let reply = try await api.post(target.path("/rollback"), body: ["id": .number(JSONNumber(Int64(id)))])
        CLI.write(accepted(reply, action: "rollback to history entry \(id)", fallback: target.display))
    }
}

/// `keelson app suspend NAME`.
struct AppSuspend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Stop syncing an application until it is resumed.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget

    func run() async throws {
        try await setSuspended(api: api, target: target, action: "suspend")
    }
}

/// `keelson app resume NAME`.
struct AppResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume syncing a suspended application.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget

    func run() async throws {
        try await setSuspended(api: api, target: target, action: "resume")
    }
}

private func setSuspended(api: APIOptions, target: AppTarget, action: String) async throws {
    let app = try await api.post(target.path("/" + action))
    let id = "\(app["namespace"]?.stringValue ?? "")/\(app["name"]?.stringValue ?? target.name)"
    let state = app["suspended"]?.boolValue == true ? "suspended" : "resumed"
    CLI.write(
        "\(id) \(state) (sync \(app["sync"]?["status"]?.stringValue ?? "Unknown"), health \(app["health"]?["status"]?.stringValue ?? "Unknown"))\n")
}

/// `<action> of ns/name requested` from a 202 reply.
private func accepted(_ reply: JSONValue, action: String, fallback: String) -> String {
    "\(action) of \(reply["application"]?.stringValue ?? fallback) requested\n"
}
