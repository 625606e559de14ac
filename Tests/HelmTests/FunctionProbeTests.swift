import Foundation
import Helm
import Testing

@Suite struct FunctionProbeTests {
    /// Every probe: Keelson's answer agrees with the real helm's (equal output, same innermost error, or
    /// both outputs of the probe's shape for random and time functions).
    @Test func keelsonAgreesWithHelmOnEveryProbe() throws {
        let probes = try FunctionProbe.load()
        let helm = try HelmProbeRecorder.record(probes)
        let evaluator = ProbeEvaluator(functions: HelmFunctions.sprig(random: SeededRandomSource(seed: Array("probe".utf8))))
        var failures: [String] = []
        for (probe, expected) in zip(probes, helm) {
            let actual = evaluator.answer(probe.template)
            if !actual.agrees(with: expected, shape: probe.shape) {
                failures.append("\(probe)\n    helm:    \(expected)\n    keelson: \(actual)")
            }
        }
        let report = "\(probes.count - failures.count)/\(probes.count) probes agree\n" + failures.joined(separator: "\n")
        try report.write(toFile: NSTemporaryDirectory() + "function-probes-report.txt", atomically: true, encoding: .utf8)
        #expect(failures.isEmpty, Comment(rawValue: report))
    }
}
