import Foundation
import Helm
import KeelsonFoundation
import KeelsonTesting
import Manifests

#if canImport(Glibc)
import Glibc
#endif

/// Renders generated charts with Keelson's chart renderer (in process) and with the real
/// `helm template` (a process per render, as Argo CD runs it) in the same run, checks that both
/// give the same number of documents, and prints times, the ratio and peak memory.
///
/// Two charts: `shop`, an application chart of about 30 template files (named templates, `tpl`,
/// `.Files.Glob`, `lookup`, hooks, an aliased subchart and one reading globals), and `platform`,
/// 40 services of five objects each from one values list.
enum HelmBenchmark {
    /// Rounds of timing; in each, every chart is rendered `keelsonRunsPerRound` times by Keelson and
    /// once by `helm template`, so that a busy spell of the machine slows both alike.
    static let rounds = 9
    static let keelsonRunsPerRound = 3
    static let platformServices = 40
    static let release = ReleaseInfo(name: "bench", namespace: "bench")

    static func run() throws {
        let root = try InProcessSandbox.scratchDirectory("helm")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let charts = [
            ("shop (application chart, 2 subcharts)", try HelmCharts.application(root)),
            ("platform (\(platformServices) services x 5 objects)", try HelmCharts.platform(root, services: platformServices)),
        ]
        let helm = try helmBinary()
        let version = try helmOutput(helm, ["version", "--short"], scratch: root).trimmingCharacters(in: .whitespacesAndNewlines)
        print(
            "helm: \(charts.count) charts, peer \(helm) (\(version)); keelson renders in process (load + render + output), "
                + "helm template runs as a process; \(rounds) rounds, each rendering every chart \(keelsonRunsPerRound)x with keelson and 1x with helm; "
                + "medians; one warm-up run each first")

        // Keelson alone first, so that its peak memory is measured before helm's output is read here.
        let baseline = residentPeakMiB()
        let secureRoot = try SecureRoot(directory: root)
        let paths = charts.map { String($0.1.dropFirst(root.count + 1)) }
        var ours = try paths.map { try render(secureRoot, path: $0) }
        for path in paths { for _ in 0..<keelsonRunsPerRound { _ = try render(secureRoot, path: path) } }
        let ourPeak = residentPeakMiB()
        // Children reaped before (under `swift run`, SwiftPM's own) would hide helm's figure.
        let childrenBefore = Measure.peakMemoryMiB(children: true)
        var theirs = try charts.map { try template(helm, $0.1, scratch: root) }

        var ourSeconds = Array(repeating: [Double](), count: charts.count)
        var theirSeconds = Array(repeating: [Double](), count: charts.count)
        var ourCPU = Array(repeating: 0.0, count: charts.count)
        var theirCPU = Array(repeating: 0.0, count: charts.count)
        for _ in 0..<rounds {
            for (index, (_, directory)) in charts.enumerated() {
                for _ in 0..<keelsonRunsPerRound {
                    let cpu = cpuSeconds(children: false)
                    ourSeconds[index].append(try Measure.seconds { ours[index] = try render(secureRoot, path: paths[index]) })
                    ourCPU[index] += cpuSeconds(children: false) - cpu
                }
                let cpu = cpuSeconds(children: true)
                theirSeconds[index].append(try Measure.seconds { theirs[index] = try template(helm, directory, scratch: root) })
                theirCPU[index] += cpuSeconds(children: true) - cpu
            }
        }
        let theirPeak = Measure.peakMemoryMiB(children: true)
        guard theirPeak > childrenBefore else {
            throw BenchmarkError(
                "helm's peak memory cannot be told from earlier child processes' (\(Measure.format(childrenBefore, 1)) MiB): "
                    + "run .build/release/keelson-bench helm directly, not through swift run")
        }

        var ourTotal = 0.0
        var theirTotal = 0.0
        for (index, (name, _)) in charts.enumerated() {
            let mine = try Manifest.decode(Array(ours[index].utf8), file: "keelson \(name)")
            let helms = try Manifest.decode(Array(theirs[index].utf8), file: "helm template \(name)")
            // The same number of documents, or the figures compare different work.
            guard mine.count == helms.count else {
                throw BenchmarkError("\(name): keelson rendered \(mine.count) documents, helm template \(helms.count)")
            }
            let differing = zip(mine, helms).filter { $0.0.object != $0.1.object }.map { "\($0.1.kind)/\($0.1.name)" }
            let sameness =
                differing.isEmpty
                ? "identical to helm template's" : "\(differing.count) differ from helm template's: \(differing.joined(separator: ", "))"
            let ourMedian = Measure.median(ourSeconds[index])
            let theirMedian = Measure.median(theirSeconds[index])
            let ourMeanCPU = ourCPU[index] / Double(ourSeconds[index].count)
            let theirMeanCPU = theirCPU[index] / Double(theirSeconds[index].count)
            ourTotal += ourMedian
            theirTotal += theirMedian
            print("\(name): \(mine.count) documents, \(ours[index].utf8.count / 1024) KiB of YAML, \(sameness) (parsed, in order)")
            print("  keelson: \(Measure.format(ourMedian * 1000, 1)) ms per render (CPU \(Measure.format(ourMeanCPU * 1000, 1)) ms)")
            print("  helm template: \(Measure.format(theirMedian * 1000, 1)) ms per render (CPU \(Measure.format(theirMeanCPU * 1000, 1)) ms)")
            print(
                "  ratio: keelson is \(Measure.format(theirMedian / ourMedian, 1))x the speed of helm template "
                    + "(\(Measure.format(theirMeanCPU / ourMeanCPU, 1))x in CPU time)")
        }
        print(
            "both charts: keelson \(Measure.format(ourTotal * 1000, 1)) ms, helm template \(Measure.format(theirTotal * 1000, 1)) ms; "
                + "keelson is \(Measure.format(theirTotal / ourTotal, 1))x the speed")
        print(
            "peak memory: keelson \(Measure.format(ourPeak, 1)) MiB (the whole benchmark process after its renders, "
                + "\(Measure.format(baseline, 1)) MiB before the first), helm template \(Measure.format(theirPeak, 1)) MiB (its largest process); "
                + "keelson uses \(Measure.format(ourPeak / theirPeak * 100, 0))% of helm's")
    }

    /// `VmHWM` of this process: its peak resident memory since it was executed (`getrusage`'s
    /// figure also counts what the process was before `exec`, such as `swift run`).
    static func residentPeakMiB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    /// User and system CPU time so far of this process, or of its waited-for children.
    static func cpuSeconds(children: Bool) -> Double {
        var usage = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Keelson's whole job for one chart: read it through `SecureRoot`, render, print as `helm template`.
    static func render(_ root: SecureRoot, path: String) throws -> String {
        let chart = try ChartLoader.load(directory: root, path: path)
        let rendered = try ChartRenderer(options: .init(release: release)).render(chart, values: [:])
        return rendered.templateOutput()
    }

    /// `helm template bench DIR --namespace bench`'s standard output.
    static func template(_ helm: String, _ directory: String, scratch: String) throws -> String {
        try helmOutput(helm, ["template", release.name, directory, "--namespace", release.namespace], scratch: scratch)
    }

    /// `helm ARGUMENTS`'s standard output; a failure is an error with helm's message. Spawned and
    /// reaped with `posix_spawn` and `waitpid`, as Go's `exec` does: Foundation's
    /// `Process.waitUntilExit` looks for the end every 50 ms, which added up to 50 ms to a run.
    static func helmOutput(_ helm: String, _ arguments: [String], scratch: String) throws -> String {
        // Helm's own folders in the scratch directory: nothing from this user's configuration.
        var environment = ProcessInfo.processInfo.environment
        for name in ["CACHE", "CONFIG", "DATA"] { environment["HELM_\(name)_HOME"] = scratch + "/helm-home/" + name.lowercased() }
        let result = try ProcessRunner.runBlocking(helm, arguments, environment: environment)
        guard result.status == 0 else { throw BenchmarkError("helm \(arguments.joined(separator: " ")) failed: \(result.errorOutput)") }
        return result.output
    }

    /// `helm` on PATH, else the copy `scripts/test` installs.
    static func helmBinary() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates =
            path.split(separator: ":").map { $0 + "/helm" } + [NSHomeDirectory() + "/.cache/keelson/helm-v4.2.3/helm"]
        guard let helm = candidates.first(where: FileManager.default.isExecutableFile) else {
            throw BenchmarkError("helm not found on PATH nor in ~/.cache/keelson/helm-v4.2.3 (scripts/test installs it)")
        }
        return helm
    }
}
