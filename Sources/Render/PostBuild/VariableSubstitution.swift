import Manifests

/// Flux's post-build variable substitution (`spec.postBuild` of a Flux Kustomization): each
/// rendered object is written as YAML, its `${var}` expressions are expanded, and the text is
/// read back, so `replicas: ${REPLICAS}` becomes a number.
///
/// The rules are Flux's (its fork of drone/envsubst): only braced `${...}` expands, `$var` is
/// left as written; `$$` writes one `$` (so `$${var}` stays `${var}`); an unset variable is
/// empty; `${var:=default}`, `${var:-default}` and `${var=default}` give the default when the
/// value is empty; the bash forms `${#var}`, `${var^}`, `${var^^}`, `${var,}`, `${var,,}`,
/// `${var:offset[:length]}`, `${var#pattern}`, `${var##pattern}`, `${var%pattern}`,
/// `${var%%pattern}`, `${var/pattern/text}`, `${var//pattern/text}`, `${var/#pattern/text}` and
/// `${var/%pattern/text}` work as there. With no variables at all nothing is expanded. An
/// object labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone.
///
/// Errors name the object and what is wrong, never a variable's value or the object's text.
///
/// ```swift
/// let substituted = try VariableSubstitution(variables: ["CLUSTER": "prod"]).apply(to: manifests)
/// ```
public struct VariableSubstitution: Sendable {
    /// The variables by name.
    public var variables: [String: String]
    /// The most bytes one object's YAML may have after substitution.
    public var maximumObjectBytes: Int

    /// The label or annotation that turns substitution off for one object.
    public static let disableKey = "kustomize.toolkit.fluxcd.io/substitute"
    /// What a variable name must match, as Flux checks it.
    public static let namePattern = "^[_[:alpha:]][_[:alpha:][:digit:]]*$"
    /// The default `maximumObjectBytes`: the API server's request limit.
    public static let defaultMaximumObjectBytes = 3 << 20

    /// Creates a substitution; Flux drops the newlines of every value.
    public init(variables: [String: String], maximumObjectBytes: Int = Self.defaultMaximumObjectBytes) {
        self.variables = variables.mapValues { $0.replacingOccurrences(of: "\n", with: "") }
        self.maximumObjectBytes = maximumObjectBytes
    }

    /// Whether `name` is a variable name Flux accepts: an ASCII letter or `_`, then letters, digits or `_`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// The objects with their variables expanded, in the same order.
    public func apply(to manifests: [Manifest]) throws(RenderError) -> [Manifest] {
        guard !variables.isEmpty else { return manifests }
        for name in variables.keys.sorted() where !Self.isValidName(name) {
            throw RenderError(.transform, "postBuild: '\(name)' var name is invalid, must match '\(Self.namePattern)'")
        }
        return try manifests.map { manifest throws(RenderError) in try apply(to: manifest) }
    }

    /// One object with its variables expanded.
    func apply(to manifest: Manifest) throws(RenderError) -> Manifest {
        let metadata = manifest.object["metadata"]
        for field in ["labels", "annotations"] where metadata?[field]?[Self.disableKey]?.stringValue == "disabled" {
            return manifest
        }
        let what = "\(manifest.key)" + (manifest.source.map { " (\($0))" } ?? "")
        let text = YAMLEncoder.encode(manifest.value)
        let expanded: String
        do { expanded = try Expansion.expand(text, variables: variables) } catch {
            throw RenderError(.transform, "\(what): variable substitution failed: \(error.message)")
        }
        guard expanded.utf8.count <= maximumObjectBytes else {
            throw RenderError(.tooLarge, "\(what): after variable substitution the object is larger than \(maximumObjectBytes) bytes")
        }
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(expanded, file: "\(manifest.key)") } catch {
            // The decoder's messages never quote the text, which may hold a secret value.
            throw RenderError(
                .parse, "\(what): after variable substitution the object is not valid YAML: line \(error.location.line): \(error.message)")
        }
        guard documents.count == 1, case .object(let object)? = documents.first?.value else {
            throw RenderError(.parse, "\(what): after variable substitution the text is not one object")
        }
        return Manifest(unchecked: object, source: manifest.source)
    }
}
