import Foundation
import GitSource
import Kube
import Manifests
import Synchronization

extension ImageAutomationService {
    /// Checks out the automation's branch, runs the setters under its path with the latest
    /// selections of the policies in its namespace, commits and pushes; writes its status.
    func runAutomation(_ automation: ImageUpdateAutomation, object: Manifest) async {
        let generation = object.metadata["generation"]?.intValue ?? 0
        let version = await state.version(namespace: automation.namespace)
        let policies = await state.results(namespace: automation.namespace)
        let condition: ResourceCondition
        var pushed: PushResult?
        do {
            let (remote, defaultBranch) = try await repository(of: automation)
            let branch = automation.checkoutBranch ?? defaultBranch
            let target = automation.pushBranch ?? branch
            let changes = Mutex<[YAMLChange]>([])
            let updater = SetterUpdater(policies: policies)
            let (template, id, path) = (automation.messageTemplate, automation.id, automation.path)
            let request = PushRequest(
                branch: branch, author: GitSignature(name: automation.authorName, email: automation.authorEmail),
                message: "Update images", strategy: .reapply, maximumAttempts: 5, pushBranch: automation.pushBranch,
                messageProvider: { template.render(automation: id, branch: target, path: path, changes: changes.withLock { $0 }) })
            pushed = try await git.commitAndPush(remote, request) { workTree in
                let result = try WorkTreeSetters.run(workTree: workTree, directory: path) { bytes, file in try updater.update(bytes, file: file) }
                changes.withLock { $0 = result.changes }
                return result.paths
            }
            if let pushed {
                condition = ResourceCondition(ready: true, reason: "Succeeded", message: "committed and pushed \(pushed.commit) to \(target)")
                logger.info(
                    "image update pushed",
                    metadata: [
                        "keelson.automation": "\(automation.id)", "keelson.revision": "\(pushed.commit)",
                        "changes": "\(changes.withLock { $0 }.map(\.description).joined(separator: "; "))",
                    ])
            } else {
                condition = ResourceCondition(ready: true, reason: "Succeeded", message: "no updates made")
            }
        } catch {
            let message = "\(error)"
            condition = ResourceCondition(ready: false, reason: error is GitError ? "GitOperationFailed" : "UpdateFailed", message: message)
            logger.warning("image update failed", metadata: ["keelson.automation": "\(automation.id)", "error": "\(message)"])
        }
        // A failed run is retried sooner than a whole interval, but not in a tight loop.
        let next: Duration = condition.ready ? automation.interval : min(automation.interval, .seconds(30))
        await state.finishRun(automation.id, generation: generation, sawVersion: version, next: .now + next)
        let now = ResourceTime.format(Date())
        await writeStatus(object, conditions: condition) { status in
            status["lastAutomationRunTime"] = .string(now)
            if let pushed {
                status["lastPushCommit"] = .string(pushed.commit)
                status["lastPushTime"] = .string(now)
            }
        }
    }

    /// The repository (with its Git credentials) and the branch to check out by default.
    func repository(of automation: ImageUpdateAutomation) async throws -> (remote: GitRemote, branch: String) {
        switch automation.source {
        case .repository(let url, let secretRef):
            let remote = try GitRemote(url, credentials: try await gitCredentials(secretRef, namespace: automation.namespace))
            if remote.url.transport == .file && automation.namespace != configuration.controllerNamespace {
                throw ImageResourceError(
                    object: "ImageUpdateAutomation \(automation.id)", field: "spec.sourceRef",
                    message: "file:// repositories are only for automations in the controller's namespace \(configuration.controllerNamespace)")
            }
            return (remote, "main")
        case .application(let name, let namespace):
            // Another namespace's Application would lend its repository and credentials.
            if namespace != automation.namespace && automation.namespace != configuration.controllerNamespace {
                throw ImageResourceError(
                    object: "ImageUpdateAutomation \(automation.id)", field: "spec.sourceRef",
                    message: "may only name an Application in namespace \(automation.namespace)")
            }
            let app: Manifest
            do { app = try await client.get(Self.applicationKind, name: name, namespace: namespace) } catch {
                throw ImageResourceError(
                    object: "ImageUpdateAutomation \(automation.id)", field: "spec.sourceRef",
                    message: "Application \(namespace)/\(name) \(error.isNotFound ? "not found" : "cannot be read")")
            }
            let source = app.object["spec"]?["source"]
            guard let url = source?["repoURL"]?.stringValue, !url.isEmpty else {
                throw ImageResourceError(
                    object: "ImageUpdateAutomation \(automation.id)", field: "spec.sourceRef",
                    message: "Application \(namespace)/\(name) has no spec.source.repoURL")
            }
            let revision = source?["revision"]?.stringValue ?? "main"
            // Only a branch can be committed to; a tag, SHA or range needs spec.git.checkout.ref.branch.
            let isBranch = RefName.problem(revision) == nil && !Revision.isFullSHA(revision) && !revision.contains(where: { "<>=^~* ".contains($0) })
            guard isBranch || automation.checkoutBranch != nil else {
                throw ImageResourceError(
                    object: "ImageUpdateAutomation \(automation.id)", field: "spec.git.checkout.ref.branch",
                    message: "is required: Application \(namespace)/\(name) follows \(revision), which is not a branch")
            }
            // The Application's own credentials Secret, in its namespace.
            let secretRef = source?[path: ["secretRef", "name"]]?.stringValue
            return (try GitRemote(url, credentials: try await gitCredentials(secretRef, namespace: namespace)), revision)
        }
    }

    /// Git credentials from Secret `name` in `namespace`, or none without a name.
    func gitCredentials(_ name: String?, namespace: String) async throws -> GitCredentials {
        guard let name else { return .none }
        return try GitCredentials.fromSecret(try await secretValues(name, namespace: namespace), secret: "\(namespace)/\(name)")
    }
}
