import ArgumentParser
import Controller
import Foundation
import KeelsonFoundation
import Logging
import Manifests
import Progressive
import Sync

/// `keelson sync PATH --app NAME`: make the cluster equal to what PATH renders to.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync a rendered path to the cluster as one application.",
        discussion: """
            Objects are applied with server-side apply (field manager keelson) in order: CRDs, Namespaces, cluster RBAC, \
            *Class kinds, then Helm's kind order, by sync wave; PreSync/Sync/PostSync hooks run in their phase. With \
            --prune, objects a previous sync applied that PATH no longer holds are deleted. Exit status 1 when the sync \
            fails or, with --wait, the application is not healthy.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "What to render: a directory, a file, or a kustomization.")
    var path: String

    @Option(help: "The application: NAME (in namespace keelson) or NAMESPACE/NAME; it names the tracking labels and the inventory.")
    var app: String

    @Option(name: .shortAndLong, help: "The namespace for objects that name none.")
    var namespace = "default"

    @Flag(help: "Delete objects a previous sync applied that PATH no longer holds.")
    var prune = false

    @Flag(name: .customLong("allow-empty"), help: "Let an empty render prune everything the application owns.")
    var allowEmpty = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be done; write nothing.")
    var dryRun = false

    @OptionGroup var waiting: WaitOptions

    @Flag(name: .customLong("create-namespace"), help: "Create namespaces the objects need.")
    var createNamespace = false

    @Option(name: .shortAndLong, help: "Output: text or json (the change set).")
    var output: Format = .text

    @OptionGroup var render: RenderOptions
    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let desired = try await render.renderUnwrapping(path).manifests
        var options = SyncOptions()
        options.prune = prune
        options.allowEmpty = allowEmpty
        options.dryRun = dryRun
        waiting.apply(to: &options)
        options.namespace = namespace
        options.createNamespace = createNamespace
        let changes = try await cluster.sync(app: app, desired: desired, options: options)
        switch output {
        case .json: CLI.write(JSONWriter.pretty(changes.json))
        case .text: CLI.write(Self.text(changes))
        }
        if changes.result == .failed {
            CLI.error(changes.message)
            throw ExitCode(1)
        }
    }

    static func text(_ changes: ChangeSet) -> String {
        var out = ""
        for change in changes.objects {
            var line = "\(change.key) \(change.action.rawValue)"
            if let phase = change.hookPhase { line += " (\(phase.rawValue) hook)" }
            if change.action == .update && !change.fields.isEmpty { line += ": " + change.fields.joined(separator: ", ") }
            if change.action == .skip, let reason = change.fields.first { line += " (\(reason))" }
            if let error = change.error { line += " FAILED: \(error)" }
            out += line + "\n"
        }
        let prefix = changes.dryRun ? "dry run: " : ""
        let health = changes.health.map { ", health \($0.rawValue)" } ?? ""
        out += "\(prefix)\(changes.app) \(changes.result.rawValue.lowercased()): \(changes.summary)\(health)\n"
        return out
    }
}

/// `--wait` and `--timeout` of the commands that sync.
struct WaitOptions: ParsableArguments {
    @Flag(help: "Wait until the application is healthy.")
    var wait = false

    @Option(help: "How long to wait, e.g. 90s, 5m.")
    var timeout: DurationArgument = DurationArgument(seconds: 300)

    func apply(to options: inout SyncOptions) {
        options.wait = wait
        options.timeout = .seconds(timeout.seconds)
    }
}

/// A duration written as `90s`, `5m`, `1h` or a number of seconds.
/// A duration flag: a number of seconds, or Go's form (`90s`, `5m`, `1h30m`, `500ms`).
struct DurationArgument: ExpressibleByArgument {
    var duration: Duration
    /// The whole seconds of the duration.
    var seconds: Int64 { duration.components.seconds }

    init(seconds: Int64) { duration = .seconds(seconds) }

    init?(argument: String) {
        if let seconds = Int64(argument), seconds >= 0 {
            duration = .seconds(seconds)
        } else if let parsed = GoDuration.parse(argument), parsed >= .zero {
            duration = parsed
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { GoDuration.format(duration) }
}

extension ClusterOptions {
    /// One sync of `desired` as application `app` (`name` or `namespace/name`) on this cluster.
    func sync(app: String, desired: [Manifest], options: SyncOptions) async throws -> ChangeSet {
        try await withClient { client in
            let identity = AppIdentity(parsing: app)
            var desired = desired
            // The render as the Rollouts in the cluster want it, so neither a diff nor a sync
            // from here undoes a running rollout.
            if desired.contains(where: { $0.group == RolloutAPI.group && $0.kind == RolloutAPI.rolloutKind }) {
                let prepared = try await SyncEngine(client: client).prepare(app: identity, desired: desired, options: options)
                desired = await RolloutEngine(client: client, fieldManager: Tracking.fieldManager, logger: Logger(label: "keelson.cli")).preview(
                    prepared)
            }
            return await SyncEngine(client: client).sync(app: identity, desired: desired, options: options)
        }
    }
}
