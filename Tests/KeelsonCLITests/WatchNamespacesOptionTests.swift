import ArgumentParser
import Kube
import Testing

@testable import keelson

/// `keelson controller --watch-namespaces`: the namespaces of a namespaced install, the
/// controller's own always first, each a namespace name.
@Suite struct WatchNamespacesOptionTests {
    @Test func theControllersNamespaceComesFirstAndOnce() throws {
        let command = try ControllerCommand.parse(["--namespace", "ops", "--watch-namespaces", "team-a, ops,,team-b"])
        #expect(try command.watchScope() == .namespaces(["ops", "team-a", "team-b"]))
        #expect(try ControllerCommand.parse([]).watchScope() == nil)
    }

    @Test func aNameThatIsNotANamespaceIsRefused() throws {
        let command = try ControllerCommand.parse(["--watch-namespaces", "team-a,Team_B"])
        let error = #expect(throws: ValidationError.self) { try command.watchScope() }
        #expect(error?.message.contains("Team_B") == true)
    }
}
