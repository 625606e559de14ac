import Foundation

/// Text with Mustache-style tags from a fixed vocabulary: `{{name}}` values and one level of
/// `{{#section}}…{{/section}}` repeated per item. No code runs, no partials, no lambdas, and a
/// template naming a tag its vocabulary lacks is refused when it is read, not when it is used.
/// Commit messages of image automation and the texts of alerts are written with it.
///
/// A line break right after a section tag is dropped, so a tag alone on its line leaves no
/// blank line.
public struct TagTemplate: Sendable, Hashable {
    /// The tags a template may use.
    public struct Vocabulary: Sendable, Hashable {
        /// Tags allowed outside sections; a tag ending in `.*` allows every tag with that prefix.
        public var top: Set<String>
        /// The sections and the tags allowed inside each.
        public var sections: [String: Set<String>]

        public init(top: Set<String>, sections: [String: Set<String>] = [:]) {
            self.top = top
            self.sections = sections
        }

        func allows(_ tag: String, in allowed: Set<String>) -> Bool {
            allowed.contains(tag) || allowed.contains { $0.hasSuffix(".*") && tag.hasPrefix($0.dropLast()) && tag.count > $0.count - 1 }
        }
    }

    /// Why a template is refused.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        public var description: String { message }
    }

    /// The largest template read.
    public static let maximumBytes = 16 * 1024

    enum Part: Sendable, Hashable {
        case text(String)
        case value(String)
        case section(String, [Part])
    }

    let parts: [Part]

    /// Parses `text`, refusing tags and sections `vocabulary` does not have.
    public init(_ text: String, vocabulary: Vocabulary) throws(Error) {
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
                guard vocabulary.sections[name] != nil else {
                    throw Error(message: "unknown section {{#\(name)}} (known: \(vocabulary.sections.keys.sorted().joined(separator: ", ")))")
                }
                stack.append((name, []))
            } else if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                guard stack.count == 2, stack[1].name == name else { throw Error(message: "{{/\(name)}} closes no open section") }
                let section = stack.removeLast()
                stack[0].parts.append(.section(name, section.parts))
            } else {
                let allowed = stack.count == 1 ? vocabulary.top : vocabulary.sections[stack[1].name] ?? []
                guard vocabulary.allows(tag, in: allowed) else {
                    throw Error(message: "unknown tag {{\(tag)}} here (known: \(allowed.sorted().joined(separator: ", ")))")
                }
                stack[stack.count - 1].parts.append(.value(tag))
            }
        }
        guard stack.count == 1 else { throw Error(message: "{{#\(stack[1].name)}} is not closed") }
        stack[0].parts.append(.text(String(rest)))
        parts = stack[0].parts
    }

    /// The text with `values` for tags and each section repeated for its items; every inserted
    /// value goes through `escape` (JSON-escaping, say), the template's own text does not.
    public func render(
        _ values: [String: String], sections: [String: [[String: String]]] = [:], escape: (String) -> String = { $0 }
    ) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .value(let name): out += escape(values[name] ?? "")
            case .section(let name, let body):
                for item in sections[name] ?? [] {
                    for piece in body {
                        switch piece {
                        case .text(let text): out += text
                        case .value(let key): out += escape(item[key] ?? "")
                        case .section: break
                        }
                    }
                }
            }
        }
        return out
    }
}
