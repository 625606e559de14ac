import KeelsonFoundation
import Manifests

/// The pod template of a Deployment as a rollout sees it: its hash, and its track label.
public enum PodTemplate {
    /// The annotation on a Deployment (not its pods) naming the template hash it runs, so the
    /// hash of what Git rendered is compared, not of what the API server defaulted.
    public static let hashAnnotation = "keelson.dev/template-hash"

    /// The hash of `template` without the track label: adopting a Rollout adds that label and
    /// must not look like a new version.
    public static func hash(_ template: JSONValue) -> String {
        var template = template
        _ = template.withObject { object in
            var metadata = object["metadata"]?.objectValue ?? [:]
            var labels = metadata["labels"]?.objectValue ?? [:]
            labels.entries.removeValue(forKey: RolloutAPI.trackLabel)
            if labels.isEmpty { metadata.entries.removeValue(forKey: "labels") } else { metadata["labels"] = .object(labels) }
            if metadata.isEmpty { object.entries.removeValue(forKey: "metadata") } else { object["metadata"] = .object(metadata) }
        }
        let value = FNV1a.hash64(JSONWriter.compact(template).utf8)
        return String(String(value, radix: 36).suffix(10))
    }

    /// `template` with pods labelled as `track` (`stable` or `canary`).
    public static func tracked(_ template: JSONValue, _ track: Track) -> JSONValue {
        var template = template
        _ = template.withObject { object in
            var metadata = object["metadata"]?.objectValue ?? [:]
            var labels = metadata["labels"]?.objectValue ?? [:]
            labels[RolloutAPI.trackLabel] = .string(track.rawValue)
            metadata["labels"] = .object(labels)
            object["metadata"] = .object(metadata)
        }
        return template
    }

    /// The two copies a rollout runs.
    public enum Track: String, Sendable, Hashable {
        case stable
        case canary
    }
}
