import Foundation
import KeelsonTesting
import Testing

/// Help is printed to standard output with exit status 0, for the root and every command.
@Suite struct HelpTests {
    let keelson = Fixtures.keelsonExecutable()

    @Test(arguments: [
        ["--help"], ["render", "--help"], ["diff", "--help"], ["sync", "--help"], ["secret", "--help"], ["image", "--help"],
        ["sandbox", "--help"], ["controller", "--help"], ["demo", "--help"], ["promote", "--help"], ["app", "--help"], ["app", "list", "--help"],
        ["app"],
    ])
    func helpIsPrintedAndSucceeds(arguments: [String]) async throws {
        let result = try await ProcessRunner.run(keelson, arguments)
        #expect(result.status == 0, "\(arguments): \(result.errorOutput)")
        #expect(result.output.hasPrefix("OVERVIEW:"), "\(arguments): \(result.output.prefix(200))")
        #expect(result.errorOutput.isEmpty)
    }
}
