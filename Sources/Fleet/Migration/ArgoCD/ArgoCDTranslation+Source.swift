import Manifests

extension ArgoCDTranslation {
    /// One Argo CD source as a Keelson `spec.source`.
    static func source(_ value: JSONValue, _ path: String, object: inout ObjectTranslation) throws(TranslationFailure) -> JSONObject {
        var fields = try object.fields(value, path)
        guard let repoURL = try object.string(fields.take("repoURL"), fields.path("repoURL")), !repoURL.isEmpty else {
            throw object.failure(fields.path("repoURL"), "is required")
        }
        let chart = try object.string(fields.take("chart"), fields.path("chart")).flatMap { $0.isEmpty ? nil : $0 }
        let revision = try object.string(fields.take("targetRevision"), fields.path("targetRevision")) ?? ""
        let directoryPath = try object.string(fields.take("path"), fields.path("path"))
        _ = fields.take("ref")
        _ = fields.take("name")
        var result: JSONObject = [:]
        if let chart {
            if repoURL.contains("://"), !repoURL.hasPrefix("oci://") {
                result["repoURL"] = .string(repoURL)
                result["chart"] = .string(chart)
            } else {
                // Argo CD names an OCI chart repository without a scheme (or with oci://) and the
                // chart apart; Keelson's oci:// URL names the chart itself.
                var base = repoURL.hasPrefix("oci://") ? String(repoURL.dropFirst(6)) : repoURL
                while base.hasSuffix("/") { base.removeLast() }
                result["repoURL"] = .string("oci://\(base)/\(chart)")
            }
            if !revision.isEmpty { result["revision"] = .string(revision) }
            if directoryPath.map({ !$0.isEmpty && $0 != "." }) ?? false {
                object.report(fields.path("path"), "not used with a chart from a Helm repository, as in Argo CD")
            }
        } else {
            if repoURL.hasPrefix("oci://") {
                throw object.failure(fields.path("repoURL"), "an OCI artifact of manifests is not a Keelson source (oci:// names a Helm chart)")
            }
            result["repoURL"] = .string(repoURL)
            if revision.isEmpty || revision == "HEAD" {
                result["revision"] = "main"
                object.report(
                    fields.path("targetRevision"),
                    "\(revision.isEmpty ? "empty" : "HEAD") (the default branch) has no Keelson spelling: revision main was written; change it if the default branch has another name"
                )
            } else {
                result["revision"] = .string(revision)
            }
            if let directoryPath, let normal = normalisedPath(directoryPath) { result["path"] = .string(normal) }
        }
        let isChart = chart != nil
        if let helm = fields.take("helm") { result["helm"] = .object(try self.helm(helm, fields.path("helm"), object: &object)) }
        if let kustomize = fields.take("kustomize") {
            result["kustomize"] = .object(try self.kustomize(kustomize, fields.path("kustomize"), object: &object))
        }
        let directory = try self.directory(fields.take("directory"), fields.path("directory"), object: &object)
        // Argo CD reads a plain directory without recursing unless told; Keelson recurses unless told.
        if !isChart, result["helm"] == nil, result["kustomize"] == nil { result["directory"] = .object(directory) }
        if fields.has("plugin") {
            throw object.failure(
                fields.path("plugin"), "config management plugins are not supported: Keelson renders directories, Kustomize and Helm")
        }
        object.reportLeftovers(fields)
        return result
    }

    /// A path relative to the repository root, without `./`; nil for the root.
    static func normalisedPath(_ path: String) -> String? {
        var text = path
        while text.hasPrefix("./") { text.removeFirst(2) }
        while text.hasSuffix("/") { text.removeLast() }
        return text.isEmpty || text == "." ? nil : text
    }

    private static func helm(_ value: JSONValue, _ path: String, object: inout ObjectTranslation) throws(TranslationFailure) -> JSONObject {
        var fields = try object.fields(value, path)
        var result: JSONObject = [:]
        if let name = try object.string(fields.take("releaseName"), fields.path("releaseName")), !name.isEmpty {
            result["releaseName"] = .string(name)
        }
        let files = try object.strings(fields.take("valueFiles"), fields.path("valueFiles"))
        for file in files where file.contains("://") || file.hasPrefix("/") || file.split(separator: "/").contains("..") {
            throw object.failure(
                fields.path("valueFiles"), "\(file): Keelson reads values files inside the chart only (no URL, absolute path or '..')")
        }
        if !files.isEmpty { result["valueFiles"] = .array(files.map { .string($0) }) }
        let text = try object.string(fields.take("values"), fields.path("values"))
        if let values = fields.take("valuesObject") {
            result["values"] = values
            if text != nil { object.report(fields.path("values"), "ignored, as Argo CD ignores it when valuesObject is set") }
        } else if let text, !text.isEmpty {
            result["values"] = .string(text)
        }
        var parameters: [JSONValue] = []
        for (index, item) in try object.array(fields.take("parameters"), fields.path("parameters")).enumerated() {
            var entry = try object.fields(item, "\(path).parameters[\(index)]")
            var parameter: JSONObject = ["name": .string(try object.string(entry.take("name"), entry.path("name")) ?? "")]
            parameter["value"] = .string(try object.string(entry.take("value"), entry.path("value")) ?? "")
            if try object.bool(entry.take("forceString"), entry.path("forceString")) == true { parameter["forceString"] = true }
            parameters.append(.object(parameter))
            object.reportLeftovers(entry)
        }
        if !parameters.isEmpty { result["parameters"] = .array(parameters) }
        for key in ["skipCrds", "skipTests"] where try object.bool(fields.take(key), fields.path(key)) == true { result[key] = true }
        if let version = try object.string(fields.take("kubeVersion"), fields.path("kubeVersion")), !version.isEmpty {
            result["kubeVersion"] = .string(version)
        }
        let apiVersions = try object.strings(fields.take("apiVersions"), fields.path("apiVersions"))
        if !apiVersions.isEmpty { result["apiVersions"] = .array(apiVersions.map { .string($0) }) }
        if let version = try object.string(fields.take("version"), fields.path("version")), !["", "v3", "3"].contains(version) {
            object.report(fields.path("version"), "Keelson renders charts as Helm 3 does")
        }
        for key in ["ignoreMissingValueFiles", "passCredentials", "skipSchemaValidation"] {
            guard try object.bool(fields.take(key), fields.path(key)) == true else { continue }
            object.report(
                fields.path(key),
                key == "ignoreMissingValueFiles"
                    ? "Keelson fails the render when a values file is missing" : "not supported by Keelson's chart renderer; left out")
        }
        if fields.has("fileParameters") {
            _ = fields.take("fileParameters")
            object.report(
                fields.path("fileParameters"), "Keelson's parameters take values, not files: put the file's content in a parameter or values")
        }
        if fields.has("namespace") {
            _ = fields.take("namespace")
            object.report(fields.path("namespace"), "Keelson renders the chart for spec.destination.namespace")
        }
        object.reportLeftovers(fields)
        return result
    }

    private static func kustomize(_ value: JSONValue, _ path: String, object: inout ObjectTranslation) throws(TranslationFailure)
        -> JSONObject
    {
        var fields = try object.fields(value, path)
        var result: JSONObject = [:]
        for key in ["namePrefix", "nameSuffix", "namespace"] {
            if let text = try object.string(fields.take(key), fields.path(key)), !text.isEmpty { result[key] = .string(text) }
        }
        for key in ["commonLabels", "commonAnnotations"] {
            let map = try object.stringMap(fields.take(key), fields.path(key))
            if !map.isEmpty { result[key] = .object(map) }
        }
        let images = try object.strings(fields.take("images"), fields.path("images"))
        if !images.isEmpty { result["images"] = .array(images.map { .string($0) }) }
        var patches: [JSONValue] = []
        for (index, item) in try object.array(fields.take("patches"), fields.path("patches")).enumerated() {
            var entry = try object.fields(item, "\(path).patches[\(index)]")
            guard let text = try object.string(entry.take("patch"), entry.path("patch")), !text.isEmpty else {
                object.report(entry.path("path"), "a patch read from a file is not supported; write it inline as patch")
                continue
            }
            var patch: JSONObject = ["patch": .string(text)]
            if let target = entry.take("target") { patch["target"] = target }
            patches.append(.object(patch))
            object.reportLeftovers(entry)
        }
        if !patches.isEmpty { result["patches"] = .array(patches) }
        var replicas: [JSONValue] = []
        for (index, item) in try object.array(fields.take("replicas"), fields.path("replicas")).enumerated() {
            var entry = try object.fields(item, "\(path).replicas[\(index)]")
            let name = try object.string(entry.take("name"), entry.path("name")) ?? ""
            guard let count = try object.int(entry.take("count"), entry.path("count")) else {
                throw object.failure(entry.path("count"), "is required")
            }
            replicas.append(["name": .string(name), "count": .number(JSONNumber(Int64(count)))])
        }
        if !replicas.isEmpty { result["replicas"] = .array(replicas) }
        object.reportLeftovers(fields, "not supported by Keelson's Kustomize options; left out")
        return result
    }

    /// `directory`, always with `recurse` written (Argo CD's default is false, Keelson's true).
    private static func directory(_ value: JSONValue?, _ path: String, object: inout ObjectTranslation) throws(TranslationFailure)
        -> JSONObject
    {
        var fields = try object.fields(value, path)
        var result: JSONObject = ["recurse": .bool(try object.bool(fields.take("recurse"), fields.path("recurse")) ?? false)]
        for key in ["include", "exclude"] {
            guard let pattern = try object.string(fields.take(key), fields.path(key)), !pattern.isEmpty else { continue }
            result[key] = [.string(pattern)]
            // Argo CD's `*` also matches across `/`; Keelson's stays within one path component.
            if pattern.contains("/"), pattern.contains("*"), !pattern.contains("**") {
                object.report(fields.path(key), "carried over, but Keelson's * does not match across '/' as Argo CD's does: use ** for that")
            }
        }
        if let jsonnet = fields.take("jsonnet"), !(jsonnet.objectValue?.isEmpty ?? true) {
            object.report(fields.path("jsonnet"), "Jsonnet is not rendered by Keelson: .jsonnet files are ignored")
        }
        object.reportLeftovers(fields)
        return result
    }
}
