import GoTemplate

/// Validates values against one `values.schema.json` as Helm 4 does with santhosh-tekuri/jsonschema
/// v6: drafts 7, 2019-09 and 2020-12 keywords, local `$ref` only (a remote one is refused).
struct SchemaValidator {
    let root: JSONDocument
    /// Drafts up to 7 assert `format`; later ones treat it as an annotation.
    let assertsFormat: Bool
    /// Draft 2020-12 reads `items` after `prefixItems`; earlier drafts allow an `items` array.
    let usesPrefixItems: Bool

    init(schema: JSONDocument) {
        root = schema
        let dialect: String
        if case .string(let text)? = schema["$schema"] { dialect = text } else { dialect = "" }
        assertsFormat = ["draft-04", "draft-06", "draft-07"].contains { dialect.contains($0) }
        usesPrefixItems = dialect.isEmpty || dialect.contains("2020-12")
    }

    /// The failures at the top level (empty when the values are valid).
    func validate(_ values: Value) throws(ChartError) -> [SchemaFailure] {
        // Helm compiles every reference before validating: a remote one fails even when unused.
        try checkReferences(root)
        return try evaluate(root, values, [], depth: 0)
    }

    private func checkReferences(_ node: JSONDocument) throws(ChartError) {
        switch node {
        case .object(let members):
            for (key, value) in members where key != "const" && key != "enum" && key != "default" && key != "examples" {
                if key == "$ref", case .string(let reference) = value { _ = try resolve(reference) }
                try checkReferences(value)
            }
        case .array(let items):
            for item in items { try checkReferences(item) }
        default:
            break
        }
    }

    private func evaluate(_ schema: JSONDocument, _ value: Value, _ location: [String], depth: Int) throws(ChartError) -> [SchemaFailure] {
        guard depth < 128 else { throw ChartError(.invalidSchema, "schema references nest deeper than 128 levels", path: "values.schema.json") }
        switch schema {
        case .bool(true): return []
        case .bool(false): return [SchemaFailure(location: location, message: "false schema")]
        case .object: break
        default: return []
        }
        var failures: [SchemaFailure] = []
        func fail(_ message: String) { failures.append(SchemaFailure(location: location, message: message)) }
        func sub(_ schema: JSONDocument, _ value: Value, _ at: [String]) throws(ChartError) -> [SchemaFailure] {
            SchemaFailure.collapse(try evaluate(schema, value, at, depth: depth + 1), at: at)
        }
        if case .string(let reference)? = schema["$ref"] {
            failures += try sub(try resolve(reference), value, location)
        }
        if let type = schema["type"] {
            let wanted: [String]
            switch type {
            case .string(let name): wanted = [name]
            case .array(let names): wanted = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
            default: wanted = []
            }
            if !wanted.isEmpty, !wanted.contains(where: { Self.hasType(value, $0) }) {
                fail("got \(Self.typeName(value)), want \(wanted.sorted().joined(separator: " or "))")
            }
        }
        if let constant = schema["const"], !Self.equal(value, constant) {
            fail(Self.isPrimitive(constant) ? "value must be \(Self.display(constant))" : "'const' failed")
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { Self.equal(value, $0) }) {
            if !options.allSatisfy(Self.isPrimitive) {
                fail("'enum' failed")
            } else if options.count == 1 {
                fail("value must be \(Self.display(options[0]))")
            } else {
                fail("value must be one of \(options.map(Self.display).joined(separator: ", "))")
            }
        }
        if let number = Self.number(value) { checkNumber(schema, number, fail) }
        if case .string(let text) = value { checkString(schema, text, fail) }
        if case .list(let items, _) = value { failures += try checkArray(schema, items, location, fail, sub) }
        if let members = value.mapEntries { failures += try checkObject(schema, members, location, fail, sub) }
        failures += try checkCombinators(schema, value, location, depth: depth, sub)
        return failures
    }

    // MARK: Numbers and strings

    private func checkNumber(_ schema: JSONDocument, _ number: Double, _ fail: (String) -> Void) {
        let got = Self.format(number)
        if case .number(let bound)? = schema["minimum"], number < bound { fail("minimum: got \(got), want \(Self.format(bound))") }
        if case .number(let bound)? = schema["maximum"], number > bound { fail("maximum: got \(got), want \(Self.format(bound))") }
        if case .number(let bound)? = schema["exclusiveMinimum"], number <= bound { fail("exclusiveMinimum: got \(got), want \(Self.format(bound))") }
        if case .number(let bound)? = schema["exclusiveMaximum"], number >= bound { fail("exclusiveMaximum: got \(got), want \(Self.format(bound))") }
        if case .number(let divisor)? = schema["multipleOf"], divisor > 0 {
            let quotient = number / divisor
            if quotient.rounded() != quotient || !quotient.isFinite { fail("multipleOf: got \(got), want \(Self.format(divisor))") }
        }
    }

    private func checkString(_ schema: JSONDocument, _ text: String, _ fail: (String) -> Void) {
        let length = text.unicodeScalars.count
        if case .number(let bound)? = schema["minLength"], Double(length) < bound { fail("minLength: got \(length), want \(Self.format(bound))") }
        if case .number(let bound)? = schema["maxLength"], Double(length) > bound { fail("maxLength: got \(length), want \(Self.format(bound))") }
        if case .string(let pattern)? = schema["pattern"] {
            if let regex = try? Regex(pattern), (try? regex.firstMatch(in: text)) == nil {
                fail("'\(text)' does not match pattern '\(pattern)'")
            }
        }
        if assertsFormat, case .string(let format)? = schema["format"], let why = SchemaFormats.check(format, text) {
            fail("'\(text)' is not valid \(format): \(why)")
        }
    }

    // MARK: Arrays and objects

    private typealias Sub = (JSONDocument, Value, [String]) throws(ChartError) -> [SchemaFailure]

    private func checkArray(
        _ schema: JSONDocument, _ items: [Value], _ location: [String], _ fail: (String) -> Void, _ sub: Sub
    ) throws(ChartError) -> [SchemaFailure] {
        var failures: [SchemaFailure] = []
        if case .number(let bound)? = schema["maxItems"], Double(items.count) > bound {
            fail("maxItems: got \(items.count), want \(Self.format(bound))")
        }
        if case .number(let bound)? = schema["minItems"], Double(items.count) < bound {
            fail("minItems: got \(items.count), want \(Self.format(bound))")
        }
        if case .bool(true)? = schema["uniqueItems"] {
            search: for i in items.indices {
                for j in items.indices where j > i && Self.equal(items[i], Self.document(items[j])) {
                    fail("items at \(i) and \(j) are equal")
                    break search
                }
            }
        }
        var prefix: [JSONDocument] = []
        var rest: JSONDocument?
        if usesPrefixItems {
            if case .array(let schemas)? = schema["prefixItems"] { prefix = schemas }
            rest = schema["items"]
        } else if case .array(let schemas)? = schema["items"] {
            prefix = schemas
            rest = schema["additionalItems"]
        } else {
            rest = schema["items"]
        }
        for (index, item) in items.enumerated() {
            let itemSchema = index < prefix.count ? prefix[index] : rest
            if let itemSchema { failures += try sub(itemSchema, item, location + [String(index)]) }
        }
        return failures
    }

    private func checkObject(
        _ schema: JSONDocument, _ members: [String: Value], _ location: [String], _ fail: (String) -> Void, _ sub: Sub
    ) throws(ChartError) -> [SchemaFailure] {
        var failures: [SchemaFailure] = []
        let count = members.count
        if case .number(let bound)? = schema["maxProperties"], Double(count) > bound {
            fail("maxProperties: got \(count), want \(Self.format(bound))")
        }
        if case .number(let bound)? = schema["minProperties"], Double(count) < bound {
            fail("minProperties: got \(count), want \(Self.format(bound))")
        }
        if case .array(let required)? = schema["required"] {
            let missing = required.compactMap { entry -> String? in
                guard case .string(let name) = entry, members[name] == nil else { return nil }
                return "'\(name)'"
            }
            if missing.count == 1 { fail("missing property \(missing[0])") }
            if missing.count > 1 { fail("missing properties \(missing.joined(separator: ", "))") }
        }
        var evaluated = Set<String>()
        if case .object(let properties)? = schema["properties"] {
            for (name, propertySchema) in properties {
                guard let member = members[name] else { continue }
                evaluated.insert(name)
                failures += try sub(propertySchema, member, location + [name])
            }
        }
        if case .object(let patterns)? = schema["patternProperties"] {
            for (pattern, patternSchema) in patterns {
                guard let regex = try? Regex(pattern) else { continue }
                for (name, member) in members.sorted(by: { $0.key < $1.key }) where (try? regex.firstMatch(in: name)) != nil {
                    evaluated.insert(name)
                    failures += try sub(patternSchema, member, location + [name])
                }
            }
        }
        if let additional = schema["additionalProperties"] {
            let extra = members.keys.filter { !evaluated.contains($0) }.sorted()
            if case .bool(false) = additional, !extra.isEmpty {
                fail("additional properties \(extra.map { "'\($0)'" }.joined(separator: ", ")) not allowed")
            } else if case .object = additional {
                for name in extra { failures += try sub(additional, members[name]!, location + [name]) }
            }
        }
        return failures
    }

    // MARK: Combinators

    private func checkCombinators(
        _ schema: JSONDocument, _ value: Value, _ location: [String], depth: Int, _ sub: Sub
    ) throws(ChartError) -> [SchemaFailure] {
        var failures: [SchemaFailure] = []
        if case .array(let schemas)? = schema["allOf"] {
            var causes: [SchemaFailure] = []
            for item in schemas { causes += try sub(item, value, location) }
            if !causes.isEmpty { failures.append(SchemaFailure(location: location, message: "'allOf' failed", causes: causes)) }
        }
        if case .array(let schemas)? = schema["anyOf"] {
            var causes: [SchemaFailure] = []
            for item in schemas {
                let result = try sub(item, value, location)
                if result.isEmpty {
                    causes = []
                    break
                }
                causes += result
            }
            if !causes.isEmpty { failures.append(SchemaFailure(location: location, message: "'anyOf' failed", causes: causes)) }
        }
        if case .array(let schemas)? = schema["oneOf"] {
            var matched: [Int] = []
            var causes: [SchemaFailure] = []
            for (index, item) in schemas.enumerated() {
                let result = try sub(item, value, location)
                if result.isEmpty { matched.append(index) } else { causes += result }
            }
            if matched.isEmpty {
                failures.append(SchemaFailure(location: location, message: "'oneOf' failed, none matched", causes: causes))
            } else if matched.count > 1 {
                let list = matched.map(String.init).joined(separator: ", ")
                failures.append(SchemaFailure(location: location, message: "'oneOf' failed, subschemas \(list) matched"))
            }
        }
        if let negated = schema["not"], try sub(negated, value, location).isEmpty {
            failures.append(SchemaFailure(location: location, message: "'not' failed"))
        }
        if let condition = schema["if"] {
            let branch = try sub(condition, value, location).isEmpty ? schema["then"] : schema["else"]
            if let branch { failures += try sub(branch, value, location) }
        }
        return failures
    }

    // MARK: References

    /// The schema a local `$ref` points to; anything else is refused (Helm would fetch it).
    private func resolve(_ reference: String) throws(ChartError) -> JSONDocument {
        guard reference.hasPrefix("#") else {
            throw ChartError(
                .invalidSchema, "failing loading \(goQuote(reference)): remote schema references are not allowed", path: "values.schema.json")
        }
        var node = root
        let pointer = reference.dropFirst()
        guard pointer.isEmpty || pointer.hasPrefix("/") else {
            throw ChartError(.invalidSchema, "cannot resolve \(goQuote(reference)): anchors are not supported", path: "values.schema.json")
        }
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let token = Self.percentDecoded(String(raw)).split(separator: "~1", omittingEmptySubsequences: false).joined(separator: "/")
                .split(separator: "~0", omittingEmptySubsequences: false).joined(separator: "~")
            switch node {
            case .object: node = node[token] ?? .null
            case .array(let items): node = Int(token).flatMap { items.indices.contains($0) ? items[$0] : nil } ?? .null
            default: node = .null
            }
            if case .null = node {
                throw ChartError(.invalidSchema, "cannot resolve \(goQuote(reference)) in values.schema.json", path: "values.schema.json")
            }
        }
        return node
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "%"), utf8.count >= 3, let value = UInt8(String(decoding: utf8.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
