import GitSource
import Manifests

extension FluxTranslation {
    /// A Flux source as the fields of a Keelson `spec.source`.
    struct SourceFields {
        var repoURL: String
        var revision: String?
        var chart: String?
        /// The chart's directory in a Git repository.
        var path: String?
        var secretRef: String?
        var interval: String?
        /// The Secrets this source reads (for the moved-namespace report).
        var references: [String] = []
    }

    /// A `GitRepository` as a Git source.
    static func gitSource(_ manifest: Manifest, report: ObjectTranslation?, context: inout Context) throws(TranslationFailure) -> SourceFields {
        var object = report ?? ObjectTranslation(manifest)
        var spec = try object.fields(manifest.object["spec"], "spec")
        guard let url = try object.string(spec.take("url"), "spec.url"), !url.isEmpty else { throw object.failure("spec.url", "is required") }
        var source = SourceFields(repoURL: url)
        source.revision = try revision(spec.take("ref"), object: object)
        source.interval = try object.string(spec.take("interval"), "spec.interval")
        if let secret = try object.string(spec.take("secretRef")?["name"], "spec.secretRef.name") {
            source.secretRef = secret
            source.references.append("Secret \(secret)")
        }
        if try object.bool(spec.take("suspend"), "spec.suspend") == true {
            object.report("spec.suspend", "the source's suspension is not carried: suspend the Application instead")
        }
        _ = spec.take("timeout")
        let reasons = [
            "ignore": "Keelson renders every file under the path; .sourceignore rules are not read",
            "include": "Keelson has one repository per Application: included repositories are not fetched",
            "recurseSubmodules": "Keelson does not fetch submodules", "verify": "Keelson does not verify commit signatures",
            "sparseCheckout": "Keelson fetches the whole repository", "proxySecretRef": "Keelson uses the controller's proxy settings",
            "provider": "Keelson authenticates with the Secret in spec.source.secretRef only",
        ]
        for key in spec.leftovers.sorted() { object.report("spec.\(key)", reasons[key] ?? "not known to Keelson's translator; left out") }
        if report != nil { context.sourceReports.append(object) }
        return source
    }

    /// A Git `ref` as a Keelson revision, in Flux's order of precedence: commit, name, semver, tag, branch.
    static func revision(_ value: JSONValue?, object: ObjectTranslation) throws(TranslationFailure) -> String {
        var ref = try object.fields(value, "spec.ref")
        if let commit = try object.string(ref.take("commit"), "spec.ref.commit"), !commit.isEmpty {
            guard Revision.isFullSHA(commit) else { throw object.failure("spec.ref.commit", "\(commit) is not a full 40-hex commit SHA") }
            return commit.lowercased()
        }
        if let name = try object.string(ref.take("name"), "spec.ref.name"), !name.isEmpty {
            guard name.hasPrefix("refs/heads/") || name.hasPrefix("refs/tags/") else {
                throw object.failure("spec.ref.name", "\(name): Keelson follows branches (refs/heads/…) and tags (refs/tags/…) only")
            }
            return name
        }
        if let semver = try object.string(ref.take("semver"), "spec.ref.semver"), !semver.isEmpty {
            // A bare version would read as a branch name.
            return semver.contains(where: { "^~<>=*| ".contains($0) }) ? semver : "=" + semver
        }
        if let tag = try object.string(ref.take("tag"), "spec.ref.tag"), !tag.isEmpty { return "refs/tags/" + tag }
        if let branch = try object.string(ref.take("branch"), "spec.ref.branch"), !branch.isEmpty { return branch }
        // Flux's GitRepository follows master when it names no ref.
        return "master"
    }

    /// A chart's source: a `HelmRepository` (HTTP or OCI) or `GitRepository` with the chart's
    /// name or path, or a `HelmChart` that says the same.
    static func chartSource(
        chart: String, version: String?, kind: String, name: String, namespace: String, field: String, context: inout Context,
        object: ObjectTranslation
    ) throws(TranslationFailure) -> SourceFields {
        guard let (manifest, report) = context.source(kind: kind, name: name, namespace: namespace) else {
            throw object.failure(field, "\(sourceGroup)/\(kind) \(namespace)/\(name) is not among the objects translated")
        }
        switch kind {
        case "HelmRepository":
            var source = try helmRepository(manifest, report: report, context: &context)
            if source.repoURL.hasPrefix("oci://") {
                while source.repoURL.hasSuffix("/") { source.repoURL.removeLast() }
                source.repoURL += "/" + chart
            } else {
                source.chart = chart
            }
            if let version, !version.isEmpty, version != "*" { source.revision = version }
            return source
        case "GitRepository":
            var source = try gitSource(manifest, report: report, context: &context)
            source.path = normalisedPath(chart)
            return source
        default:
            throw object.failure(
                field, "a chart from a \(kind) is not supported: Keelson fetches charts from Helm repositories, OCI registries and Git")
        }
    }

    /// A `HelmRepository`.
    static func helmRepository(_ manifest: Manifest, report: ObjectTranslation?, context: inout Context) throws(TranslationFailure) -> SourceFields {
        var object = report ?? ObjectTranslation(manifest)
        var spec = try object.fields(manifest.object["spec"], "spec")
        guard var url = try object.string(spec.take("url"), "spec.url"), !url.isEmpty else { throw object.failure("spec.url", "is required") }
        let type = try object.string(spec.take("type"), "spec.type") ?? "default"
        if type == "oci", !url.hasPrefix("oci://") { url = "oci://" + url }
        var source = SourceFields(repoURL: url)
        source.interval = try object.string(spec.take("interval"), "spec.interval")
        if let secret = try object.string(spec.take("secretRef")?["name"], "spec.secretRef.name") {
            source.secretRef = secret
            source.references.append("Secret \(secret)")
        }
        for key in ["timeout", "suspend"] { _ = spec.take(key) }
        let reasons = [
            "certSecretRef": "Keelson reads ca.crt, tls.crt and tls.key from the Secret in spec.source.secretRef: put them there",
            "passCredentials": "Keelson sends credentials to the repository's own host only",
            "provider": "Keelson authenticates with the Secret in spec.source.secretRef only",
            "insecure": "Keelson talks to chart repositories over TLS", "accessFrom": "Keelson's Projects decide who may use a repository",
        ]
        for key in spec.leftovers.sorted() { object.report("spec.\(key)", reasons[key] ?? "not known to Keelson's translator; left out") }
        if report != nil { context.sourceReports.append(object) }
        return source
    }

    /// An `OCIRepository` holding a chart, fetched by tag or semver range.
    static func ociChart(_ manifest: Manifest, report: ObjectTranslation?, context: inout Context) throws(TranslationFailure) -> SourceFields {
        var object = report ?? ObjectTranslation(manifest)
        var spec = try object.fields(manifest.object["spec"], "spec")
        guard let url = try object.string(spec.take("url"), "spec.url"), url.hasPrefix("oci://") else {
            throw object.failure("spec.url", "must be an oci:// URL")
        }
        var source = SourceFields(repoURL: url)
        var ref = try object.fields(spec.take("ref"), "spec.ref")
        if let digest = try object.string(ref.take("digest"), "spec.ref.digest"), !digest.isEmpty {
            throw object.failure("spec.ref.digest", "Keelson fetches a chart by version, not by digest")
        }
        if let semver = try object.string(ref.take("semver"), "spec.ref.semver"), !semver.isEmpty {
            source.revision = semver
        } else if let tag = try object.string(ref.take("tag"), "spec.ref.tag"), !tag.isEmpty, tag != "latest" {
            source.revision = tag
        } else {
            throw object.failure("spec.ref", "the tag latest is not a chart version: name a tag or a semver range")
        }
        source.interval = try object.string(spec.take("interval"), "spec.interval")
        if let secret = try object.string(spec.take("secretRef")?["name"], "spec.secretRef.name") {
            source.secretRef = secret
            source.references.append("Secret \(secret)")
            object.report("spec.secretRef", "Keelson reads username and password from the Secret, not a .dockerconfigjson")
        }
        for key in ["timeout", "suspend", "layerSelector"] { _ = spec.take(key) }
        object.reportLeftovers(spec)
        if report != nil { context.sourceReports.append(object) }
        return source
    }

    /// A path relative to the repository root, without `./`; nil for the root.
    static func normalisedPath(_ path: String) -> String? { ArgoCDTranslation.normalisedPath(path) }
}
