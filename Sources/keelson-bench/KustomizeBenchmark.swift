import Foundation
import KeelsonTesting
import Manifests
import Render

/// Renders generated Kustomize trees with Keelson's native renderer and with
/// `kubectl kustomize` in the same run, checks that both give the same objects in the same
/// order, and prints times, throughput, peak memory and the ratios.
///
/// Two workloads: one base of 500 objects (or `keelson-bench kustomize OBJECTS`) under three
/// overlay levels (patches, generators, prefixes and suffixes at each level), and 200 small apps
/// (a base and an overlay each).
enum KustomizeBenchmark {
    static let baseObjects = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) }.map { max(10, $0 / 10 * 10) } ?? 500
    static let smallApps = 200
    static let runs = 3

    /// One workload: the kustomization directories rendered, relative to the root.
    struct Workload {
        var name: String
        var entries: [String]
    }

    static func run() throws {
        let root = try InProcessSandbox.scratchDirectory("kustomize")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let workloads = [
            Workload(name: "1 base of \(baseObjects) objects x 3 overlay levels", entries: [try KustomizeTree.layered(root, objects: baseObjects)]),
            Workload(name: "\(smallApps) small apps (base + overlay)", entries: try KustomizeTree.smallApps(root, count: smallApps)),
        ]
        print("kustomize: median of \(runs) runs per workload; kubectl kustomize runs once per entry point")

        // Keelson first, so its peak memory is measured before kubectl's output is parsed here.
        let secureRoot = try SecureRoot(directory: root)
        var ours: [[[JSONObject]]] = []
        var ourSeconds: [Double] = []
        for workload in workloads {
            var rendered: [[JSONObject]] = []
            ourSeconds.append(
                try Measure.median(runs: runs) {
                    rendered = try workload.entries.map { entry in
                        try Kustomizer().render(secureRoot, path: entry).manifests.map(\.object)
                    }
                })
            ours.append(rendered)
            // Progress: kubectl's turn can take minutes on a large tree.
            FileHandle.standardError.write(
                Data("keelson: \(workload.name): \(Measure.format(ourSeconds[ourSeconds.count - 1] * 1000, 1)) ms; now kubectl kustomize\n".utf8))
        }
        let ourPeak = Measure.peakMemoryMiB()

        guard let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first(where: FileManager.default.isExecutableFile) else {
            for (index, workload) in workloads.enumerated() {
                report("keelson", workload, objects: ours[index], seconds: ourSeconds[index], peak: ourPeak)
            }
            print("kubectl kustomize: not installed, no comparison")
            return
        }
        var theirSeconds: [Double] = []
        for (index, workload) in workloads.enumerated() {
            var outputs: [Data] = []
            theirSeconds.append(
                try Measure.median(runs: runs) {
                    outputs = try workload.entries.map { try kustomize(kubectl, root + "/" + $0) }
                })
            // Identical objects, in order, or the figures mean nothing.
            for (entry, (output, mine)) in zip(workload.entries, zip(outputs, ours[index])) {
                let theirs = try Manifest.decode(Array(output), file: "kubectl kustomize \(entry)").map(\.object)
                guard theirs == mine else {
                    let at = zip(theirs, mine).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(theirs.count, mine.count)
                    throw BenchmarkError("\(entry): objects differ from kubectl kustomize at object \(at) (\(mine.count) vs \(theirs.count) objects)")
                }
            }
        }
        let theirPeak = Measure.peakMemoryMiB(children: true)
        for (index, workload) in workloads.enumerated() {
            let objects = ours[index]
            print(
                "\(workload.name): \(objects.reduce(0) { $0 + $1.count }) objects from \(workload.entries.count) kustomization(s), identical to kubectl kustomize"
            )
            report("  keelson", workload, objects: objects, seconds: ourSeconds[index], peak: ourPeak)
            report("  kubectl kustomize", workload, objects: objects, seconds: theirSeconds[index], peak: theirPeak)
            print("  ratio: keelson is \(Measure.format(theirSeconds[index] / ourSeconds[index], 1))x the speed of kubectl kustomize")
        }
        print(
            "peak memory: keelson \(Measure.format(ourPeak, 1)) MiB (whole benchmark process), kubectl kustomize \(Measure.format(theirPeak, 1)) MiB (largest run); "
                + "keelson uses \(Measure.format(ourPeak / theirPeak * 100, 0))% of kubectl's")
    }

    static func report(_ who: String, _ workload: Workload, objects: [[JSONObject]], seconds: Double, peak: Double) {
        let count = objects.reduce(0) { $0 + $1.count }
        print("\(who): \(Measure.format(seconds * 1000, 1)) ms, \(Int(Double(count) / seconds)) objects/s")
    }

    /// `kubectl kustomize DIR`'s standard output; a failure is an error. Reaped with `waitpid`
    /// (see `HelmBenchmark.helmOutput`).
    static func kustomize(_ kubectl: String, _ directory: String) throws -> Data {
        let result = try ProcessRunner.runBlocking(kubectl, ["kustomize", directory])
        guard result.status == 0 else { throw BenchmarkError("kubectl kustomize \(directory) failed: \(result.errorOutput)") }
        return result.stdout
    }
}

/// A benchmark that could not produce honest figures.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
