import ArgumentParser
import Manifests
import Render
import Sync

/// `keelson diff OLD NEW`: what changes between two rendered paths; `keelson diff PATH --app NAME`:
/// the drift between what PATH renders to and the live cluster. Secret values masked.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two rendered paths, or a rendered path with the live cluster (--app).",
        discussion: "Exit status: 0 when equal (in sync), 1 when different, 2 on error. Secret values are always masked."
    )

    @Argument(help: "The old directory or file (with --app: the path to compare with the cluster).")
    var old: String

    @Argument(help: "The new directory or file.")
    var new: String?

    @Option(help: "Compare with the live objects of this application instead of a second path.")
    var app: String?

    @Option(name: .shortAndLong, help: "With --app: the namespace for objects that name none.")
    var namespace = "default"

    @OptionGroup var options: RenderOptions
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if app == nil && new == nil { throw ValidationError("give two paths, or one path and --app NAME") }
        if app != nil && new != nil { throw ValidationError("--app compares one path with the cluster; give one path") }
    }

    func run() async throws {
        if let app { return try await live(app) }
        let new = self.new!
        let diff: ManifestDiff
        do {
            diff = ManifestDiff(old: try await options.renderUnwrapping(old).manifests, new: try await options.renderUnwrapping(new).manifests)
        } catch {
            // Like diff(1): trouble is 2, so it cannot be mistaken for "different".
            CLI.error(String(describing: error))
            throw ExitCode(2)
        }
        CLI.write(diff.render())
        if !diff.isEmpty { throw ExitCode(1) }
    }

    /// Drift against the cluster: a dry-run sync with pruning, so objects that would be pruned show too.
    func live(_ app: String) async throws {
        let changes: ChangeSet
        do {
            let desired = try await options.renderUnwrapping(old).manifests
            var syncOptions = SyncOptions()
            syncOptions.dryRun = true
            syncOptions.prune = true
            syncOptions.allowEmpty = true
            syncOptions.namespace = namespace
            changes = try await cluster.sync(app: app, desired: desired, options: syncOptions)
        } catch {
            CLI.error(String(describing: error))
            throw ExitCode(2)
        }
        guard changes.result == .succeeded else {
            CLI.error(changes.message)
            throw ExitCode(2)
        }
        var out = ""
        for change in changes.objects where change.action != .unchanged && change.action != .skip {
            out += "=== \(change.key) (\(change.action.rawValue))\n"
            out += change.diff
        }
        let inSync = changes.count(.unchanged)
        let drifted = changes.count(.create) + changes.count(.update) + changes.count(.prune)
        out += "\(changes.count(.create)) to create, \(changes.count(.update)) to update, \(changes.count(.prune)) to prune, \(inSync) in sync\n"
        CLI.write(out)
        if drifted > 0 { throw ExitCode(1) }
    }
}
