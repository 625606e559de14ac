import KeelsonTesting
import Manifests
import Render
import Testing

@testable import Controller

/// `examples/applications`, which the README's controller example uses, stays valid: every file
/// reads as Applications the way `keelson controller --apps` reads them, and each names a folder of
/// `examples/` (the repository they point at) that renders.
@Suite struct ExampleApplicationsTests {
    static let examples = Fixtures.packageRoot() + "/examples"
    /// Where examples/README.md copies `examples/` as a Git repository.
    static let repository = "file:///tmp/keelson-examples"

    static func applications() throws -> [Application] {
        let rendered = try DirectoryRenderer().render(try SecureRoot(directory: examples + "/applications"), path: ".")
        return try rendered.manifests.map { try Application($0) }
    }

    @Test func everyFileIsAnApplication() throws {
        let applications = try Self.applications()
        #expect(Set(applications.map(\.id)) == ["keelson/guestbook", "keelson/widgets", "keelson/guestbook-staging"])
        for application in applications {
            #expect(application.spec.source.repoURL == Self.repository, "\(application.id)")
            for dependency in application.spec.dependsOn {
                #expect(applications.contains { $0.id == dependency }, "\(application.id) depends on \(dependency), which is not an example")
            }
        }
    }

    @Test func everySourcePathRenders() throws {
        let root = try SecureRoot(directory: Self.examples)
        for application in try Self.applications() {
            let rendered = try DirectoryRenderer().render(root, path: application.spec.source.path)
            #expect(!rendered.manifests.isEmpty, "\(application.id): examples/\(application.spec.source.path) renders nothing")
        }
    }
}
