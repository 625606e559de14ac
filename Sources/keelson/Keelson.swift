import ArgumentParser
import Foundation
import Logging

/// The `keelson` command line: parses arguments and runs the library code; nothing more.
@main
struct Keelson: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keelson",
        abstract: "GitOps for Kubernetes: keep clusters equal to what Git says.",
        version: "0.1.0",
        subcommands: [
            RenderCommand.self, DiffCommand.self, SyncCommand.self, SecretCommand.self, ImageCommand.self, SandboxCommand.self,
            ControllerCommand.self, DemoCommand.self, PromoteCommand.self, AppCommand.self, HelmCommand.self, InstallCommand.self,
            BootstrapCommand.self, ClusterCommand.self, PlanCommand.self, NotifyCommand.self, RolloutCommand.self, ImportCommand.self,
        ]
    )

    /// Runs the command, mapping outcomes onto the exit-status contract: 0 success,
    /// 1 a failure of the work, 2 bad usage.
    static func main() async {
        // Logs go to stderr; warnings and worse unless KEELSON_LOG_LEVEL says otherwise.
        let level = ProcessInfo.processInfo.environment["KEELSON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // One line: what was wrong, and where to read more.
            let first = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
            CLI.error(first + " (see 'keelson --help')")
            Foundation.exit(2)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            // A command that asks for its help from `run` (a group run without a subcommand).
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            CLI.error(String(describing: error))
            Foundation.exit(1)
        }
    }
}

/// Output helpers for commands: the CLI is the only place that prints.
enum CLI {
    /// Writes `text` to standard output as is.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes one progress line to standard error.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Writes one `keelson: message` line to standard error.
    static func error(_ message: String) {
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ")
        FileHandle.standardError.write(Data("keelson: \(line)\n".utf8))
    }
}
