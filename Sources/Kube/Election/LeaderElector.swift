import Foundation
import KeelsonFoundation
import Logging
import Manifests

/// How replicas elect a leader on a `coordination.k8s.io/v1` Lease: the settings of client-go's
/// leader election, with its defaults (15 s lease, 10 s renew deadline, 2 s retry period).
public struct LeaderElectionSettings: Sendable {
    /// The Lease's namespace.
    public var namespace: String
    /// The Lease's name.
    public var name: String
    /// This replica's name in `holderIdentity` (the pod's name, unique among replicas).
    public var identity: String
    /// How long a standby waits after it last saw the Lease change before it takes the Lease.
    public var leaseDuration: Duration = .seconds(15)
    /// How long the leader keeps trying to renew before it gives leadership up.
    public var renewDeadline: Duration = .seconds(10)
    /// How often candidates try to take the Lease and the leader renews it.
    public var retryPeriod: Duration = .seconds(2)
    /// The clock the durations run on: by default one woken by `ThreadExecutor.leases`, where
    /// renewals run, so that a busy cooperative pool delays neither.
    public var clock: any Clock<Duration> = ThreadExecutor.leases.clock
    /// The wall-clock time written to `acquireTime` and `renewTime` (informational only: expiry
    /// is measured on `clock` from when a replica last saw the Lease change, never by comparing
    /// clocks of different machines).
    public var now: @Sendable () -> Date = { Date() }

    /// Settings for the Lease `namespace/name`, campaigned for as `identity`.
    public init(namespace: String, name: String, identity: String) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
    }

    /// Checks what client-go checks: the leader must give up (renew deadline) before a standby may
    /// take over (lease duration), and must get more than one try within the renew deadline.
    public func validate() throws(LeaderElectionError) {
        guard !identity.isEmpty else { throw .invalidSettings("the identity must not be empty") }
        guard leaseDuration > renewDeadline else {
            throw .invalidSettings("the lease duration (\(leaseDuration)) must be longer than the renew deadline (\(renewDeadline))")
        }
        guard renewDeadline > retryPeriod * 1.2 else {
            throw .invalidSettings("the renew deadline (\(renewDeadline)) must be longer than 1.2 × the retry period (\(retryPeriod))")
        }
        guard leaseDuration >= .seconds(1) else { throw .invalidSettings("the lease duration must be at least 1s") }
    }
}

/// Why leading ended or could not start.
public enum LeaderElectionError: Error, Equatable, CustomStringConvertible {
    /// The settings are inconsistent.
    case invalidSettings(String)
    /// The leader could not renew the Lease within the renew deadline, or saw another holder.
    case lost(String)

    public var description: String {
        switch self {
        case .invalidSettings(let message): "leader election: \(message)"
        case .lost(let message): "leader election lost: \(message)"
        }
    }
}

/// Leader election on a Lease, as client-go does it: a candidate takes the Lease when it is free
/// or when its holder has not renewed it for the Lease's duration (measured on this replica's
/// clock from when it last saw the Lease change); the leader renews it every retry period and
/// gives leadership up when no renewal succeeds within the renew deadline, which is shorter than
/// the lease duration, so it stops before anyone else may start. Every write carries the Lease's
/// `resourceVersion`: of two candidates, one wins.
///
/// ```swift
/// let elector = LeaderElector(client: client, settings: settings)
/// try await elector.whileLeading { try await controller.run() }
/// ```
public actor LeaderElector {
    /// Its code runs on the lease thread, never on the cooperative pool: a default actor that
    /// another task holds hands a renewal waiting for it to the pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { ThreadExecutor.leases.asUnownedSerialExecutor() }
    static let kind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")

    let client: any KubernetesAPI
    /// The settings.
    public nonisolated let settings: LeaderElectionSettings
    let logger: Logger
    /// The Lease's spec as last seen, and a stopwatch started when it was first seen so.
    private var observed: (spec: JSONValue, since: @Sendable () -> Duration)?
    /// The last failure logged as a warning.
    private var lastFailure = ""
    /// Whether the last attempt left this replica holding the Lease.
    public private(set) var isLeader = false

    /// An elector for the Lease of `settings`.
    public init(client: any KubernetesAPI, settings: LeaderElectionSettings, logger: Logger = Logger(label: "keelson.leader-election")) {
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// The holder of the Lease as this replica last saw it (empty when free or not yet read).
    public var holder: String { observed?.spec["holderIdentity"]?.stringValue ?? "" }

    /// Campaigns until this replica holds the Lease, then runs `body` while renewing it. When
    /// `body` ends, the Lease is released so a standby takes over at once. When renewals fail
    /// for the renew deadline (or another replica holds the Lease), `body` is cancelled and
    /// `LeaderElectionError.lost` thrown: the caller should exit, as client-go's users do.
    public func whileLeading<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try settings.validate()
        logger.info("campaigning for leadership", metadata: ["lease": "\(settings.namespace)/\(settings.name)", "identity": "\(settings.identity)"])
        while !(await tryAcquireOrRenew()) {
            try await settings.clock.sleep(for: settings.retryPeriod)
        }
        logger.info("became the leader", metadata: ["lease": "\(settings.namespace)/\(settings.name)", "identity": "\(settings.identity)"])
        let outcome: LeadingOutcome<T>
        do {
            outcome = try await withThrowingTaskGroup(of: LeadingOutcome<T>.self) { group in
                group.addTask { .finished(try await body()) }
                // On a thread of its own: however busy the pool is, renewals go out on time.
                group.addTask(executorPreference: ThreadExecutor.leases) { .lost(try await self.renewUntilLost()) }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch {
            await releaseEvenIfCancelled()
            throw error
        }
        switch outcome {
        case .finished(let value):
            await releaseEvenIfCancelled()
            return value
        case .lost(let reason):
            isLeader = false
            logger.error("lost leadership", metadata: ["lease": "\(settings.namespace)/\(settings.name)", "reason": "\(reason)"])
            throw LeaderElectionError.lost(reason)
        }
    }

    /// Renews every retry period; returns why leadership ended (no successful renewal within the
    /// renew deadline, or another holder). Throws only when cancelled.
    private func renewUntilLost() async throws -> String {
        var sinceRenewed = settings.clock.stopwatch()
        while true {
            try await settings.clock.sleep(for: settings.retryPeriod)
            let remaining = settings.renewDeadline - sinceRenewed()
            // Timed from when the renewal was sent, not answered: the others time the Lease from
            // when they see it, which may be before a slow answer arrives here.
            let attempt = settings.clock.stopwatch()
            if remaining > .zero, await tryAcquireOrRenew(within: remaining) {
                sinceRenewed = attempt
                continue
            }
            try Task.checkCancellation()
            if !holder.isEmpty && holder != settings.identity { return "the Lease is held by \(holder)" }
            if sinceRenewed() >= settings.renewDeadline { return "no renewal succeeded within \(settings.renewDeadline)" }
        }
    }

    /// One attempt bounded by `limit` on the clock: a request that hangs counts as a failure.
    private func tryAcquireOrRenew(within limit: Duration) async -> Bool {
        await withTimeLimit(limit, on: settings.clock) { await self.tryAcquireOrRenew() } ?? false
    }

    /// One attempt: creates the Lease if there is none, takes it if it is free or expired, renews
    /// it if this replica holds it. Returns whether this replica holds it afterwards.
    @discardableResult
    public func tryAcquireOrRenew() async -> Bool {
        let current: Manifest
        do {
            current = try await client.get(Self.kind, name: settings.name, namespace: settings.namespace)
        } catch {
            guard error.isNotFound else { return failed("cannot read the Lease", error) }
            return await create()
        }
        let spec = current.object["spec"] ?? [:]
        if observed?.spec != spec { observed = (spec, settings.clock.stopwatch()) }
        let holder = spec["holderIdentity"]?.stringValue ?? ""
        let duration = Duration.seconds(spec["leaseDurationSeconds"]?.intValue ?? 0)
        if !holder.isEmpty, holder != settings.identity, let observed, observed.since() < duration {
            isLeader = false
            return false
        }
        var next = spec.objectValue ?? [:]
        let stamp = Self.microTime(settings.now())
        if holder != settings.identity {
            next["acquireTime"] = .string(stamp)
            next["leaseTransitions"] = .number(JSONNumber((spec["leaseTransitions"]?.intValue ?? 0) + 1))
        }
        next["holderIdentity"] = .string(settings.identity)
        next["leaseDurationSeconds"] = .number(JSONNumber(Self.wholeSeconds(settings.leaseDuration)))
        next["renewTime"] = .string(stamp)
        var updated = current
        updated.object["spec"] = .object(next)
        do {
            let written = try await client.update(updated, options: WriteOptions())
            observed = (written.object["spec"] ?? .object(next), settings.clock.stopwatch())
            isLeader = true
            return true
        } catch {
            return failed(error.isConflict ? "another replica wrote the Lease first" : "cannot write the Lease", error)
        }
    }

    /// Releases the Lease in a task of its own: a leader stopped by cancellation still hands over at once.
    private func releaseEvenIfCancelled() async {
        await Task { await self.release() }.value
    }

    /// Gives the Lease up if it names this replica: holder emptied and a one-second duration, so a
    /// standby takes it on its next try.
    public func release() async {
        // Decided by the Lease, not by `isLeader`: a renewal cancelled on the way out clears that.
        isLeader = false
        guard var current = try? await client.get(Self.kind, name: settings.name, namespace: settings.namespace),
            current.object["spec"]?["holderIdentity"]?.stringValue == settings.identity
        else { return }
        let stamp = Self.microTime(settings.now())
        var spec = current.object["spec"]?.objectValue ?? [:]
        spec["holderIdentity"] = ""
        spec["leaseDurationSeconds"] = 1
        spec["acquireTime"] = .string(stamp)
        spec["renewTime"] = .string(stamp)
        current.object["spec"] = .object(spec)
        do {
            _ = try await client.update(current, options: WriteOptions())
            logger.info("released the Lease", metadata: ["lease": "\(settings.namespace)/\(settings.name)"])
        } catch {
            logger.warning("cannot release the Lease", metadata: ["lease": "\(settings.namespace)/\(settings.name)", "error": "\(error)"])
        }
    }

    private func create() async -> Bool {
        let stamp = Self.microTime(settings.now())
        let spec: JSONValue = [
            "holderIdentity": .string(settings.identity), "leaseDurationSeconds": .number(JSONNumber(Self.wholeSeconds(settings.leaseDuration))),
            "acquireTime": .string(stamp), "renewTime": .string(stamp), "leaseTransitions": 0,
        ]
        do {
            let written = try await client.create(Self.lease(settings.name, in: settings.namespace, spec: spec), options: WriteOptions())
            observed = (written.object["spec"] ?? spec, settings.clock.stopwatch())
            isLeader = true
            return true
        } catch {
            return failed("cannot create the Lease", error)
        }
    }

    /// Records a failed attempt; a failure other than losing a race is logged as a warning once
    /// until the next different one (a missing namespace or RBAC rule would otherwise be silent).
    private func failed(_ message: String, _ error: KubeError) -> Bool {
        isLeader = false
        let text = "\(message): \(error)"
        if error.isConflict || error.isAlreadyExists || text == lastFailure || Task.isCancelled {
            logger.debug("\(message)", metadata: ["lease": "\(settings.namespace)/\(settings.name)", "error": "\(error)"])
        } else {
            logger.warning("\(message)", metadata: ["lease": "\(settings.namespace)/\(settings.name)", "error": "\(error)"])
        }
        lastFailure = text
        return false
    }

    /// A Lease object named `name` in `namespace` with `labels` and `spec`.
    static func lease(_ name: String, in namespace: String, labels: JSONObject = [:], spec: JSONValue) -> Manifest {
        var metadata: JSONObject = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(labels) }
        return Manifest(unchecked: ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": .object(metadata), "spec": spec])
    }

    /// A duration in whole seconds, rounded up (a Lease counts seconds).
    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds + (attoseconds > 0 ? 1 : 0)
    }

    /// Kubernetes' `MicroTime`: RFC 3339 in UTC with six fractional digits.
    static func microTime(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let whole = Date(timeIntervalSince1970: seconds).formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        return String(whole.dropLast()) + "." + String(format: "%06d", micros) + "Z"
    }
}

/// How leading ended: the work finished, or leadership was lost (and why).
private enum LeadingOutcome<T: Sendable>: Sendable {
    case finished(T)
    case lost(String)
}
