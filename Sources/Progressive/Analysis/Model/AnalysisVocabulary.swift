import KeelsonFoundation

/// The tags queries, URLs, bodies and job templates may use.
public enum AnalysisVocabulary {
    /// The tags every metric may use besides its arguments.
    public static let tags: Set<String> = [
        "rollout.name", "rollout.namespace", "canary.deployment", "canary.service", "stable.deployment", "canary.hash", "interval",
    ]

    /// The vocabulary with `args.X` for each of `arguments`, or any `args.*` when nil.
    public static func vocabulary(arguments: Set<String>?) -> TagTemplate.Vocabulary {
        let args = arguments.map { Set($0.map { "args." + $0 }) } ?? ["args.*"]
        return TagTemplate.Vocabulary(top: tags.union(args))
    }
}
