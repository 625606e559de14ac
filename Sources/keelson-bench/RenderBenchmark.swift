import Foundation
import Manifests
import Render

/// Renders a generated tree of 5,000 objects (Deployments, Services, ConfigMaps across 100
/// directories) and compares with `kubectl kustomize` over the same files in the same run.
enum RenderBenchmark {
    static let objectCount = 5_000
    static let runs = 5

    static func run() throws {
        let root = try InProcessSandbox.scratchDirectory("render")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = try generate(into: root)
        let bytes = files.reduce(0) { $0 + $1.1 }
        print("render: \(objectCount) objects in \(files.count) files, \(bytes / 1024) KiB, median of \(runs) runs")

        var rendered = 0
        let seconds = try Measure.median(runs: runs) {
            let result = try DirectoryRenderer().render(SecureRoot(directory: root))
            rendered = result.manifests.count
            _ = YAMLEncoder.encodeDocuments(result.manifests.map(\.value))
        }
        precondition(rendered == objectCount, "rendered \(rendered) objects")
        print(
            "keelson render (read, parse, sort, write YAML): \(Measure.format(seconds * 1000, 1)) ms, "
                + "\(Int(Double(objectCount) / seconds)) objects/s, peak memory \(Measure.format(Measure.peakMemoryMiB(), 1)) MiB")

        guard let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first(where: FileManager.default.isExecutableFile) else {
            print("kubectl kustomize: not installed, no comparison")
            return
        }
        // The peer: kustomize reading the same files (what Flux does with a plain directory).
        let listing = files.map { "- " + $0.0 }.joined(separator: "\n")
        try "resources:\n\(listing)\n".write(toFile: root + "/kustomization.yaml", atomically: true, encoding: .utf8)
        let peerSeconds = try Measure.median(runs: runs) { _ = try KustomizeBenchmark.kustomize(kubectl, root) }
        print(
            "kubectl kustomize (same files): \(Measure.format(peerSeconds * 1000, 1)) ms, "
                + "\(Int(Double(objectCount) / peerSeconds)) objects/s, peak memory \(Measure.format(Measure.peakMemoryMiB(children: true), 1)) MiB")
        print("ratio: keelson is \(Measure.format(peerSeconds / seconds, 1))x the speed of kubectl kustomize")
    }

    /// Writes the tree; returns (relative path, size) per file.
    static func generate(into root: String) throws -> [(String, Int)] {
        var files: [(String, Int)] = []
        let perFile = 10
        for fileIndex in 0..<(objectCount / perFile) {
            var documents: [String] = []
            for i in 0..<perFile {
                let n = fileIndex * perFile + i
                documents.append(document(n))
            }
            let directory = "team-\(fileIndex % 100)"
            let path = "\(directory)/objects-\(fileIndex).yaml"
            let text = documents.joined(separator: "---\n")
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + path, atomically: false, encoding: .utf8)
            files.append((path, text.utf8.count))
        }
        return files
    }

    /// Object `n`: a Deployment, a Service or a ConfigMap, in namespace `ns-N` when `namespaced`.
    static func document(_ n: Int, namespaced: Bool = true) -> String {
        let namespace = namespaced ? "\n  namespace: ns-\(n % 50)" : ""
        switch n % 3 {
        case 0:
            return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app-\(n)\(namespace)
                  labels: {app: app-\(n), tier: web}
                spec:
                  replicas: \(n % 5 + 1)
                  selector:
                    matchLabels: {app: app-\(n)}
                  template:
                    metadata:
                      labels: {app: app-\(n)}
                    spec:
                      containers:
                      - name: main
                        image: registry.example.com/app:\(n % 7).\(n % 11).0
                        ports:
                        - containerPort: 8080
                        env:
                        - name: MODE
                          value: "on"
                        resources:
                          requests: {cpu: 100m, memory: 64Mi}

                """
        case 1:
            return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: svc-\(n)\(namespace)
                spec:
                  selector: {app: app-\(n - 1)}
                  ports:
                  - port: 80
                    targetPort: 8080

                """
        default:
            return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config-\(n)\(namespace)
                data:
                  settings.yaml: |
                    retries: 3
                    timeout: 30s
                  FLAG: "yes"

                """
        }
    }
}
