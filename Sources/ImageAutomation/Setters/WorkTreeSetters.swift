import Foundation
import Render

/// Runs a file updater over the YAML files under a directory of a work tree, writing only the
/// files that change. Every read goes through `SecureRoot` (no escapes by `..` or symlinks).
public enum WorkTreeSetters {
    /// The most YAML files visited under one directory.
    public static let maximumFiles = 10_000

    /// Applies `update` to each `.yaml`/`.yml` file under `directory` (relative to `workTree`);
    /// returns the paths written and every change, in file order.
    public static func run(
        workTree: String, directory: String, update: (_ bytes: [UInt8], _ file: String) throws -> FileUpdate?
    ) throws -> (paths: [String], changes: [YAMLChange]) {
        let root = try SecureRoot(directory: workTree)
        let files = try yamlFiles(in: root, under: directory)
        var paths: [String] = []
        var changes: [YAMLChange] = []
        for file in files {
            guard let updated = try update(try root.read(file), file) else { continue }
            try Data(updated.bytes).write(to: URL(fileURLWithPath: workTree + "/" + file), options: .atomic)
            paths.append(file)
            changes += updated.changes
        }
        return (paths, changes)
    }

    /// The `.yaml`/`.yml` files under `directory` of `root`, sorted; hidden entries are skipped.
    public static func yamlFiles(in root: SecureRoot, under directory: String) throws -> [String] {
        var files: [String] = []
        func walk(_ dir: String) throws {
            for entry in try root.list(dir) where !entry.name.hasPrefix(".") {
                let path = dir == "." ? entry.name : dir + "/" + entry.name
                switch entry.type {
                case .directory: try walk(path)
                case .file where entry.name.hasSuffix(".yaml") || entry.name.hasSuffix(".yml"):
                    files.append(path)
                    guard files.count <= maximumFiles else {
                        throw ImageAutomationError(.setter, "more than \(maximumFiles) YAML files", subject: directory)
                    }
                default: continue
                }
            }
        }
        try walk(directory)
        return files.sorted()
    }
}
