import Foundation
import KeelsonTesting
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `keelson demo` end to end: it prints a dashboard URL and token, the API behind them shows both
/// example applications Synced and Healthy, and Ctrl-C (SIGINT) removes the demo's folder, quietly.
@Suite struct DemoCommandTests {
    @Test func theDemoConvergesServesItsDashboardAndCleansUp() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-demo-test")
        defer { folder.remove() }
        let port = try Ports.free()
        let demo = try BackgroundProcess(
            Fixtures.keelsonExecutable(), ["demo", "--listen", "127.0.0.1:\(port)", "--examples", Fixtures.packageRoot() + "/examples"],
            log: folder.path + "/demo.log")
        defer { demo.kill() }

        var token = ""
        var base = ""
        let deadline = ContinuousClock.now + .seconds(180)  // a last guard: a loaded 2-core machine needs over a minute
        while ContinuousClock.now < deadline {
            let output = demo.output
            if let line = output.split(separator: "\n").first(where: { $0.contains("token:") }),
                let repo = output.split(separator: "\n").first(where: { $0.contains("repository:") })
            {
                token = String(line.split(separator: " ").last ?? "")
                base = String(repo.split(separator: " ").dropFirst().first ?? "")
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(token.count == 64, "the demo prints its token: \(demo.output)")
        #expect(demo.output.contains("dashboard:  http://127.0.0.1:\(port)/"))

        var synced = false
        while ContinuousClock.now < deadline && !synced {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/applications?sync=Synced&health=Healthy")!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let (data, _) = try? await URLSession.shared.data(for: request), let text = String(data: data, encoding: .utf8) {
                synced = text.contains("\"name\":\"guestbook\"") && text.contains("\"name\":\"widgets\"")
            }
            if !synced { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(synced, "both example applications become Synced and Healthy: \(demo.output)")

        let folderOfDemo = (base as NSString).deletingLastPathComponent
        #expect(FileManager.default.fileExists(atPath: folderOfDemo), "the demo's folder exists while it runs")
        let status = demo.interrupt()
        #expect(!FileManager.default.fileExists(atPath: folderOfDemo), "Ctrl-C leaves nothing behind")
        #expect(status == 0, "Ctrl-C ends the demo with status 0: \(demo.output.suffix(2000))")
        let errors = demo.output.split(separator: "\n").filter { $0.split(separator: " ", maxSplits: 2).dropFirst().first == "error" }
        #expect(errors.isEmpty, "a clean shutdown logs nothing at error level: \(errors)")
    }
}
