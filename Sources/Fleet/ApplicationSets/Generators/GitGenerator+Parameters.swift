import KeelsonFoundation
import Manifests

extension GitGenerator {
    /// The most files a files generator reads in one pass, and the most bytes in all.
    static let maximumFiles = 1000
    static let maximumFileBytes = 1 << 20
    static let maximumTotalBytes = 16 << 20

    /// The parameter sets of `tree`: one per matching directory, or one per matching file (one
    /// per item of a file holding a list).
    func parameters(_ tree: RepositoryTree, goTemplate: Bool, field: String) throws(ApplicationSetError) -> [Parameters] {
        if !directories.isEmpty {
            let matched = try Self.select(tree.directories, by: directories, field: field + ".directories")
            return matched.map { pathParameters(directory: $0, goTemplate: goTemplate) }
        }
        let matched = try Self.select(tree.files, by: files, field: field + ".files")
        guard matched.count <= Self.maximumFiles else {
            throw ApplicationSetError(.generator, field: field + ".files", "matches \(matched.count) files, more than \(Self.maximumFiles)")
        }
        var result: [Parameters] = []
        var total = 0
        for path in matched {
            let bytes = try tree.read(path)
            total += bytes.count
            guard bytes.count <= Self.maximumFileBytes, total <= Self.maximumTotalBytes else {
                throw ApplicationSetError(.generator, field: field + ".files", "\(path): the matched files exceed the size limit")
            }
            for item in try Self.items(bytes, path: path, field: field) {
                var parameters = Parameters()
                if goTemplate {
                    parameters = item
                } else {
                    for (key, value) in ParameterText.flattened(.object(item)) { parameters[key] = .string(value) }
                }
                for (key, value) in pathParameters(file: path, goTemplate: goTemplate) { parameters[key] = value }
                result.append(parameters)
            }
        }
        return result
    }

    /// The entries of `candidates` matched by an including pattern and by no excluding one, sorted.
    static func select(_ candidates: [String], by entries: [PathEntry], field: String) throws(ApplicationSetError) -> [String] {
        var include: [(String, Glob)] = []
        var exclude: [(String, Glob)] = []
        for entry in entries {
            let glob: Glob
            do { glob = try Glob(entry.path) } catch { throw ApplicationSetError(.invalidSpec, field: field, "\(entry.path): \(error)") }
            if entry.exclude { exclude.append((entry.path, glob)) } else { include.append((entry.path, glob)) }
        }
        return candidates.filter { path in
            include.contains { matches($0, path) } && !exclude.contains { matches($0, path) }
        }.sorted()
    }

    /// Whether a pattern matches a whole path, as Go's `path.Match` does: a pattern without `/`
    /// only matches top-level entries (`Glob` alone would match any base name).
    static func matches(_ pattern: (text: String, glob: Glob), _ path: String) -> Bool {
        if !pattern.text.contains("/") && path.contains("/") { return false }
        return pattern.glob.matches(path)
    }

    /// A file's parameter objects: a JSON or YAML object, or a list of objects.
    static func items(_ bytes: [UInt8], path: String, field: String) throws(ApplicationSetError) -> [JSONObject] {
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(bytes, file: path) } catch {
            throw ApplicationSetError(.generator, field: field + ".files", "\(path) is not JSON or YAML: \(error)")
        }
        var items: [JSONObject] = []
        for document in documents {
            switch document.value {
            case .null: continue
            case .object(let object): items.append(object)
            case .array(let list):
                for (index, item) in list.enumerated() {
                    guard let object = item.objectValue else {
                        throw ApplicationSetError(.generator, field: field + ".files", "\(path): item \(index) is not an object")
                    }
                    items.append(object)
                }
            default: throw ApplicationSetError(.generator, field: field + ".files", "\(path) holds neither an object nor a list of objects")
            }
        }
        return items
    }

    /// Argo CD's path parameters of a directory: `path`, `path.basename`,
    /// `path.basenameNormalized`, `path[n]`; with goTemplate `.path.path`, `.path.basename`,
    /// `.path.basenameNormalized`, `.path.segments`.
    func pathParameters(directory: String, goTemplate: Bool) -> Parameters {
        let base = String(directory.split(separator: "/").last ?? "")
        return pathParameters(
            path: directory, fields: [("basename", base), ("basenameNormalized", ParameterText.sanitizedName(base))], goTemplate: goTemplate)
    }

    /// Argo CD's path parameters of a file: the directory holding it as `path` (with `basename`,
    /// `basenameNormalized`, segments), and `path.filename`, `path.filenameNormalized`.
    func pathParameters(file: String, goTemplate: Bool) -> Parameters {
        let parts = file.split(separator: "/").map(String.init)
        let directory = parts.dropLast().joined(separator: "/")
        let name = parts.last ?? ""
        let base = directory.isEmpty ? "." : String(parts.dropLast().last ?? "")
        return pathParameters(
            path: directory.isEmpty ? "." : directory,
            fields: [
                ("basename", base), ("filename", name), ("basenameNormalized", ParameterText.sanitizedName(base)),
                ("filenameNormalized", ParameterText.sanitizedName(name)),
            ], goTemplate: goTemplate)
    }

    private func pathParameters(path: String, fields: [(String, String)], goTemplate: Bool) -> Parameters {
        let segments = path.split(separator: "/").map(String.init)
        var parameters = Parameters()
        if goTemplate {
            var object: JSONObject = ["path": .string(path)]
            for (key, value) in fields { object[key] = .string(value) }
            object["segments"] = .array(segments.map { .string($0) })
            if let prefix = pathParamPrefix, !prefix.isEmpty {
                parameters[prefix] = ["path": .object(object)]
            } else {
                parameters["path"] = .object(object)
            }
            return parameters
        }
        let name = pathParamPrefix.map { $0.isEmpty ? "path" : $0 + ".path" } ?? "path"
        parameters[name] = .string(path)
        for (key, value) in fields { parameters[name + "." + key] = .string(value) }
        for (index, segment) in segments.enumerated() { parameters["\(name)[\(index)]"] = .string(segment) }
        return parameters
    }
}
