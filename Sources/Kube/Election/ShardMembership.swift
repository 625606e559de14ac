import Foundation
import KeelsonFoundation
import Logging
import Manifests

/// Which replicas are alive, from one Lease each: every replica renews its own Lease (labelled
/// with the group) every retry period and lists the group's Leases; a Lease another replica has
/// not changed for its duration (measured on this replica's clock from when it saw the change,
/// as leader election does) is a dead member's, and is deleted after ten durations. A replica that
/// stops gracefully deletes its Lease.
///
/// ```swift
/// let membership = ShardMembership(client: client, settings: settings)
/// Task { try await membership.run() }
/// let alive = await membership.members   // sorted identities, this replica's included
/// ```
public actor ShardMembership {
    /// Its code runs on the lease thread, never on the cooperative pool: a default actor that
    /// another task holds hands a renewal waiting for it to the pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { ThreadExecutor.leases.asUnownedSerialExecutor() }
    /// The label that marks the group's Leases.
    public static let groupLabel = "keelson.dev/shard-group"

    let client: any KubernetesAPI
    /// The settings: the namespace, this replica's identity, the lease duration, retry period
    /// and clock (the Lease `name` is the group).
    public nonisolated let settings: LeaderElectionSettings
    let logger: Logger
    /// Other replicas' Lease specs as last seen, with a stopwatch from when each was first seen so.
    private var observed: [String: (spec: JSONValue, since: @Sendable () -> Duration)] = [:]
    /// Whether this replica's own Lease was written by the last refresh.
    private var joined = false
    /// The live members after the last refresh, sorted.
    public private(set) var members: [String] = []
    /// Calls each time the members change.
    private var onChange: (@Sendable ([String]) -> Void)?
    /// Calls each time this replica's Lease is renewed, with a stopwatch started when the renewal was sent.
    private var onRenewed: (@Sendable (_ sinceSent: @escaping @Sendable () -> Duration) -> Void)?

    /// A membership in the group `settings.name`, in `settings.namespace`, as `settings.identity`.
    public init(client: any KubernetesAPI, settings: LeaderElectionSettings, logger: Logger = Logger(label: "keelson.sharding")) {
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// Sets what is called when the members change.
    public func onChange(_ body: @escaping @Sendable ([String]) -> Void) { onChange = body }

    /// Sets what is called each time this replica's Lease is renewed: a replica that has not
    /// renewed it within the renew deadline must stop reconciling, as the others will soon count
    /// it out. `body` gets a stopwatch started when the renewal was sent, not when it was
    /// answered: the others time the Lease from when they see it, which may be before a slow
    /// answer arrives here.
    public func onRenewed(_ body: @escaping @Sendable (_ sinceSent: @escaping @Sendable () -> Duration) -> Void) { onRenewed = body }

    /// The name of the Lease of `identity`: the group's name and a digest of the identity (which
    /// may hold characters a name may not).
    public nonisolated func leaseName(_ identity: String) -> String {
        settings.name + "-" + String(FNV1a.hash64(identity.utf8), radix: 16)
    }

    /// Renews this replica's Lease and reads the others' every retry period until cancelled or
    /// shut down, then deletes its own Lease so the others take its share at once. It runs on a
    /// thread of its own: however busy the pool is, renewals go out on time.
    public func run() async {
        await withTaskExecutorPreference(ThreadExecutor.leases) {
            while !Task.isCancelled {
                await refresh()
                do { try await settings.clock.sleep(for: settings.retryPeriod) } catch { break }
            }
            await leave()
        }
    }

    /// One round: writes this replica's Lease, lists the group's, and updates `members`. Each
    /// request is bounded by the renew deadline: a round that hangs must not keep a replica
    /// counting itself in after the others have counted it out.
    public func refresh() async {
        let limit = settings.renewDeadline
        let sent = settings.clock.stopwatch()
        let renewed = await withTimeLimit(limit, on: settings.clock) { await self.renewOwn() } ?? false
        joined = joined || renewed
        if renewed { onRenewed?(sent) }
        let client = client
        let (namespace, selector) = (settings.namespace, ListOptions(labelSelector: [.equals(Self.groupLabel, settings.name)]))
        let listed = await withTimeLimit(limit, on: settings.clock) { () -> Result<ObjectList, KubeError> in
            do throws(KubeError) {
                return .success(try await client.list(LeaderElector.kind, namespace: namespace, options: selector))
            } catch {
                return .failure(error)
            }
        }
        let leases: ObjectList
        switch listed {
        case .success(let list)?: leases = list
        case .failure(let error)?:
            logger.warning("cannot list the shard Leases", metadata: ["error": "\(error)"])
            return
        case nil:
            logger.warning("listing the shard Leases took longer than \(limit)")
            return
        }
        var alive: Set<String> = joined ? [settings.identity] : []
        var seen: Set<String> = []
        for lease in leases.items {
            let spec = lease.object["spec"] ?? [:]
            guard let holder = spec["holderIdentity"]?.stringValue, !holder.isEmpty, holder != settings.identity else { continue }
            seen.insert(lease.name)
            if observed[lease.name]?.spec != spec { observed[lease.name] = (spec, settings.clock.stopwatch()) }
            let duration = Duration.seconds(spec["leaseDurationSeconds"]?.intValue ?? 0)
            guard let since = observed[lease.name]?.since else { continue }
            if since() < duration {
                alive.insert(holder)
            } else if since() >= duration * 10 {
                // A replica gone long ago (killed, never left): its Lease is cleared away.
                _ = try? await client.delete(LeaderElector.kind, name: lease.name, namespace: settings.namespace, options: DeleteOptions())
            }
        }
        for name in observed.keys where !seen.contains(name) { observed[name] = nil }
        let sorted = alive.sorted()
        if sorted != members {
            logger.info("shard members changed", metadata: ["members": "\(sorted.joined(separator: ","))"])
            members = sorted
            onChange?(sorted)
        }
    }

    /// Deletes this replica's Lease.
    public func leave() async {
        guard joined else { return }
        joined = false
        let name = leaseName(settings.identity)
        let namespace = settings.namespace
        let client = client
        // In a task of its own: a replica stopped by cancellation still leaves at once.
        await Task { _ = try? await client.delete(LeaderElector.kind, name: name, namespace: namespace, options: DeleteOptions()) }.value
    }

    /// Creates or renews this replica's Lease; whether it is written.
    private func renewOwn() async -> Bool {
        let stamp = LeaderElector.microTime(settings.now())
        let name = leaseName(settings.identity)
        let spec: JSONValue = [
            "holderIdentity": .string(settings.identity),
            "leaseDurationSeconds": .number(JSONNumber(LeaderElector.wholeSeconds(settings.leaseDuration))), "renewTime": .string(stamp),
        ]
        do {
            _ = try await client.mergePatch(
                LeaderElector.kind, name: name, namespace: settings.namespace, patch: ["spec": spec], options: WriteOptions())
            return true
        } catch  where error.isNotFound {
            let lease = LeaderElector.lease(name, in: settings.namespace, labels: [Self.groupLabel: .string(settings.name)], spec: spec)
            do {
                _ = try await client.create(lease, options: WriteOptions())
                return true
            } catch {
                logger.warning("cannot create this replica's shard Lease", metadata: ["error": "\(error)"])
                return false
            }
        } catch {
            logger.warning("cannot renew this replica's shard Lease", metadata: ["error": "\(error)"])
            return false
        }
    }
}
