import Manifests
import SCM

extension Generator {
    /// The deepest nesting of matrix and merge generators, as Argo CD allows.
    static let maximumDepth = 2

    /// Reads one generator at `field`; `count` counts every generator read, to bound the total.
    static func parse(
        _ value: JSONValue, field: String, reader: FieldReader, depth: Int, count: inout Int
    ) throws(ObjectFieldError) -> Generator {
        count += 1
        guard count <= ApplicationSet.maximumGenerators else {
            throw reader.error(field, "more than \(ApplicationSet.maximumGenerators) generators in one set")
        }
        let kinds = ["list", "git", "clusters", "pullRequest", "matrix", "merge"]
        let object = try reader.object(value, field, known: Set(kinds + ["selector"]))
        let present = kinds.filter { object[$0] != nil }
        guard present.count == 1, let kind = present.first else {
            throw reader.error(field, "needs exactly one of \(kinds.joined(separator: ", "))")
        }
        var selector: LabelSelector?
        if let raw = object["selector"], !raw.isNull {
            let object = try reader.object(raw, field + ".selector", known: ["matchLabels", "matchExpressions"])
            do { selector = try LabelSelector(object) } catch { throw reader.error(field + ".selector", error.message) }
        }
        let inner = object[kind]
        let here = field + "." + kind
        let source: Source
        switch kind {
        case "list": source = .list(try list(inner, here, reader))
        case "git": source = .git(try git(inner, here, reader))
        case "clusters": source = .clusters(try clusters(inner, here, reader))
        case "pullRequest": source = .pullRequest(try pullRequest(inner, here, reader))
        default:
            guard depth < maximumDepth else { throw reader.error(here, "matrix and merge generators nest at most \(maximumDepth) deep") }
            let spec = try reader.object(inner, here, known: kind == "matrix" ? ["generators"] : ["generators", "mergeKeys"])
            var children: [Generator] = []
            for (index, child) in try reader.array(spec["generators"], here + ".generators", maximum: 10).enumerated() {
                children.append(try parse(child, field: "\(here).generators[\(index)]", reader: reader, depth: depth + 1, count: &count))
            }
            if kind == "matrix" {
                guard children.count == 2 else { throw reader.error(here + ".generators", "a matrix combines exactly two generators") }
                source = .matrix(children)
            } else {
                guard children.count >= 2 else { throw reader.error(here + ".generators", "a merge needs at least two generators") }
                var keys: [String] = []
                for (index, key) in try reader.array(spec["mergeKeys"], here + ".mergeKeys", maximum: 20).enumerated() {
                    guard let text = try reader.string(key, "\(here).mergeKeys[\(index)]"), !text.isEmpty else {
                        throw reader.error("\(here).mergeKeys[\(index)]", "must be a parameter name")
                    }
                    keys.append(text)
                }
                guard !keys.isEmpty else { throw reader.error(here + ".mergeKeys", "is required") }
                source = .merge(mergeKeys: keys, children)
            }
        }
        return Generator(source: source, selector: selector, raw: object, field: field)
    }

    static func list(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> ListGenerator {
        let spec = try reader.object(value, field, known: ["elements", "elementsYaml", "template"])
        if spec["template"] != nil { throw reader.error(field + ".template", "per-generator templates are not supported") }
        var elements: [JSONObject] = []
        for (index, item) in try reader.array(spec["elements"], field + ".elements", maximum: 10_000).enumerated() {
            guard let object = item.objectValue else { throw reader.error("\(field).elements[\(index)]", "must be an object") }
            elements.append(object)
        }
        if let text = try reader.string(spec["elementsYaml"], field + ".elementsYaml"), !text.isEmpty {
            let documents: [YAMLDocument]
            do { documents = try YAMLDecoder().decode(text, file: field + ".elementsYaml") } catch {
                throw reader.error(field + ".elementsYaml", "is not YAML: \(error)")
            }
            for document in documents {
                for (index, item) in (document.value.arrayValue ?? []).enumerated() {
                    guard let object = item.objectValue else { throw reader.error("\(field).elementsYaml[\(index)]", "must be an object") }
                    elements.append(object)
                }
                if document.value.arrayValue == nil && !document.value.isNull {
                    throw reader.error(field + ".elementsYaml", "must be a YAML list of objects")
                }
            }
        }
        return ListGenerator(elements: elements)
    }

    static func pathEntries(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> [GitGenerator.PathEntry] {
        var entries: [GitGenerator.PathEntry] = []
        for (index, item) in try reader.array(value, field, maximum: 100).enumerated() {
            let here = "\(field)[\(index)]"
            let object = try reader.object(item, here, known: ["path", "exclude"])
            guard let path = try reader.string(object["path"], here + ".path"), !path.isEmpty else {
                throw reader.error(here + ".path", "is required")
            }
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw reader.error(here + ".path", "must be relative to the repository root, without '..'")
            }
            entries.append(.init(path: path, exclude: try reader.bool(object["exclude"], here + ".exclude") ?? false))
        }
        return entries
    }

    static func git(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> GitGenerator {
        let spec = try reader.object(
            value, field,
            known: ["repoURL", "revision", "directories", "files", "secretRef", "pathParamPrefix", "values", "requeueAfterSeconds", "template"])
        if spec["template"] != nil { throw reader.error(field + ".template", "per-generator templates are not supported") }
        guard let repoURL = try reader.string(spec["repoURL"], field + ".repoURL"), !repoURL.isEmpty else {
            throw reader.error(field + ".repoURL", "is required")
        }
        let directories = try pathEntries(spec["directories"], field + ".directories", reader)
        let files = try pathEntries(spec["files"], field + ".files", reader)
        guard directories.isEmpty != files.isEmpty else { throw reader.error(field, "needs either directories or files") }
        var secretRef: String?
        if let ref = spec["secretRef"], !ref.isNull {
            secretRef = try reader.string(try reader.object(ref, field + ".secretRef", known: ["name"])["name"], field + ".secretRef.name")
        }
        return GitGenerator(
            repoURL: repoURL, revision: try reader.string(spec["revision"], field + ".revision") ?? "HEAD", directories: directories,
            files: files, secretRef: secretRef, pathParamPrefix: try reader.string(spec["pathParamPrefix"], field + ".pathParamPrefix"),
            values: try values(spec["values"], field + ".values", reader),
            requeueAfterSeconds: try reader.integer(spec["requeueAfterSeconds"], field + ".requeueAfterSeconds", in: 1...86_400))
    }

    static func clusters(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> ClusterGenerator {
        let spec = try reader.object(value, field, known: ["selector", "values", "template"])
        if spec["template"] != nil { throw reader.error(field + ".template", "per-generator templates are not supported") }
        var selector: LabelSelector?
        if let raw = spec["selector"], !raw.isNull {
            let object = try reader.object(raw, field + ".selector", known: ["matchLabels", "matchExpressions"])
            do { selector = try LabelSelector(object) } catch { throw reader.error(field + ".selector", error.message) }
            if selector?.requirements.isEmpty == true { selector = nil }
        }
        return ClusterGenerator(selector: selector, values: try values(spec["values"], field + ".values", reader))
    }

    static func pullRequest(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> PullRequestGenerator {
        let spec = try reader.object(value, field, known: ["github", "gitlab", "gitea", "requeueAfterSeconds", "values", "template"])
        if spec["template"] != nil { throw reader.error(field + ".template", "per-generator templates are not supported") }
        let forges = Forge.allCases.filter { spec[$0.rawValue] != nil }
        guard forges.count == 1, let forge = forges.first else { throw reader.error(field, "needs exactly one of github, gitlab, gitea") }
        let here = field + "." + forge.rawValue
        let known: Set<String> =
            forge == .gitlab ? ["project", "api", "tokenRef", "labels", "pullRequestState"] : ["owner", "repo", "api", "tokenRef", "labels"]
        let object = try reader.object(spec[forge.rawValue], here, known: known)
        let project: String
        if forge == .gitlab {
            guard let text = try reader.string(object["project"], here + ".project"), !text.isEmpty else {
                throw reader.error(here + ".project", "is required")
            }
            if let state = try reader.string(object["pullRequestState"], here + ".pullRequestState"), state != "opened" {
                throw reader.error(here + ".pullRequestState", "only opened merge requests are listed")
            }
            project = text
        } else {
            guard let owner = try reader.string(object["owner"], here + ".owner"), !owner.isEmpty else {
                throw reader.error(here + ".owner", "is required")
            }
            guard let repo = try reader.string(object["repo"], here + ".repo"), !repo.isEmpty else {
                throw reader.error(here + ".repo", "is required")
            }
            project = owner + "/" + repo
        }
        var tokenRef: (String, String)?
        if let ref = object["tokenRef"], !ref.isNull {
            let refObject = try reader.object(ref, here + ".tokenRef", known: ["secretName", "key"])
            guard let name = try reader.string(refObject["secretName"], here + ".tokenRef.secretName"), !name.isEmpty,
                let key = try reader.string(refObject["key"], here + ".tokenRef.key"), !key.isEmpty
            else { throw reader.error(here + ".tokenRef", "needs secretName and key") }
            tokenRef = (name, key)
        }
        var labels: [String] = []
        for (index, label) in try reader.array(object["labels"], here + ".labels", maximum: 20).enumerated() {
            labels.append(try reader.string(label, "\(here).labels[\(index)]") ?? "")
        }
        return PullRequestGenerator(
            forge: forge, project: project, api: try reader.string(object["api"], here + ".api"), tokenRef: tokenRef, labels: labels,
            values: try values(spec["values"], field + ".values", reader),
            requeueAfterSeconds: try reader.integer(spec["requeueAfterSeconds"], field + ".requeueAfterSeconds", in: 1...86_400))
    }

    /// `values`: a map of strings (each a template).
    static func values(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ObjectFieldError) -> JSONObject {
        guard let value, !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw reader.error(field, "must be a map of strings") }
        for (key, item) in object where item.stringValue == nil { throw reader.error(field + "." + key, "must be a string") }
        return object
    }
}
