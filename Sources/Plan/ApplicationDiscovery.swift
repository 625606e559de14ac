import Controller
import KeelsonFoundation
import Manifests

/// Finds the Applications defined in a work tree: every `keelson.dev` Application in the YAML
/// files under the given directories (default: the whole tree).
struct ApplicationDiscovery: Sendable {
    /// Directories relative to the tree's root; empty for the root.
    var directories: [String]
    /// The largest file read while searching.
    var maximumFileBytes = 1 << 20

    /// An Application and the file that defines it.
    struct Found: Sendable {
        var application: Application
        var file: String
    }

    /// An Application file that could not be read: it names the file and what is wrong.
    struct Failure: Sendable, Hashable {
        var file: String
        var message: String
    }

    /// The Applications under `root` (deduplicated by namespace and name: the first file wins),
    /// and the files that look like Applications but could not be read (the planner reports those
    /// under explicit directories, or that held Applications at the other revision: chart
    /// templates that mention Applications are not YAML).
    func applications(in root: SecureRoot) throws -> (found: [Found], failures: [Failure]) {
        var found: [Found] = []
        var failures: [Failure] = []
        var seen: Set<String> = []
        for file in try files(in: root) {
            guard let bytes = try? root.read(file, allowParent: false), bytes.count <= maximumFileBytes, Self.mentionsApplication(bytes)
            else { continue }
            let manifests: [Manifest]
            do {
                manifests = try Manifest.decode(bytes, file: file)
            } catch {
                failures.append(Failure(file: file, message: String(describing: error)))
                continue
            }
            for manifest in manifests where manifest.apiVersion == Application.apiVersion && manifest.kind == Application.kind {
                do {
                    let application = try Application(manifest)
                    guard seen.insert(application.id).inserted else { continue }
                    found.append(Found(application: application, file: file))
                } catch {
                    failures.append(Failure(file: file, message: error.description))
                }
            }
        }
        return (found, failures)
    }

    /// The YAML files under the directories, sorted; hidden entries and symbolic links are skipped.
    func files(in root: SecureRoot) throws -> [String] {
        var result: Set<String> = []
        // A directory the revision does not have holds no Applications there (a change may add
        // or remove it); the planner refuses one that neither revision has.
        var pending = (directories.isEmpty ? ["."] : directories).map { SecureRoot.components($0).joined(separator: "/") }.filter {
            (try? root.list($0.isEmpty ? "." : $0)) != nil
        }
        var visited = 0
        while let directory = pending.popLast() {
            visited += 1
            guard visited <= Self.maximumDirectories else { throw PlanError(.tooLarge, "more than \(Self.maximumDirectories) directories to search") }
            for entry in try root.list(directory.isEmpty ? "." : directory) where !entry.name.hasPrefix(".") {
                let path = directory.isEmpty ? entry.name : directory + "/" + entry.name
                switch entry.type {
                case .directory: pending.append(path)
                case .file where entry.name.hasSuffix(".yaml") || entry.name.hasSuffix(".yml"): result.insert(path)
                default: break
                }
            }
        }
        return result.sorted()
    }

    /// The `--apps` directories `root` has.
    func present(in root: SecureRoot) -> Set<String> {
        Set(
            directories.filter { directory in
                let relative = SecureRoot.components(directory).joined(separator: "/")
                return (try? root.list(relative.isEmpty ? "." : relative)) != nil
            })
    }

    /// The most directories one search visits.
    static let maximumDirectories = 20_000

    /// A cheap test before parsing: the file names the Application kind and Keelson's group.
    static func mentionsApplication(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.contains("keelson.dev/") && text.contains("Application")
    }
}
