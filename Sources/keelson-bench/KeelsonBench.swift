import Foundation
import Manifests
import Render

#if canImport(Glibc)
import Glibc
#endif

/// `swift run -c release keelson-bench NAME [ARGUMENTS]`: benchmarks that print figures.
@main
enum KeelsonBench {
    static let benchmarks: [String: @Sendable () async throws -> Void] = [
        "render": RenderBenchmark.run,
        "kustomize": KustomizeBenchmark.run,
        "helm": HelmBenchmark.run,
        "sandbox": SandboxBenchmark.run,
        "sync": SyncBenchmark.run,
        "controller": ControllerBenchmark.run,
        "server": ServerBenchmark.run,
        "mttp": MTTPBenchmark.run,
    ]

    static func main() async {
        let name = CommandLine.arguments.dropFirst().first ?? ""
        if name == "serve-sandbox", CommandLine.arguments.count == 3 {
            // The controller benchmark's sandbox, in a process of its own.
            do { try await SandboxProcess.serve(kubeconfig: CommandLine.arguments[2]) } catch { exit(1) }
            exit(0)
        }
        guard let benchmark = benchmarks[name] else {
            FileHandle.standardError.write(Data("usage: keelson-bench \(benchmarks.keys.sorted().joined(separator: "|"))\n".utf8))
            exit(2)
        }
        do {
            try await benchmark()
        } catch {
            FileHandle.standardError.write(Data("keelson-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// Measurement helpers.
enum Measure {
    /// Peak resident memory of this process so far, in MiB.
    static func peakMemoryMiB(children: Bool = false) -> Double {
        var usage = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The median of `runs` timings of `body`, in seconds.
    static func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs { times.append(try seconds(body)) }
        return median(times)
    }

    /// How long `body` takes, in seconds.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func median(_ times: [Double]) -> Double { times.sorted()[times.count / 2] }

    static func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
}
