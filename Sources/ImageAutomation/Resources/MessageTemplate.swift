import Foundation

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
    public static let maximumBytes = 16 * 1024
    /// Tags allowed outside sections.
    static let topLevel: Set<String> = ["automation", "branch", "path"]
    /// The sections and the tags allowed inside each.
    static let sections: [String: Set<String>] = [
        "images": ["policy", "old", "new"],
        "changes": ["file", "line", "old", "new", "policy"],
    ]

    enum Part: Sendable, Hashable {
        case text(String)
        case value(String)
        case section(String, [Part])
    }

    /// Why a template is refused.
    public struct Error: Swift.Error, Sendable, Hashable {
        /// What is wrong.
        public var message: String
    }

    let parts: [Part]

    /// Parses `text`.
    public init(_ text: String) throws(Error) {
        guard text.utf8.count <= Self.maximumBytes else { throw Error(message: "is longer than \(Self.maximumBytes) bytes") }
        var stack: [(name: String, parts: [Part])] = [("", [])]
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            stack[stack.count - 1].parts.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else { throw Error(message: "a {{ is not closed") }
            let tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("#") || tag.hasPrefix("/") {
                if rest.first == "\n" { rest = rest.dropFirst() }
            }
            if tag.hasPrefix("#") {
                let name = String(tag.dropFirst())
                guard stack.count == 1 else { throw Error(message: "sections do not nest ({{#\(name)}} inside {{#\(stack[stack.count - 1].name)}})") }
                guard Self.sections[name] != nil else { throw Error(message: "unknown section {{#\(name)}} (known: images, changes)") }
                stack.append((name, []))
            } else if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                guard stack.count == 2, stack[1].name == name else { throw Error(message: "{{/\(name)}} closes no open section") }
                let section = stack.removeLast()
                stack[0].parts.append(.section(name, section.parts))
            } else {
                let allowed = stack.count == 1 ? Self.topLevel : Self.sections[stack[1].name] ?? []
                guard allowed.contains(tag) else {
                    throw Error(message: "unknown tag {{\(tag)}} here (known: \(allowed.sorted().joined(separator: ", ")))")
                }
                stack[stack.count - 1].parts.append(.value(tag))
            }
        }
        guard stack.count == 1 else { throw Error(message: "{{#\(stack[1].name)}} is not closed") }
        stack[0].parts.append(.text(String(rest)))
        parts = stack[0].parts
    }

    /// The message for `changes` made by `automation` on `branch` under `path`.
    public func render(automation: String, branch: String, path: String, changes: [YAMLChange]) -> String {
        let top = ["automation": automation, "branch": branch, "path": path]
        var images: [[String: String]] = []
        var seen: Set<[String]> = []
        for change in changes {
            guard let policy = change.policy, seen.insert([policy, change.old, change.new]).inserted else { continue }
            images.append(["policy": policy, "old": change.old, "new": change.new])
        }
        let lines = changes.map { ["file": $0.file, "line": String($0.line), "old": $0.old, "new": $0.new, "policy": $0.policy ?? ""] }
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .value(let name): out += top[name] ?? ""
            case .section(let name, let body):
                for item in name == "images" ? images : lines {
                    for piece in body {
                        switch piece {
                        case .text(let text): out += text
                        case .value(let key): out += item[key] ?? ""
                        case .section: break
                        }
                    }
                }
            }
        }
        return out
    }
}
