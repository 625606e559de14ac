import ArgumentParser
import Fleet
import Foundation
import Kube
import Manifests

/// The flags `keelson import argocd` and `keelson import flux` share, and the run they share.
struct ImportOptions: ParsableArguments {
    static let discussion = """
        The Keelson objects go to standard output as a YAML stream (kubectl apply -f - takes it); every field not \
        carried over, every object that failed and every object skipped goes to standard error. The exit status is 1 \
        when some object could not be translated (the others are still printed).
        """
    /// The largest file (or standard input) read.
    static let maximumFileBytes = 16 * 1024 * 1024

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "Files or directories (*.yaml, *.yml and *.json, read recursively), or - for standard input.")
    var files: [String] = []

    @Flag(name: .customLong("from-cluster"), help: "Read the objects from a cluster instead of files.")
    var fromCluster = false

    @OptionGroup(title: "With --from-cluster") var cluster: ClusterOptions

    @Option(name: .customLong("namespace"), help: "With --from-cluster: read this namespace only (default: all).")
    var namespace: String?

    @Option(name: .shortAndLong, help: "Output format: yaml or json (one v1 List).")
    var output: Format = .yaml

    @Option(name: .customLong("controller-namespace"), help: "Keelson's namespace: Projects, and Applications from argocd and flux-system, go there.")
    var controllerNamespace = "keelson"

    @Option(name: .customLong("application-namespace"), help: "Put every Application in this namespace instead of its own.")
    var applicationNamespace: String?

    @Option(
        name: .customLong("cluster"),
        help:
            "SERVER=NAME: the API server SERVER is the cluster registered in Keelson as NAME (repeatable; with --from-cluster, Argo CD's cluster Secrets add theirs)."
    )
    var clusters: [String] = []

    func validate() throws {
        if fromCluster, !files.isEmpty { throw ValidationError("give FILES or --from-cluster, not both") }
        if !fromCluster, files.isEmpty { throw ValidationError("give FILES (or - for standard input), or --from-cluster") }
        if !fromCluster, cluster.kubeconfig != nil || cluster.context != nil || namespace != nil {
            throw ValidationError("--kubeconfig, --context and --namespace go with --from-cluster")
        }
        for entry in clusters where !entry.contains("=") || entry.hasPrefix("=") || entry.hasSuffix("=") {
            throw ValidationError("--cluster \(entry): expected SERVER=NAME")
        }
    }

    func run(_ tool: ImportedTool) async throws {
        var translationOptions = TranslationOptions()
        translationOptions.controllerNamespace = controllerNamespace
        translationOptions.applicationNamespace = applicationNamespace
        var notes: [String] = []
        let manifests: [Manifest]
        if fromCluster {
            let read = try await readCluster(tool)
            manifests = read.manifests
            translationOptions.clusters = read.clusters
            notes = read.notes
        } else {
            manifests = try ManifestFiles.read(files, limit: Self.maximumFileBytes)
        }
        for entry in clusters {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            translationOptions.clusters[parts[0]] = parts[1]
        }
        let translation = tool.translate(manifests, options: translationOptions)
        switch output {
        case .yaml: CLI.write(YAMLEncoder.encodeDocuments(translation.objects.map(\.value)))
        case .json:
            CLI.write(JSONWriter.pretty(["apiVersion": "v1", "kind": "List", "items": .array(translation.objects.map(\.value))]))
        }
        for note in notes { CLI.note("note: \(note)") }
        for entry in translation.unsupported { CLI.note("not carried over: \(entry)") }
        var skipped = 0
        for manifest in manifests {
            guard let reason = tool.skipReason(manifest) else { continue }
            skipped += 1
            CLI.note(
                "skipped: \(manifest.apiVersion) \(manifest.kind) \(manifest.namespace.isEmpty ? "" : manifest.namespace + "/")\(manifest.name): \(reason)"
            )
        }
        for failure in translation.failures { CLI.note("failed: \(failure)") }
        CLI.note(
            "\(translation.objects.count) Keelson object(s); \(translation.unsupported.count) field(s) not carried over; "
                + "\(translation.failures.count) object(s) failed; \(skipped) skipped")
        if !translation.failures.isEmpty { throw ExitCode(1) }
    }

    /// The tool's objects in the cluster (kinds it does not serve are skipped) and, for Argo CD,
    /// the servers of its cluster Secrets (only `server` and `name` are read).
    private func readCluster(_ tool: ImportedTool) async throws -> (manifests: [Manifest], clusters: [String: String], notes: [String]) {
        try await cluster.withClient { client in
            let served = Set(try await client.serverResources().map(\.groupVersionKind))
            var manifests: [Manifest] = []
            var notes: [String] = []
            for (group, kind, versions) in tool.servedKinds {
                guard let version = versions.first(where: { served.contains(GroupVersionKind(group: group, version: $0, kind: kind)) }) else {
                    notes.append("the cluster serves no \(group)/\(kind): none read")
                    continue
                }
                manifests += try await client.listAll(GroupVersionKind(group: group, version: version, kind: kind), namespace: namespace).items
            }
            var clusters: [String: String] = [:]
            if tool == .argoCD {
                var selector = ListOptions()
                selector.labelSelector = .matching([ArgoCDTranslation.clusterSecretLabel: ArgoCDTranslation.clusterSecretLabelValue])
                let secrets = try await client.listAll(
                    GroupVersionKind(group: "", version: "v1", kind: "Secret"), namespace: namespace, options: selector)
                clusters = ArgoCDTranslation.clusters(fromSecrets: secrets.items)
            }
            return (manifests, clusters, notes)
        }
    }
}

/// Reads manifests from files, directories (recursively, `*.yaml`, `*.yml`, `*.json`) and
/// standard input (`-`), each at most `limit` bytes.
enum ManifestFiles {
    static func read(_ paths: [String], limit: Int) throws -> [Manifest] {
        var manifests: [Manifest] = []
        for path in paths {
            if path == "-" {
                let data = try FileHandle.standardInput.read(upToCount: limit + 1) ?? Data()
                guard data.count <= limit else { throw CLIError("standard input: larger than \(limit / 1024 / 1024) MiB") }
                manifests += try Manifest.decode(Array(data), file: "<stdin>")
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("\(path): no such file or directory")
            }
            let files = isDirectory.boolValue ? try yamlFiles(in: path) : [path]
            for file in files {
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                guard size <= limit else { throw CLIError("\(file): larger than \(limit / 1024 / 1024) MiB") }
                manifests += try Manifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: file))), file: file)
            }
        }
        return manifests
    }

    /// The YAML and JSON files under `directory`, in path order, not following links out of it.
    private static func yamlFiles(in directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { throw CLIError("\(directory): cannot be read") }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let full = (directory as NSString).appendingPathComponent(relative)
            let type = (try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType) ?? nil
            guard type == .typeRegular, [".yaml", ".yml", ".json"].contains(where: { relative.hasSuffix($0) }) else { continue }
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            files.append(full)
        }
        return files.sorted()
    }
}
