import Foundation
import Testing

@Suite struct FunctionProbeRecordingTests {
    /// The golden table: the real helm's answer to every probe, written to
    /// `Fixtures/function-probes.golden.json` when KEELSON_RECORD_PROBES=1.
    @Test func helmAnswersEveryProbe() async throws {
        let probes = try FunctionProbe.load()
        #expect(probes.count >= 320)
        let answers = try await HelmProbeRecorder.record(probes)
        #expect(!answers.contains(.error("no answer")))
        guard ProcessInfo.processInfo.environment["KEELSON_RECORD_PROBES"] == "1" else { return }
        let table = zip(probes, answers).map { probe, answer -> [String: String] in
            switch answer {
            case .output(let text): ["probe": probe.template, "output": text]
            case .error(let message): ["probe": probe.template, "error": message]
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/function-probes.golden.json")
        try encoder.encode(table).write(to: url)
    }
}
