import ArgumentParser
import Manifests
import Render

/// `keelson diff OLD NEW`: what changes between two rendered paths; Secret values masked.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the objects two paths render to.",
        discussion: "Exit status: 0 when equal, 1 when different, 2 on error. Secret values are always masked."
    )

    @Argument(help: "The old directory or file.")
    var old: String

    @Argument(help: "The new directory or file.")
    var new: String

    @OptionGroup var options: RenderOptions

    func run() throws {
        let diff: ManifestDiff
        do {
            diff = ManifestDiff(old: try options.render(old).manifests, new: try options.render(new).manifests)
        } catch {
            // Like diff(1): trouble is 2, so it cannot be mistaken for "different".
            CLI.error(String(describing: error))
            throw ExitCode(2)
        }
        CLI.write(diff.render())
        if !diff.isEmpty { throw ExitCode(1) }
    }
}
