import GitSource
import Manifests

/// An `ImageUpdateAutomation`: on an interval, check out a branch, run the `$imagepolicy`
/// setters under a path with the latest image of each policy in the same namespace, commit,
/// and push (to the branch, or to a separate branch for review).
///
/// ```yaml
/// apiVersion: keelson.dev/v1alpha1
/// kind: ImageUpdateAutomation
/// metadata: {name: apps, namespace: keelson}
/// spec:
///   interval: 5m
///   sourceRef: {kind: Application, name: web}     # or {repoURL: https://..., secretRef: {name: git-auth}}
///   git:
///     checkout: {ref: {branch: main}}
///     commit:
///       author: {name: keelson, email: keelson@example.com}
///       messageTemplate: "{{#images}}{{policy}}: {{old}} → {{new}}\n{{/images}}"
///     push: {branch: image-updates}
///   update: {path: ./apps, strategy: Setters}
/// ```
public struct ImageUpdateAutomation: Sendable, Hashable {
    /// Where the Git repository comes from.
    public enum Source: Sendable, Hashable {
        /// A Keelson `Application`'s `spec.source.repoURL` (its `revision` is the default branch).
        case application(name: String, namespace: String)
        /// A repository URL, with the Secret (in the automation's namespace) holding its Git
        /// credentials: `username` + `password`, `token`, or `identity` + `known_hosts`.
        case repository(url: String, secretRef: String?)
    }

    /// Keelson's API version.
    public static let apiVersion = "keelson.dev/v1alpha1"
    /// The kind.
    public static let kind = "ImageUpdateAutomation"
    /// The message used without `spec.git.commit.messageTemplate`.
    public static let defaultMessageTemplate = """
        Update images ({{automation}})

        {{#images}}
        - {{policy}}: {{old}} → {{new}}
        {{/images}}
        """

    /// The namespace; only ImagePolicies of this namespace are applied.
    public var namespace: String
    /// The name.
    public var name: String
    /// How often the automation runs.
    public var interval: Duration
    /// The repository.
    public var source: Source
    /// `spec.git.checkout.ref.branch`, or `nil` to use the Application's revision (else `main`).
    public var checkoutBranch: String?
    /// The commit author's name.
    public var authorName: String
    /// The commit author's email.
    public var authorEmail: String
    /// The commit message template.
    public var messageTemplate: MessageTemplate
    /// `spec.git.push.branch`: where commits are pushed (the checkout branch when `nil`).
    public var pushBranch: String?
    /// `spec.update.path`, relative to the repository root.
    public var path: String
    /// A suspended automation does not run.
    public var suspend: Bool

    /// `namespace/name`.
    public var id: String { namespace + "/" + name }

    /// Reads and validates an automation; errors name the object and the field.
    public init(_ manifest: Manifest, defaultNamespace: String = "default") throws(ImageResourceError) {
        let reader = ResourceReader(manifest, defaultNamespace: defaultNamespace)
        guard manifest.apiVersion == Self.apiVersion, manifest.kind == Self.kind else {
            throw reader.error("apiVersion", "expected \(Self.apiVersion) \(Self.kind), found \(manifest.apiVersion) \(manifest.kind)")
        }
        namespace = manifest.namespace.isEmpty ? defaultNamespace : manifest.namespace
        name = try ImageResourceNames.validName(manifest.name, reader: reader)
        let spec = try reader.object(manifest.object["spec"], "spec", allowed: ["interval", "sourceRef", "git", "update", "suspend"])
        interval = try reader.interval(spec["interval"], "spec.interval") ?? .seconds(300)
        suspend = try reader.bool(spec["suspend"], "spec.suspend") ?? false

        let sourceRef = try reader.object(spec["sourceRef"], "spec.sourceRef", allowed: ["kind", "name", "namespace", "repoURL", "secretRef"])
        if let url = try reader.string(sourceRef["repoURL"], "spec.sourceRef.repoURL", limit: 2048) {
            guard sourceRef["name"] == nil, sourceRef["kind"] == nil, sourceRef["namespace"] == nil else {
                throw reader.error("spec.sourceRef", "give either repoURL, or kind: Application with name, not both")
            }
            guard !url.isEmpty else { throw reader.error("spec.sourceRef.repoURL", "is required") }
            source = .repository(url: url, secretRef: try reader.nameReference(sourceRef["secretRef"], "spec.sourceRef.secretRef")?.name)
        } else {
            guard sourceRef["secretRef"] == nil else {
                throw reader.error("spec.sourceRef.secretRef", "goes with repoURL; an Application's own spec.source.secretRef is used")
            }
            let kind = try reader.string(sourceRef["kind"], "spec.sourceRef.kind") ?? "Application"
            guard kind == "Application" else {
                throw reader.error("spec.sourceRef.kind", "must be Application (or give spec.sourceRef.repoURL); \(kind) is not supported")
            }
            let appName = try reader.required(sourceRef["name"], "spec.sourceRef.name", limit: 253)
            source = .application(
                name: appName, namespace: try reader.string(sourceRef["namespace"], "spec.sourceRef.namespace", limit: 63) ?? namespace)
        }

        let git = try reader.object(spec["git"], "spec.git", allowed: ["checkout", "commit", "push"])
        let checkout = try reader.object(git["checkout"], "spec.git.checkout", allowed: ["ref"])
        let ref = try reader.object(checkout["ref"], "spec.git.checkout.ref", allowed: ["branch"])
        checkoutBranch = try Self.branch(ref["branch"], "spec.git.checkout.ref.branch", reader: reader)
        let commit = try reader.object(git["commit"], "spec.git.commit", allowed: ["author", "messageTemplate"])
        let author = try reader.object(commit["author"], "spec.git.commit.author", allowed: ["name", "email"])
        authorName = try reader.string(author["name"], "spec.git.commit.author.name", limit: 256) ?? "keelson"
        authorEmail = try reader.required(author["email"], "spec.git.commit.author.email", limit: 256)
        guard !authorEmail.contains(where: { $0 == "<" || $0 == ">" || $0.isNewline }),
            !authorName.contains(where: { $0 == "<" || $0 == ">" || $0.isNewline })
        else {
            throw reader.error("spec.git.commit.author", "name and email may not hold <, > or line breaks")
        }
        let template = try reader.string(commit["messageTemplate"], "spec.git.commit.messageTemplate", limit: MessageTemplate.maximumBytes)
        do { messageTemplate = try MessageTemplate(template ?? Self.defaultMessageTemplate) } catch {
            throw reader.error("spec.git.commit.messageTemplate", error.message)
        }
        let push = try reader.object(git["push"], "spec.git.push", allowed: ["branch"])
        pushBranch = try Self.branch(push["branch"], "spec.git.push.branch", reader: reader)

        let update = try reader.object(spec["update"], "spec.update", allowed: ["path", "strategy"])
        let strategy = try reader.string(update["strategy"], "spec.update.strategy") ?? "Setters"
        guard strategy == "Setters" else { throw reader.error("spec.update.strategy", "must be Setters") }
        var path = try reader.string(update["path"], "spec.update.path", limit: 1024) ?? "."
        while path.hasPrefix("./") { path.removeFirst(2) }
        if path.isEmpty { path = "." }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw reader.error("spec.update.path", "must be relative to the repository root, without '..'")
        }
        self.path = path
    }

    private static func branch(_ value: JSONValue?, _ field: String, reader: ResourceReader) throws(ImageResourceError) -> String? {
        guard let branch = try reader.string(value, field, limit: RefName.maximumLength) else { return nil }
        if let problem = RefName.problem(branch) { throw reader.error(field, "is not a valid branch name: \(problem)") }
        return branch
    }
}
