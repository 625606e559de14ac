import ArgumentParser
import Foundation
import Manifests

/// `keelson app list [--sync S] [--health H] [-q TEXT]`.
struct AppList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List applications with their sync and health.")

    @OptionGroup var api: APIOptions
    @Option(help: "Only applications with this sync status (Synced, OutOfSync, Unknown).") var sync: String?
    @Option(help: "Only applications with this health (Healthy, Progressing, Degraded, Suspended, Missing, Unknown).") var health: String?
    @Option(name: .customShort("q"), help: "Only applications whose name, namespace or repository contains this text.") var query: String?
    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.") var output: OutputFormat = .text

    func run() async throws {
        let filters = [("sync", sync), ("health", health), ("q", query)].compactMap { name, value in value.map { "\(name)=\(APIPath.encode($0))" } }
        let path = "/api/v1/applications" + (filters.isEmpty ? "" : "?" + filters.joined(separator: "&"))
        let reply = try await api.get(path)
        output.write(reply) { AppFormatter(now: Date()).list(reply) }
    }
}

/// `keelson app get NAME`.
struct AppGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show an application: source, status, conditions, resources.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget
    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.") var output: OutputFormat = .text

    func run() async throws {
        let app = try await api.get(target.path())
        guard output == .text else { return output.write(app) { "" } }
        // Resources need a render; before the first one the details still print.
        let resources = try? await api.client.get(target.path("/resources"))
        CLI.write(AppFormatter(now: Date()).detail(app, resources: resources))
    }
}

/// `keelson app history NAME`.
struct AppHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an application's sync history.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget
    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.") var output: OutputFormat = .text

    func run() async throws {
        let reply = try await api.get(target.path("/history"))
        output.write(reply) { AppFormatter(now: Date()).history(reply) }
    }
}

/// `keelson app diff NAME [--kind K] [--object NAME]`: exit 0 in sync, 1 different, 2 on error.
struct AppDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show the diff between Git and the live objects (Secret values masked).",
        discussion: "Exit status: 0 when in sync, 1 when there are differences, 2 on error (like kubectl diff).")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: AppTarget
    @Option(help: "Only objects of this kind.") var kind: String?
    @Option(name: .customLong("object"), help: "Only objects with this name.") var objectName: String?
    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.") var output: OutputFormat = .text

    func run() async throws {
        let reply = try await api.get(target.path("/diff"), exitCode: 2)
        let items = (reply["items"]?.arrayValue ?? []).filter { item in
            (kind == nil || item["kind"]?.stringValue == kind) && (objectName == nil || item["name"]?.stringValue == objectName)
        }
        output.write(["items": .array(items)]) { AppFormatter(now: Date()).diff(items) }
        if !items.isEmpty { throw ExitCode(1) }
    }
}
