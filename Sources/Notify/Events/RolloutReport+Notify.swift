import Progressive

/// A rollout of an Application as notifications see it: a report of `status.rollouts[]`, kept in
/// `status.notified.snapshot` as one short mark (phase, hash, step, reason), which is all the
/// detector compares.
extension RolloutReport {
    /// `namespace/name`: what marks are kept under.
    public var id: String { "\(namespace)/\(name)" }

    /// Whether its canary has not been promoted: it runs, or was rolled back.
    public var isUnfinished: Bool { isRunning || phase == RolloutState.Phase.aborted.rawValue }

    /// The revision it is about: the canary's, or once promoted the stable's.
    public var revision: String { canaryRevision ?? stableRevision ?? "" }

    /// `step 1/4`, or empty without steps (blue-green).
    public var progress: String {
        guard let steps else { return "" }
        return "step \(step ?? 0)/\(steps)"
    }

    /// The stored form: `Paused 5f7c9d 1 Manual`, with `-` for what is missing, and `fast` last
    /// for a rollout without steps. The hash is the canary's, or the stable's once Healthy.
    var mark: String {
        let hash = phase == RolloutState.Phase.healthy.rawValue ? stableHash : canaryHash
        let parts = [phase, hash ?? "-", step.map(String.init) ?? "-", reason ?? "-"] + (fastTrack == true ? ["fast"] : [])
        return parts.joined(separator: " ")
    }

    /// A rollout read back from its stored mark: only what the mark holds.
    init(id: String, mark: String) {
        let parts = mark.split(separator: " ").map { $0 == "-" ? nil : String($0) }
        let slash = id.firstIndex(of: "/") ?? id.startIndex
        self.init(namespace: String(id[..<slash]), name: String(id[slash...].dropFirst()), phase: parts.first.flatMap { $0 } ?? "")
        let hash = parts.count > 1 ? parts[1] : nil
        if phase == RolloutState.Phase.healthy.rawValue { stableHash = hash } else { canaryHash = hash }
        step = parts.count > 2 ? parts[2].flatMap { Int($0) } : nil
        reason = parts.count > 3 ? parts[3] : nil
        fastTrack = parts.count > 4 && parts[4] == "fast" ? true : nil
    }

    /// The values Alert templates see, as `{{rollout.KEY}}` and inside `{{#rollout}}`.
    var templateValues: [String: String] {
        let short = { (revision: String?) in String((revision ?? "").prefix(7)) }
        return [
            "name": name, "namespace": namespace, "phase": phase, "step": step.map(String.init) ?? "",
            "steps": steps.map(String.init) ?? "", "weight": setWeight.map(String.init) ?? "", "reason": reason ?? "",
            "message": message ?? "", "hash": canaryHash ?? stableHash ?? "", "revision": revision, "revision.short": short(revision),
            "stableRevision": stableRevision ?? "", "stableRevision.short": short(stableRevision),
            "analysis": (analysis ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "),
        ]
    }

    /// The keys of `templateValues`.
    static let templateKeys = Set(RolloutReport(namespace: "", name: "", phase: "").templateValues.keys)
}
