import Crypto
import Foundation
import GitSource
import Kube
import Logging
import Manifests
import Render
import Secrets
import Sync

/// One reconcile of one application: fetch the source, render, compare, decide, sync, assess.
/// A fetch or render failure deploys nothing and prunes nothing.
struct AppReconciler: Sendable {
    let client: any KubernetesAPI
    /// Where Git fetch and sync measurements go.
    var metrics = ControllerMetrics()
    /// Reads for drift checks and health (a watch-fed cache in the controller); writes and the
    /// confirmation of a drift the cache reports go to `client`.
    let reads: any KubernetesAPI
    /// Reads for the drift check's plan: like `reads`, but an uncached object of a watched kind
    /// counts as absent.
    let driftReads: any KubernetesAPI
    let git: GitCache
    let logger: Logger
    let pollInterval: Duration
    /// Where Applications may live and what their projects allow.
    var tenancy = TenancyRules()
    /// Renders that failed lately, not repeated on every reconcile.
    var renderFailures = RenderFailures()

    /// A remembered render failure, reported as it was.
    struct RenderFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The outcome, and when to look again.
    struct Outcome: Sendable {
        var status: ApplicationStatus
        var retryAfter: Duration?
        var synced: Bool
        /// The render, when there was one.
        var desired: DesiredState? = nil
    }

    /// What a person asked of this reconcile beyond the spec.
    struct Request: Sendable {
        /// Prune (or not) regardless of `automated.prune`.
        var prune: Bool?
        /// Pin this revision (a branch, tag or commit) as a rollback does.
        var revision: String?
        /// Render again even if this render failed a moment ago (someone asked).
        var retryRender = false
    }

    /// Reconciles `app`; with `knownLatest`, the source is not fetched again (a drift check).
    func reconcile(
        _ app: Application, record: AppRecord, manualSync: Bool, dependenciesWaiting: [String], knownLatest: String? = nil,
        request: Request = Request(), projects: ProjectSet = ProjectSet()
    ) async -> Outcome {
        var status = ApplicationStatus()
        status.record = record
        var logger = self.logger
        logger[metadataKey: "keelson.app"] = "\(app.id)"

        // Tenancy: the project must allow this Application, its repository and its destination
        // before anything is fetched.
        let project: Project
        do { project = try tenancy.project(for: app, in: projects) } catch {
            return Self.refused(error, status: status, logger: logger)
        }

        // Source.
        let remote: GitRemote
        let latest: String
        do throws(GitError) {
            var credentials = GitCredentials.none
            if let name = app.spec.source.secretRef {
                credentials = try await SourceCredentials.load(client, name: name, namespace: app.namespace)
            }
            remote = try GitRemote(app.spec.source.repoURL, credentials: credentials)
            if let knownLatest {
                latest = knownLatest
            } else {
                let began = ContinuousClock.now
                do throws(GitError) {
                    latest = try await git.resolve(remote, try Revision.parse(app.spec.source.revision))
                    metrics.record(.gitFetch(repository: remote.description, seconds: ControllerService.seconds(ContinuousClock.now - began), result: "success"))
                } catch {
                    metrics.record(.gitFetch(repository: remote.description, seconds: ControllerService.seconds(ContinuousClock.now - began), result: "failure"))
                    throw error
                }
            }
        } catch {
            status.sync = "Unknown"
            status.health = .unknown
            status.healthMessage = "source unavailable"
            status.conditions = [AppCondition("SourceReady", false, "FetchFailed", error.description)]
            logger.warning("fetch failed", metadata: ["error": "\(error.description)"])
            return Outcome(status: status, retryAfter: Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures), synced: false)
        }
        status.latestRevision = latest
        var record = record
        if let wanted = request.revision {
            do {
                let commit = try await git.resolve(remote, try Revision.parse(wanted))
                record.pin = RollbackPin(historyID: 0, revision: commit, latestAtPin: latest)
            } catch {
                status.sync = "Unknown"
                status.conditions = [AppCondition("SourceReady", false, "RevisionNotFound", "\(wanted): \(error.description)")]
                return Outcome(status: status, retryAfter: nil, synced: false)
            }
        }
        let target = Reconciler.target(&record, latest: latest)
        status.record = record
        logger[metadataKey: "keelson.revision"] = "\(target.prefix(12))"

        // Render (unless this very render failed a moment ago and nobody asked again).
        let desired: [Manifest]
        do {
            if !request.retryRender, !manualSync, let message = renderFailures.failure(app, commit: target) { throw RenderFailed(message: message) }
            desired = try await render(app, remote: remote, commit: target)
            renderFailures.clear(app)
        } catch {
            status.sync = "Unknown"
            status.health = .unknown
            status.revision = record.syncedRevision ?? ""
            status.conditions = [AppCondition("SourceReady", true, "Fetched", target), AppCondition("Rendered", false, "RenderFailed", "\(error)")]
            if !(error is RenderFailed) {
                renderFailures.record(app, commit: target, message: "\(error)")
                logger.warning("render failed", metadata: ["error": "\(error)"])
            }
            return Outcome(status: status, retryAfter: nil, synced: false)
        }

        // Tenancy: every object, as a sync would apply it, must be one the project allows.
        do {
            let prepared = try await engine(client).prepare(app: app.identity, desired: desired, options: syncOptions(app))
            try tenancy.check(prepared, of: app, project: project)
        } catch let error as ProjectViolation {
            status.revision = record.syncedRevision ?? ""
            return Self.refused(error, status: status, logger: logger)
        } catch {
            status.sync = "Unknown"
            status.health = .unknown
            status.revision = record.syncedRevision ?? ""
            status.conditions = [AppCondition("SourceReady", true, "Fetched", target), AppCondition("Rendered", false, "RenderFailed", "\(error)")]
            return Outcome(status: status, retryAfter: Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures), synced: false)
        }

        // Writes (and the reads that confirm a drift) act as the Application's ServiceAccount when
        // it names one, so Kubernetes RBAC has the last word; inventories stay the controller's.
        let actor = tenancy.serviceAccount(of: app).map {
            client.impersonating(.serviceAccount(namespace: app.spec.destination.namespace, name: $0))
        } ?? client

        // Compare: a dry-run sync says what a sync would change.
        var options = syncOptions(app)
        options.dryRun = true
        var plan = await engine(driftReads).sync(app: app.identity, desired: desired, options: options)
        if Self.drifted(plan) && record.syncedRevision == target {
            // The cache may trail a write by a moment: confirm against the API server before a
            // self-heal acts on it (a new revision is synced whatever the drift).
            plan = await engine(actor).sync(app: app.identity, desired: desired, options: options)
        }
        let drift = plan.objects.filter { [.create, .update, .prune].contains($0.action) }
        let outOfSync = plan.result == .failed || !drift.isEmpty
        status.drift = drift.map { change in
            "\(change.key) \(change.action.rawValue)" + (change.fields.isEmpty ? "" : ": " + change.fields.joined(separator: ", "))
        }

        let rendered = DesiredState(revision: target, manifests: desired)
        var decision = Reconciler.decide(app.spec, &record, Observation(latestRevision: latest, outOfSync: outOfSync, manualSync: manualSync))
        if !dependenciesWaiting.isEmpty, case .sync = decision { decision = .reportOutOfSync(revision: target) }
        status.record = record
        var conditions = [AppCondition("SourceReady", true, "Fetched", target), AppCondition("Rendered", true, "Rendered", "\(desired.count) objects")]
        if !dependenciesWaiting.isEmpty {
            conditions.append(AppCondition("DependenciesReady", false, "Waiting", "waiting for " + dependenciesWaiting.joined(separator: ", ")))
        }
        var retryAfter: Duration?
        var synced = false
        switch decision {
        case .inSync(let revision):
            status.sync = "Synced"
            status.revision = revision
        case .reportOutOfSync(let revision):
            status.sync = "OutOfSync"
            status.revision = record.syncedRevision ?? revision
        case .sync(let revision, let initiator):
            var real = syncOptions(app)
            real.dryRun = false
            if let prune = request.prune { real.prune = prune }
            let began = ContinuousClock.now
            let changes = await engine(actor).sync(app: app.identity, desired: desired, options: real)
            metrics.record(.sync(application: app.id, seconds: ControllerService.seconds(ContinuousClock.now - began), result: changes.result.rawValue))
            let digest = Self.digest(desired)
            record.history.record(
                revision: revision, at: changes.finishedAt, initiator: initiator, result: changes.result.rawValue, digest: digest,
                message: changes.result == .succeeded ? changes.summary : changes.message)
            status.operation = [
                "initiator": .string(initiator.rawValue), "revision": .string(revision), "result": .string(changes.result.rawValue),
                "summary": .string(changes.summary), "message": .string(changes.message),
                "finishedAt": .string(ChangeSet.timestamp(changes.finishedAt)),
            ]
            record.lastOperation = status.operation
            if changes.result == .succeeded {
                record.syncedRevision = revision
                record.failures = 0
                record.selfHeals = initiator == .selfHeal ? record.selfHeals + 1 : 0
                status.sync = "Synced"
                status.drift = []
                synced = true
                // Repeated self-heals mean something else keeps changing the objects: back off.
                if record.selfHeals > 1 { retryAfter = Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.selfHeals - 2) }
            } else {
                record.failures += 1
                status.sync = "OutOfSync"
                conditions.append(AppCondition("Synced", false, changes.failure == .sharedResource ? "SharedResource" : "SyncFailed", changes.message))
                if record.failures <= app.spec.syncPolicy.retry.limit {
                    retryAfter = Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures - 1)
                }
            }
            status.revision = record.syncedRevision ?? revision
        }
        status.record = record
        status.conditions = conditions
        status.inventory = desired.map { $0.key.description }

        // Health: the worst object's.
        var healths: [HealthStatus] = []
        var worst = ""
        for object in desired {
            let gvk = GroupVersionKind(object)
            var namespace: String?
            if !object.namespace.isEmpty {
                namespace = object.namespace
            } else if (try? await client.resource(for: gvk))?.namespaced ?? false {
                namespace = app.spec.destination.namespace
            }
            let live = try? await reads.get(gvk, name: object.name, namespace: namespace)
            let health = HealthAssessor.assess(live)
            if health.status > (healths.max() ?? .healthy) { worst = "\(object.key): \(health.message)" }
            healths.append(health.status)
        }
        status.health = HealthStatus.worst(healths)
        status.healthMessage = status.health == .healthy ? "all objects healthy" : worst
        return Outcome(status: status, retryAfter: retryAfter, synced: synced, desired: rendered)
    }

    /// A sync engine over `api` whose inventories live in the controller's namespace.
    func engine(_ api: any KubernetesAPI) -> SyncEngine {
        SyncEngine(client: api, inventory: ConfigMapInventoryStore(client: client, namespace: tenancy.controllerNamespace), logger: logger)
    }

    /// The status of an Application a project rule refuses: nothing fetched or applied, a
    /// condition naming the rule and the object.
    static func refused(_ violation: ProjectViolation, status: ApplicationStatus, logger: Logger) -> Outcome {
        var status = status
        status.sync = "Unknown"
        status.health = .unknown
        status.healthMessage = "refused by project \(violation.project)"
        status.conditions = [AppCondition("Permitted", false, violation.rule.rawValue, violation.description)]
        logger.warning("refused by project rules", metadata: ["keelson.project": "\(violation.project)", "rule": "\(violation.rule.rawValue)"])
        return Outcome(status: status, retryAfter: nil, synced: false)
    }

    static func drifted(_ plan: ChangeSet) -> Bool {
        plan.result == .failed || plan.objects.contains { [.create, .update, .prune].contains($0.action) }
    }

    func syncOptions(_ app: Application) -> SyncOptions {
        var options = app.syncOptions
        options.pollInterval = pollInterval
        options.timeout = .seconds(120)
        return options
    }

    /// Renders the application's path at `commit`, decrypting SOPS files in memory when asked.
    func render(_ app: Application, remote: GitRemote, commit: String) async throws -> [Manifest] {
        var transform: SecureRoot.ReadTransform?
        if let decryption = app.spec.source.decryption {
            let identities = try await identities(app, secret: decryption.secretRef)
            let decrypter = SOPSFileDecrypter(identities: identities)
            transform = { path, bytes in try decrypter.decrypt(path: path, bytes: bytes) }
        } else {
            // Without decryption configured, an encrypted file is refused rather than applied as ciphertext.
            let decrypter = SOPSFileDecrypter(identities: [])
            transform = { path, bytes in try decrypter.decrypt(path: path, bytes: bytes) }
        }
        let directory = app.spec.source.directory
        let renderer = DirectoryRenderer(
            include: directory.include.isEmpty ? nil : try directory.include.map { try Glob($0) },
            exclude: try directory.exclude.map { try Glob($0) }, recurse: directory.recurse)
        // The work tree is leased while it is read, so the cache's pruning cannot remove it.
        return try await git.withCheckout(remote, commit: commit) { [transform] checkout in
            try renderer.render(try SecureRoot(directory: checkout.directory, transform: transform), path: app.spec.source.path).manifests
        }
    }

    /// Age identities from the Secret `name` in the Application's namespace (every data value
    /// that holds `AGE-SECRET-KEY-` lines).
    func identities(_ app: Application, secret name: String?) async throws -> [AgeIdentity] {
        guard let name else { throw ApplicationError(application: app.id, field: "spec.source.decryption.secretRef", message: "is required") }
        let secret = try await client.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"), name: name, namespace: app.namespace)
        var identities: [AgeIdentity] = []
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            guard text.contains("AGE-SECRET-KEY-") else { continue }
            identities += try AgeIdentity.parseFile(text, source: "Secret/\(app.namespace)/\(name)[\(key)]")
        }
        return identities
    }

    /// SHA-256 of the rendered objects, so identical deploys are recognisable in history.
    static func digest(_ manifests: [Manifest]) -> String {
        let text = manifests.map { JSONWriter.compact($0.value) }.joined(separator: "\n")
        return "sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
