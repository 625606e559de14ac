import Manifests

/// Dotted field paths as kustomize's replacements and vars read them (kyaml's `Lookup` and
/// `PathMatcher`): `spec.template.spec.containers.[name=web].image`, `ports.0.port`,
/// `args.[=--debug]`, `containers.*.image`. Unlike `FieldPath`, lists are entered only
/// through an explicit index, selector or `*`.
enum KyamlPath {
    /// One step of a path.
    enum Part: Equatable {
        case field(String)
        case index(Int)
        /// `[field=value]` (or `[=value]` for a list of scalars when `field` is empty).
        case element(field: String, value: String)
        case every
    }

    /// Splits on dots outside brackets: `[name=a.b]` stays one part, and a bracketed key
    /// without `=` (`[app.kubernetes.io/name]`) is a field with dots in it.
    static func parse(_ path: String) -> [Part] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        for character in path {
            switch character {
            case "[": depth += 1; current.append(character)
            case "]": depth -= 1; current.append(character)
            case "." where depth == 0: pieces.append(current); current = ""
            default: current.append(character)
            }
        }
        pieces.append(current)
        return pieces.map { $0.trimmingSpaces }.filter { !$0.isEmpty }.map(part)
    }

    private static func part(_ text: String) -> Part {
        if text == "*" { return .every }
        if let index = Int(text), index >= 0, text.allSatisfy(\.isASCII) { return .index(index) }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let inner = text.dropFirst().dropLast()
            guard let equals = inner.firstIndex(of: "=") else { return .field(String(inner)) }
            return .element(field: String(inner[..<equals]), value: String(inner[inner.index(after: equals)...]))
        }
        return .field(text)
    }

    /// `ports[0]` → `ports`, `0`, as kustomize's var field paths allow.
    static func parseVarPath(_ path: String) -> [Part] {
        var parts: [Part] = []
        for piece in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            if piece.hasSuffix("]"), let open = piece.lastIndex(of: "["),
                let index = Int(piece[piece.index(after: open)..<piece.index(before: piece.endIndex)])
            {
                if open != piece.startIndex { parts.append(.field(String(piece[..<open]))) }
                parts.append(.index(index))
            } else if !piece.isEmpty {
                parts.append(part(piece))
            }
        }
        return parts
    }

    /// The value at `parts` (kyaml's `Lookup`: element selectors compare exactly), or nil.
    static func lookup(_ value: JSONValue, _ parts: ArraySlice<Part>) -> JSONValue? {
        guard let head = parts.first else { return value }
        let rest = parts.dropFirst()
        switch (head, value) {
        case (.field(let key), .object(let object)):
            return object[key].flatMap { lookup($0, rest) }
        case (.index(let index), .array(let items)):
            return index < items.count ? lookup(items[index], rest) : nil
        case (.element(let field, let wanted), .array(let items)):
            let match = items.first { item in
                field.isEmpty ? scalarText(item) == wanted : item[field].flatMap(scalarText) == wanted
            }
            return match.flatMap { lookup($0, rest) }
        default:
            return nil
        }
    }

    /// What kind of node a missing leaf is created as.
    enum Leaf { case scalar, object, array }

    /// Runs `set` on every value `parts` matches (kyaml's `PathMatcher`: element selectors are
    /// unanchored regular expressions). With `create`, missing fields, a missing selected
    /// element, and an index one past the end are added; `set` learns whether its target was
    /// created. Returns how many targets were found.
    @discardableResult
    static func match(
        _ value: inout JSONValue, _ parts: ArraySlice<Part>, create: Leaf?,
        _ set: (inout JSONValue, _ created: Bool) throws(RenderError) -> Void
    ) throws(RenderError) -> Int {
        try match(&value, parts, create: create, created: false, set)
    }

    private static func match(
        _ value: inout JSONValue, _ parts: ArraySlice<Part>, create: Leaf?, created: Bool,
        _ set: (inout JSONValue, Bool) throws(RenderError) -> Void
    ) throws(RenderError) -> Int {
        guard let head = parts.first else {
            try set(&value, created)
            return 1
        }
        let rest = parts.dropFirst()
        switch head {
        case .field(let key):
            guard case .object(var object) = value else {
                if create != nil { throw RenderError(.transform, "cannot create field '\(key)' in a \(value.typeName)") }
                return 0
            }
            var child: JSONValue
            var isNew = false
            if let existing = object[key] {
                child = existing
            } else {
                guard let create else { return 0 }
                child = placeholder(for: rest.first, leaf: create)
                isNew = true
            }
            // A created element's key field is untagged too (see `.element`).
            let found = try match(&child, rest, create: create, created: isNew || (created && rest.isEmpty), set)
            object[key] = child
            value = .object(object)
            return found
        case .index(let index):
            guard case .array(var items) = value else {
                throw RenderError(.transform, "index \(index) used on a \(value.typeName)")
            }
            var isNew = false
            if index == items.count, let create {
                items.append(placeholder(for: rest.first, leaf: create))
                isNew = true
            }
            guard index < items.count else {
                throw RenderError(.transform, "index \(index) specified but only \(items.count) elements found")
            }
            let found = try match(&items[index], rest, create: create, created: isNew, set)
            value = .array(items)
            return found
        case .every:
            guard case .array(var items) = value else { return 0 }
            var found = 0
            for i in items.indices { found += try match(&items[i], rest, create: create, created: false, set) }
            value = .array(items)
            return found
        case .element(let field, let pattern):
            guard case .array(var items) = value else {
                throw RenderError(.transform, "list selector [\(field)=\(pattern)] used on a \(value.typeName)")
            }
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(pattern) } catch { throw RenderError(.transform, "invalid regular expression '\(pattern)'") }
            func selected(_ item: JSONValue) -> Bool {
                let text = field.isEmpty ? scalarText(item) : item[field].flatMap(scalarText)
                guard let text else { return false }
                return (try? regex.firstMatch(in: text.trimmingSpaces)) != nil
            }
            var found = 0
            for i in items.indices where selected(items[i]) {
                found += try match(&items[i], rest, create: create, created: false, set)
            }
            if found == 0, create != nil {
                items.append(field.isEmpty ? .string(pattern) : .object([field: .string(pattern)]))
                // The new element's key field is an untagged node, like any created one.
                let keyOnly = rest.isEmpty || (rest.count == 1 && rest.first == .field(field))
                found = try match(&items[items.count - 1], rest, create: create, created: keyOnly, set)
            }
            value = .array(items)
            return found
        }
    }

    /// A created node: a list before an index or selector, the leaf's kind at the end, else a map.
    private static func placeholder(for next: Part?, leaf: Leaf) -> JSONValue {
        switch next {
        case .index?, .element?: return .array([])
        case nil:
            switch leaf {
            case .scalar: return .null
            case .object: return .object([:])
            case .array: return .array([])
            }
        default: return .object([:])
        }
    }

    /// A scalar's YAML text, as kyaml compares and copies it; nil for maps and lists.
    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n.description
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        default: nil
        }
    }
}
