/// Validates branch and tag names with the rules of `git check-ref-format --allow-onelevel`,
/// plus no leading `-`, so no option-looking or path-escaping name ever reaches git.
public enum RefName {
    /// The longest name accepted.
    public static let maximumLength = 255

    /// Throws `.invalidRevision` unless `name` is a safe branch or tag name.
    public static func validate(_ name: String) throws(GitError) {
        if let reason = problem(name) {
            throw GitError(.invalidRevision, "'\(printable(name))' is not a valid ref name: \(reason)")
        }
    }

    /// Why `name` is refused, or `nil` when it is valid.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maximumLength { return "it is longer than \(maximumLength) bytes" }
        if name.hasPrefix("-") { return "it starts with '-'" }
        if name == "@" { return "it is '@'" }
        if name.hasPrefix("/") || name.hasSuffix("/") { return "it starts or ends with '/'" }
        if name.hasSuffix(".") { return "it ends with '.'" }
        if name.contains("..") { return "it contains '..'" }
        if name.contains("@{") { return "it contains '@{'" }
        if name.contains("//") { return "it contains '//'" }
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f { return "it contains a control character" }
            if forbidden.contains(scalar) { return "it contains '\(scalar == " " ? "space" : String(scalar))'" }
        }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.hasPrefix(".") { return "a component starts with '.'" }
            if component.hasSuffix(".lock") { return "a component ends with '.lock'" }
        }
        return nil
    }

    private static let forbidden: Set<Unicode.Scalar> = [" ", "~", "^", ":", "?", "*", "[", "\\"]

    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : Character($0) }.prefix(100))
    }
}
