import ArgumentParser
import Foundation
import Manifests

/// What every rollout action does: find the Application, post the action, say it was asked.
protocol RolloutActionCommand: AsyncParsableCommand {
    var api: APIOptions { get }
    var target: RolloutTarget { get }
    /// The action's path word (`promote`, `promote-full`, `abort`...).
    var action: String { get }
}

extension RolloutActionCommand {
    func run() async throws {
        let app = try await target.application(api)
        let path =
            "/api/v1/applications/\(APIPath.encode(app.name))/rollouts/\(APIPath.encode(target.namespace))/\(APIPath.encode(target.name))/"
            + action + (app.namespace.map { "?namespace=\(APIPath.encode($0))" } ?? "")
        let reply = try await api.post(path)
        CLI.write(
            "\(action) of rollout \(reply["rollout"]?.stringValue ?? target.display) (application \(reply["application"]?.stringValue ?? app.display)) requested\n"
        )
    }
}

/// `keelson rollout promote NAME [--full]`.
struct RolloutPromote: RolloutActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Go past the current pause or step; with --full, skip every remaining step and analysis.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget
    @Flag(help: "Skip every remaining step and analysis.") var full = false

    var action: String { full ? "promote-full" : "promote" }
}

/// `keelson rollout abort NAME`.
struct RolloutAbort: RolloutActionCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort", abstract: "Send all traffic back to the stable version (sticky until the template changes or a retry).")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget

    var action: String { "abort" }
}

/// `keelson rollout retry NAME`.
struct RolloutRetry: RolloutActionCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Start an aborted rollout again from its first step.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget

    var action: String { "retry" }
}

/// `keelson rollout pause NAME`.
struct RolloutPause: RolloutActionCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop a rollout at its current step.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget

    var action: String { "pause" }
}

/// `keelson rollout resume NAME`.
struct RolloutResume: RolloutActionCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Go on with a paused rollout.")

    @OptionGroup var api: APIOptions
    @OptionGroup var target: RolloutTarget

    var action: String { "resume" }
}
