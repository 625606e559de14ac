import GoTemplate

/// The user-supplied values of `helm template`: `-f` files and the `--set` family, merged in Helm 4's
/// order (files in order, then `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`).
///
/// ```swift
/// let options = HelmValueOptions(files: ["prod.yaml"], set: ["image.tag=v2", "replicas=3"])
/// let values = try options.merged { path in try root.readString(path) }
/// ```
public struct HelmValueOptions: Sendable, Hashable {
    /// `-f`/`--values` paths, lowest precedence first.
    public var files: [String]
    /// `--set` lines.
    public var set: [String]
    /// `--set-string` lines.
    public var setString: [String]
    /// `--set-json` lines (`key=JSON` or a whole JSON object).
    public var setJSON: [String]
    /// `--set-literal` lines.
    public var setLiteral: [String]
    /// `--set-file` lines (`key=path`).
    public var setFile: [String]

    /// Creates the options; every list defaults to empty.
    public init(
        files: [String] = [], set: [String] = [], setString: [String] = [], setJSON: [String] = [], setLiteral: [String] = [],
        setFile: [String] = []
    ) {
        self.files = files
        self.set = set
        self.setString = setString
        self.setJSON = setJSON
        self.setLiteral = setLiteral
        self.setFile = setFile
    }

    /// Merges the values as Helm's `MergeValues` does; `reading` returns a file's text (values files
    /// and `--set-file` paths), so the caller decides where files may come from.
    public func merged(reading: @escaping @Sendable (String) throws -> String) throws(HelmValuesError) -> [String: Value] {
        var base: [String: Value] = [:]
        for path in files {
            let text: String
            do { text = try reading(path) } catch { throw HelmValuesError(message: "\(error)", source: path) }
            do {
                base = HelmYAML.mergeMaps(base, try HelmYAML.loadValues(text))
            } catch {
                throw HelmValuesError(message: "failed to parse \(path): \(error.message)", source: path)
            }
        }
        for line in setJSON {
            let trimmed = line.trimmingBlanks
            if trimmed.hasPrefix("{") {
                guard let object = (try? GoJSON.decode(trimmed))?.mapEntries else {
                    throw HelmValuesError(message: "failed parsing --set-json data JSON: \(line)", source: line)
                }
                base = HelmYAML.mergeMaps(base, object)
            } else {
                do { try Strvals.parse(line, into: &base, mode: .json) } catch {
                    throw HelmValuesError(message: "failed parsing --set-json data \(line)", source: line)
                }
            }
        }
        let modes: [(lines: [String], flag: String, mode: Strvals.Mode)] = [
            (set, "--set", .typed), (setString, "--set-string", .string),
            (setFile, "--set-file", .file({ path in try reading(path) })), (setLiteral, "--set-literal", .literal),
        ]
        for (lines, flag, mode) in modes {
            for line in lines {
                do { try Strvals.parse(line, into: &base, mode: mode) } catch {
                    throw HelmValuesError(message: "failed parsing \(flag) data: \(error.message)", source: line)
                }
            }
        }
        return base
    }
}

/// A failure to read or merge user-supplied values, worded as Helm words it.
public struct HelmValuesError: Error, Sendable, CustomStringConvertible {
    /// The message after Helm's `Error: ` prefix.
    public var message: String
    /// The file or flag line that failed.
    public var source: String
    /// Creates the error.
    public init(message: String, source: String) {
        self.message = message
        self.source = source
    }
    public var description: String { message }
}

extension String {
    /// The string without leading and trailing Unicode whitespace, as Go's `strings.TrimSpace`.
    var trimmingBlanks: String {
        let scalars = unicodeScalars.drop { $0.properties.isWhitespace }
        return String(String.UnicodeScalarView(scalars.reversed().drop { $0.properties.isWhitespace }.reversed()))
    }
}
