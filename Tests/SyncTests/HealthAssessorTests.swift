import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Sync

/// kstatus' rules per kind, each fixture naming the health it must get on its first line.
@Suite struct HealthAssessorTests {
    static let directory = Fixtures.directory() + "/health"
    static let cases = Fixtures.files(in: directory, withExtension: "yaml")

    @Test(arguments: cases)
    func fixtureHasExpectedHealth(_ name: String) throws {
        let text = try String(contentsOfFile: Self.directory + "/" + name, encoding: .utf8)
        let expected = try #require(text.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let manifest = try #require(try Manifest.decode(Array(text.utf8), file: name).first)
        let health = HealthAssessor.assess(manifest)
        #expect(health.status.rawValue == expected, "\(name): \(health.message)")
        #expect(!health.message.isEmpty)
    }

    @Test func missingObjectIsMissing() {
        #expect(HealthAssessor.assess(nil).status == .missing)
    }

    @Test func applicationHealthIsTheWorst() {
        #expect(HealthStatus.worst([.healthy, .progressing, .suspended]) == .progressing)
        #expect(HealthStatus.worst([.healthy, .degraded, .missing]) == .degraded)
        #expect(HealthStatus.worst([.degraded, .unknown]) == .unknown)
        #expect(HealthStatus.worst([]) == .healthy)
    }
}
