import ArgumentParser
import Foundation
import Manifests

/// `keelson rollout list [-n NS | -A]`.
struct RolloutList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List rollouts with their phase, step and weights.")

    @OptionGroup var api: APIOptions
    @Option(name: .shortAndLong, help: "Only rollouts in this namespace.") var namespace = "default"
    @Flag(name: [.customShort("A"), .long], help: "Rollouts in every namespace.") var allNamespaces = false
    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.") var output: OutputFormat = .text

    func run() async throws {
        let reply = try await api.get("/api/v1/applications")
        var items: [JSONValue] = []
        for app in reply["items"]?.arrayValue ?? [] {
            let id = "\(app["namespace"]?.stringValue ?? "")/\(app["name"]?.stringValue ?? "")"
            for case .object(var report) in app["rollouts"]?.arrayValue ?? [] {
                guard allNamespaces || report["namespace"]?.stringValue == namespace else { continue }
                report["application"] = .string(id)
                items.append(.object(report))
            }
        }
        output.write(["items": .array(items)]) { RolloutFormatter().list(items) }
    }
}

/// `keelson rollout get NAME [-n NS] [--app APP]`.
struct RolloutGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show a rollout: steps, set and actual weight, revisions and analysis measurements.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget
    @Option(name: .shortAndLong, help: "Output format: text, json or yaml.") var output: OutputFormat = .text

    func run() async throws {
        let app = try await target.application(api)
        let (rollout, delivery) = try await target.fetch(api, in: app)
        var object = rollout.objectValue ?? [:]
        object["application"] = .string(app.display)
        object["delivery"] = delivery
        output.write(.object(object)) { RolloutFormatter().detail(.object(object)) }
    }
}

/// `keelson rollout status NAME [--wait] [--timeout 10m]`: exit 0 promoted, 1 aborted or timed
/// out, 2 on usage errors (an unknown Rollout among them).
struct RolloutStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Say where a rollout stands; with --wait, wait until it is promoted or aborted.",
        discussion: """
            Exit status: 0 when the rollout is promoted (its canary is the stable and the application synced \
            the latest revision it saw), 1 when it was aborted (printing `aborted: <why>`) or --timeout \
            (default 10m with --wait) passed, 2 on usage errors. Without --wait, a rollout still running exits 0.
            """)

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget
    @Flag(help: "Wait until the rollout is promoted or aborted.") var wait = false

    /// How often a waiting `status` looks again.
    static let interval = Duration.seconds(1)

    func run() async throws {
        let app = try await target.application(api, exitCode: 2)
        let clock = ContinuousClock()
        let deadline = clock.now + (api.timeout?.duration ?? .seconds(600))
        var last = ""
        // The first look must work; later ones may fail for a while (a server restarting).
        var verdict = try await look(app, exitCode: 2)
        while true {
            if let verdict {
                switch verdict {
                case .promoted(let line):
                    CLI.write(line + "\n")
                    return
                case .aborted(let message):
                    CLI.write("aborted: \(message)\n")
                    throw ExitCode(1)
                case .waiting(let line):
                    if line != last { CLI.write(line + "\n") }
                    last = line
                    if !wait { return }
                }
            }
            guard clock.now < deadline else {
                CLI.error("timed out waiting for rollout \(target.display)" + (last.isEmpty ? "" : ": \(last)"))
                throw ExitCode(1)
            }
            try await Task.sleep(for: Self.interval)
            verdict = try? await look(app, exitCode: 1)
        }
    }

    private func look(_ app: AppTarget, exitCode code: Int32) async throws -> RolloutVerdict? {
        let (rollout, _) = try await target.fetch(api, in: app, exitCode: code)
        let summary = try await api.get(app.path(), exitCode: code)
        return RolloutVerdict(rollout: rollout, application: summary)
    }
}

/// Where a rollout stands for `status`: done one way or the other, or still going.
enum RolloutVerdict: Equatable {
    /// The canary is the stable and the application synced the latest revision it saw.
    case promoted(String)
    /// Aborted, with why.
    case aborted(String)
    /// Still going (or not yet started), as one line.
    case waiting(String)

    init(rollout: JSONValue, application: JSONValue) {
        let text = { (key: String) in rollout[key]?.displayText ?? "" }
        let name = "\(text("namespace"))/\(text("name"))"
        let phase = text("phase")
        if phase == "Aborted" {
            self = .aborted(text("message").isEmpty ? text("reason") : text("message"))
            return
        }
        let sync = application["sync"]?["status"]?.stringValue
        let revision = application["sync"]?["revision"]?.stringValue ?? ""
        let latest = application["latestRevision"]?.stringValue ?? ""
        let canary = rollout["canaryHash"].map { !$0.isNull } ?? false
        if phase == "Healthy", !canary, sync == "Synced", latest.isEmpty || revision == latest {
            self = .promoted("rollout \(name) promoted: \(Self.short(text("stableRevision"))) is stable")
            return
        }
        var line = "rollout \(name) \(phase)"
        if let step = rollout["currentStep"]?.intValue, let steps = rollout["steps"]?.arrayValue, !steps.isEmpty {
            line += " at step \(step)/\(steps.count)"
        }
        if canary { line += " (set \(text("setWeight"))%, actual \(text("actualWeight").isEmpty ? "0" : text("actualWeight"))%)" }
        if phase == "Healthy", sync != "Synced" || revision != latest { line += " (waiting for application sync)" }
        if !text("message").isEmpty { line += ": " + text("message") }
        self = .waiting(line)
    }

    static func short(_ revision: String) -> String { revision.isEmpty ? "?" : String(revision.prefix(7)) }
}
