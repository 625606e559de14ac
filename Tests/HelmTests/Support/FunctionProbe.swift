import Foundation
import KeelsonTesting

/// One line of `Fixtures/function-probes.txt`: a template action and, for random or time functions, the
/// pattern both outputs must match instead of being equal.
struct FunctionProbe: Sendable, CustomStringConvertible {
    /// The template text, `{{ fn args }}`.
    var template: String
    /// The shape both answers must have, when they cannot be equal.
    var shape: String?
    /// The 1-based line in the fixture.
    var line: Int

    var description: String { "function-probes.txt:\(line): \(template)" }

    /// The probes of the fixture.
    static func load() throws -> [FunctionProbe] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/function-probes.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let parts = line.components(separatedBy: "  ~ ")
            return FunctionProbe(template: parts[0], shape: parts.count > 1 ? parts[1] : nil, line: index + 1)
        }
    }
}

/// What a renderer answered for a probe: the output text, or the innermost error message.
enum ProbeAnswer: Sendable, Equatable, Codable, CustomStringConvertible {
    case output(String)
    case error(String)

    var description: String {
        switch self {
        case .output(let text): "output \(String(reflecting: text))"
        case .error(let message): "error \(String(reflecting: message))"
        }
    }

    /// Whether the two answers agree: equal outputs (or both matching `shape`), or errors with the same message.
    func agrees(with other: ProbeAnswer, shape: String?) -> Bool {
        switch (self, other) {
        case (.output(let a), .output(let b)):
            guard let shape else { return a == b }
            let regex = try? NSRegularExpression(pattern: shape)
            func fits(_ text: String) -> Bool { regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
            return fits(a) && fits(b)
        case (.error(let a), .error(let b)): return a == b
        default: return false
        }
    }

    /// The message a Go template error ends with, after the last `executing "…" at <…>: ` or `template: …: `.
    static func innermost(_ message: String) -> String {
        // Helm 4 prints a template error over several indented lines, the innermost message last.
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("level=") && !$0.hasPrefix("Use --debug") }
        var text = lines.last ?? ""
        if lines.count == 1, text.hasPrefix("Error: ") { text = String(text.dropFirst(7)) }
        if let range = text.range(of: ">: ", options: .backwards) { return String(text[range.upperBound...]) }
        if let range = text.range(of: "): ", options: .backwards) { return String(text[range.upperBound...]) }
        if let range = text.range(of: #"^template: [^:]+:[0-9]+(:[0-9]+)?: "#, options: .regularExpression) {
            return String(text[range.upperBound...])
        }
        return text
    }
}

/// Runs the real `helm template` over all probes: one chart, one template per probe, one run for every
/// probe that renders and one more run per probe that fails (Helm stops at the first error).
enum HelmProbeRecorder {
    /// Helm's answer to every probe, in order.
    static func record(_ probes: [FunctionProbe]) async throws -> [ProbeAnswer] {
        let directory = try TemporaryDirectory(prefix: "keelson-probes")
        defer { directory.remove() }
        _ = try directory.write("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        for (index, probe) in probes.enumerated() {
            let name = String(format: "p%04d", index)
            // The probe runs inside `include` so that its raw text survives YAML splitting (base64 inside markers).
            _ = try directory.write("c/templates/_\(name).tpl", "{{- define \"\(name)\" -}}\(probe.template){{- end -}}")
            _ = try directory.write("c/templates/\(name).yaml", "BEGIN[{{ include \"\(name)\" . | b64enc }}]END\n")
        }
        var answers = [ProbeAnswer?](repeating: nil, count: probes.count)
        for _ in 0...probes.count {
            let result = try await HelmReference.run(["template", "r", directory.path + "/c", "--debug"])
            if result.status == 0 || result.output.contains("BEGIN[") {
                let output = result.output
                for (index, _) in probes.enumerated() where answers[index] == nil {
                    let name = String(format: "p%04d", index)
                    guard let source = output.range(of: "# Source: c/templates/\(name).yaml\nBEGIN["),
                        let end = output.range(of: "]END", range: source.upperBound..<output.endIndex),
                        let data = Data(base64Encoded: String(output[source.upperBound..<end.lowerBound]))
                    else { continue }
                    answers[index] = .output(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<no value>", with: ""))
                }
                break
            }
            let message = result.errorOutput.components(separatedBy: "\n").drop { !$0.hasPrefix("Error: ") }.joined(separator: "\n")
            guard let match = message.range(of: #"c/templates/_?p[0-9]{4}"#, options: .regularExpression),
                let index = Int(message[match].suffix(4))
            else {
                throw HelmFailed(message: message)
            }
            answers[index] = .error(ProbeAnswer.innermost(message))
            let name = String(format: "p%04d", index)
            try FileManager.default.removeItem(atPath: directory.path + "/c/templates/_\(name).tpl")
            try FileManager.default.removeItem(atPath: directory.path + "/c/templates/\(name).yaml")
        }
        return answers.map { $0 ?? .error("no answer") }
    }

    struct HelmFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { "helm template failed outside the probes: \(message)" }
    }
}
