import Foundation
import KeelsonFoundation

/// The commit message template of an `ImageUpdateAutomation`: text with Mustache-style tags.
///
/// - `{{automation}}` (`namespace/name`), `{{branch}}`, `{{path}}`;
/// - `{{#images}}…{{/images}}` repeats for each distinct image change, with `{{policy}}`
///   (`NAMESPACE:NAME`), `{{old}}` and `{{new}}` (the value a setter replaced, and its new value);
/// - `{{#changes}}…{{/changes}}` repeats for each line changed, with `{{file}}`, `{{line}}`,
///   `{{old}}`, `{{new}}` and `{{policy}}`.
///
/// A line break right after a section tag is dropped, so a tag alone on its line leaves no
/// blank line. Unknown tags and unclosed sections are errors when the template is read.
public struct MessageTemplate: Sendable, Hashable {
    /// The largest template read.
    public static let maximumBytes = TagTemplate.maximumBytes
    /// The tags a commit message may use.
    static let vocabulary = TagTemplate.Vocabulary(
        top: ["automation", "branch", "path"],
        sections: ["images": ["policy", "old", "new"], "changes": ["file", "line", "old", "new", "policy"]])

    /// Why a template is refused.
    public typealias Error = TagTemplate.Error

    let template: TagTemplate

    /// Parses `text`.
    public init(_ text: String) throws(Error) {
        template = try TagTemplate(text, vocabulary: Self.vocabulary)
    }

    /// The message for `changes` made by `automation` on `branch` under `path`.
    public func render(automation: String, branch: String, path: String, changes: [YAMLChange]) -> String {
        var images: [[String: String]] = []
        var seen: Set<[String]> = []
        for change in changes {
            guard let policy = change.policy, seen.insert([policy, change.old, change.new]).inserted else { continue }
            images.append(["policy": policy, "old": change.old, "new": change.new])
        }
        let lines = changes.map { ["file": $0.file, "line": String($0.line), "old": $0.old, "new": $0.new, "policy": $0.policy ?? ""] }
        return template.render(["automation": automation, "branch": branch, "path": path], sections: ["images": images, "changes": lines])
    }
}
