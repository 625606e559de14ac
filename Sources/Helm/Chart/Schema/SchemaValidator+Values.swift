import GoTemplate

extension SchemaValidator {
    /// JSON's type names for a value: every number is a `number`.
    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int, .float: "number"
        case .string: "string"
        case .list, .bytes: "array"
        case .map, .object: "object"
        }
    }

    /// Whether `value` has the JSON Schema type `name` (`integer`: a number without a fraction).
    static func hasType(_ value: Value, _ name: String) -> Bool {
        if name == "integer", let number = number(value) { return number.rounded() == number && number.isFinite }
        return typeName(value) == name
    }

    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let number, let kind): kind.isUnsigned ? Double(UInt64(bitPattern: number)) : Double(number)
        case .float(let number): number
        default: nil
        }
    }

    /// A value as a JSON document, for comparisons.
    static func document(_ value: Value) -> JSONDocument {
        switch value {
        case .null, .object: .null
        case .bool(let flag): .bool(flag)
        case .int, .float: .number(number(value)!)
        case .string(let text): .string(text)
        case .bytes(let bytes): .array(bytes.map { .number(Double($0)) })
        case .list(let items, _): .array(items.map(document))
        case .map(let members, _): .object(members.sorted { $0.key < $1.key }.map { ($0.key, document($0.value)) })
        }
    }

    /// JSON equality between a value and a schema's constant.
    static func equal(_ value: Value, _ constant: JSONDocument) -> Bool { document(value) == constant }

    static func isPrimitive(_ document: JSONDocument) -> Bool {
        switch document {
        case .array, .object: false
        default: true
        }
    }

    /// A constant as v6 prints it in `enum` and `const` messages.
    static func display(_ document: JSONDocument) -> String {
        switch document {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): format(number)
        case .string(let text): "'\(text)'"
        default: "?"
        }
    }

    /// A number as v6 prints it: integers without a fraction, others in shortest form.
    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return GoFloat.format(number, "f")
    }
}

/// The `format` checks draft 7 asserts, for the formats charts use.
enum SchemaFormats {
    /// Why `text` is not a valid `format`, or nil when it is (or the format is not checked).
    static func check(_ format: String, _ text: String) -> String? {
        switch format {
        case "email", "idn-email":
            guard let at = text.lastIndex(of: "@") else { return "missing @" }
            if text[..<at].isEmpty { return "empty local part" }
            if text[text.index(after: at)...].isEmpty { return "empty domain" }
            return nil
        case "ipv4":
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return "expected four decimals" }
            for part in parts {
                guard let number = UInt8(part), part == "0" || !part.hasPrefix("0") else { return "invalid decimal \(goQuote(String(part)))" }
                _ = number
            }
            return nil
        default:
            return nil
        }
    }
}

/// Validation of a chart tree's final values against each chart's `values.schema.json`, with
/// Helm's error text.
public enum ValuesSchema {
    /// Validates `values` against `chart`'s schema and each subchart's against its own; the
    /// error lists every chart whose schema is broken.
    public static func validate(chart: Chart, values: [String: Value]) throws(ChartError) {
        let report = try failures(chart: chart, values: values)
        guard !report.isEmpty else { return }
        throw ChartError(.schemaValidation, "values don't meet the specifications of the schema(s) in the following chart(s):\n" + report)
    }

    /// Helm's `ValidateAgainstSchema` text: `NAME:\n- at '...': ...\n` per failing chart.
    static func failures(chart: Chart, values: [String: Value]) throws(ChartError) -> String {
        var report = ""
        if let schema = chart.schema {
            do throws(ChartError) {
                let validator = SchemaValidator(schema: try JSONDocument.parse(schema))
                let top = try validator.validate(.map(values))
                if !top.isEmpty { report += "\(chart.name):\n" + top.flatMap { $0.lines(indent: 0) }.joined(separator: "\n") + "\n" }
            } catch {
                report += "\(chart.name):\n" + error.message
            }
        }
        for sub in chart.dependencies {
            guard let raw = values[sub.name], !raw.isNull else { continue }
            guard case .map(let subValues, _) = raw else {
                report += "\(sub.name):\ninvalid type for values: expected object (map), got \(raw.goType.name)\n"
                continue
            }
            report += try failures(chart: sub, values: subValues)
        }
        return report
    }
}
