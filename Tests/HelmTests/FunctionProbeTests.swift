import Foundation
import GoTemplate
import Helm
import Testing

@Suite struct FunctionProbeTests {
    /// Keelson's answer to a probe: the template engine with Helm's function map.
    static func keelson(_ probe: FunctionProbe, functions: [String: GoFunction]) -> ProbeAnswer {
        var set = TemplateSet(functions: functions)
        do {
            try set.parse(name: "probe", text: probe.template)
        } catch {
            return .error(ProbeAnswer.innermost("\(error)"))
        }
        do {
            let output = try set.execute(name: "probe", data: .map([:]))
            return .output(output.replacingOccurrences(of: "<no value>", with: ""))
        } catch {
            return .error(ProbeAnswer.innermost("\(error)"))
        }
    }

    /// Every probe: Keelson's answer agrees with the real helm's (equal output, same innermost error, or
    /// both outputs of the probe's shape for random and time functions).
    @Test func keelsonAgreesWithHelmOnEveryProbe() async throws {
        let probes = try FunctionProbe.load()
        let helm = try await HelmProbeRecorder.record(probes)
        #expect(!helm.contains(.error("no answer")), "helm answers every probe")
        if ProcessInfo.processInfo.environment["KEELSON_RECORD_PROBES"] == "1" { try Self.writeGolden(probes, helm) }
        let functions = HelmFunctions.sprig(random: SeededRandomSource(seed: Array("probe".utf8)))
        var failures: [String] = []
        for (probe, expected) in zip(probes, helm) {
            let actual = Self.keelson(probe, functions: functions)
            if !actual.agrees(with: expected, shape: probe.shape) {
                failures.append("\(probe)\n    helm:    \(expected)\n    keelson: \(actual)")
            }
        }
        let report = "\(probes.count - failures.count)/\(probes.count) probes agree\n" + failures.joined(separator: "\n")
        try report.write(toFile: NSTemporaryDirectory() + "function-probes-report.txt", atomically: true, encoding: .utf8)
        #expect(failures.isEmpty, Comment(rawValue: report))
    }

    /// Writes the real helm's answers to `Fixtures/function-probes.golden.json` (run with
    /// KEELSON_RECORD_PROBES=1), the table a reader checks a probe against without running helm.
    static func writeGolden(_ probes: [FunctionProbe], _ answers: [ProbeAnswer]) throws {
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
