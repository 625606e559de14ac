import KeelsonFoundation

/// How to choose the latest tag, as Flux's `ImagePolicy.spec.policy` says it.
///
/// ```swift
/// let policy = TagPolicy(choice: .semver(try VersionRange(">=1.0.0")))
/// try policy.select(["1.0.0", "1.2.0", "latest"])  // "1.2.0"
/// ```
public struct TagPolicy: Sendable {
    /// The ordering rule.
    public enum Choice: Sendable {
        /// The highest version in the range; tags that are not strict semver are ignored.
        case semver(VersionRange)
        /// Lexical order of the tags' bytes.
        case alphabetical(Order)
        /// Numeric order; every (filtered) tag must be a number.
        case numerical(Order)
    }

    /// Flux's `order`: `asc` selects the greatest value, `desc` the least.
    public enum Order: String, Sendable, Hashable, CaseIterable {
        case asc, desc

        /// Reads `asc`/`desc` in any case; empty means `asc`, as in Flux.
        public init(parsing text: String) throws(ImageAutomationError) {
            guard let order = Order(rawValue: text.isEmpty ? "asc" : text.lowercased()) else {
                throw ImageAutomationError(.invalidPolicy, "order must be asc or desc", subject: text)
            }
            self = order
        }
    }

    /// The ordering rule.
    public var choice: Choice
    /// `filterTags`: which tags take part, and what part of them is compared.
    public var filter: TagFilter?

    /// Creates a policy.
    public init(choice: Choice, filter: TagFilter? = nil) {
        self.choice = choice
        self.filter = filter
    }

    /// The selected tag (as the registry lists it, before any extraction).
    public func select(_ tags: [String]) throws(ImageAutomationError) -> String {
        let candidates = try filter?.apply(tags) ?? tags.map { TagFilter.Candidate(tag: $0, value: $0) }
        guard !candidates.isEmpty else {
            throw ImageAutomationError(.noMatchingTag, tags.isEmpty ? "the repository has no tags" : "no tag passes filterTags", subject: "")
        }
        guard let chosen = try choose(candidates) else {
            throw ImageAutomationError(.noMatchingTag, "no tag satisfies the policy", subject: "")
        }
        return chosen.tag
    }

    private func choose(_ candidates: [TagFilter.Candidate]) throws(ImageAutomationError) -> TagFilter.Candidate? {
        switch choice {
        case .semver(let range):
            var best: (TagFilter.Candidate, SemanticVersion)?
            for candidate in candidates {
                guard let version = SemanticVersion(candidate.value), range.contains(version) else { continue }
                // The first of equal versions wins, so `1.0.0` and `1.0.0+b` do not flip-flop.
                if best == nil || version > best!.1 { best = (candidate, version) }
            }
            return best?.0
        case .alphabetical(let order):
            let sorted = candidates.sorted { Array($0.value.utf8).lexicographicallyPrecedes(Array($1.value.utf8)) }
            return order == .asc ? sorted.last : sorted.first
        case .numerical(let order):
            var best: (TagFilter.Candidate, Double)?
            for candidate in candidates {
                guard let number = Double(candidate.value), number.isFinite else {
                    throw ImageAutomationError(
                        .noMatchingTag, "tag \"\(candidate.value)\" is not a number; filter the tags first", subject: candidate.tag)
                }
                let better = order == .asc ? number >= (best?.1 ?? -.infinity) : number <= (best?.1 ?? .infinity)
                if best == nil || better { best = (candidate, number) }
            }
            return best?.0
        }
    }
}

extension TagPolicy {
    /// Reads the range of a `semver` policy, refusing a malformed one as an invalid policy.
    public static func semverRange(_ text: String) throws(ImageAutomationError) -> VersionRange {
        do { return try VersionRange(text) } catch {
            throw ImageAutomationError(.invalidPolicy, "invalid semver range: \(error.message)", subject: text)
        }
    }
}
