import Foundation

/// How a missing map key reads, as Go's `missingkey` option sets it.
public enum MissingKey: Sendable {
    /// `missingkey=default`: no value, printed `<no value>`.
    case invalid
    /// `missingkey=zero`: the zero value of the map's element type (nil for `interface{}`).
    case zero
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    case error
}

/// A template execution error, worded as Go words it
/// (`template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`).
public struct TemplateExecError: Error, Sendable, CustomStringConvertible {
    /// `NAME:LINE:COL` of the node being executed, or nil when the error names no node.
    public var location: String?
    /// The name of the template being executed.
    public var templateName: String
    /// The node's text, as Go prints it between `<` and `>`.
    public var context: String?
    /// The message after the location.
    public var message: String
    /// The error of a function call, when the message is `error calling NAME: …`.
    public var underlying: (any Error)?

    /// Go's full error text.
    public var description: String {
        if templateName.isEmpty { return "template: \(message)" }
        guard let location, let context else { return "template: \(templateName): \(message)" }
        return "template: \(location): executing \(GoQuote.quote(templateName)) at <\(context)>: \(message)"
    }
}

/// Limits on one execution: Go's template call depth and an optional deadline.
public struct ExecutionLimits: Sendable {
    /// The deepest `template` call nesting (Go's `maxExecDepth` is 100000; the Swift stack needs less).
    public var maxDepth: Int
    /// When execution must stop, checked at every node.
    public var deadline: ContinuousClock.Instant?
    /// The most bytes one execution may write (`nil`: no limit, as Go and Helm have it).
    public var maxOutputBytes: Int?
    /// Creates limits.
    public init(maxDepth: Int = 100_000, deadline: ContinuousClock.Instant? = nil, maxOutputBytes: Int? = nil) {
        self.maxDepth = maxDepth
        self.deadline = deadline
        self.maxOutputBytes = maxOutputBytes
    }
}

/// A set of named Go templates sharing a function map: Go's `template.Template` with its associated templates.
///
/// ```swift
/// var set = TemplateSet(functions: [:])
/// try set.parse(name: "a", text: "{{ .x }}")
/// let out = try set.execute(name: "a", data: .map(["x": .int(1)]))
/// ```
public struct TemplateSet: Sendable {
    /// The set's own name (Go's root template name, Helm's `gotpl`), used by `tpl` and in lookup errors.
    public var name: String
    /// The functions templates may call besides Go's builtins.
    public var functions: [String: GoFunction]
    /// The templates by name (those of `parent` count too).
    private var templates: [String: ParsedTemplate] = [:]
    /// The set this one was made over by `over()`: its templates count where this set has none
    /// of the name, without being copied.
    private var parent: Parent?
    /// Execution limits.
    public var limits: ExecutionLimits

    /// Creates an empty set.
    public init(name: String = "gotpl", functions: [String: GoFunction], limits: ExecutionLimits = ExecutionLimits()) {
        self.name = name
        self.functions = functions
        self.limits = limits
    }

    /// The names of the templates defined.
    public var templateNames: [String] { Set(templates.keys).union(parent?.set.templateNames ?? []).sorted() }

    /// Whether a template of that name is defined.
    public func contains(_ name: String) -> Bool { template(named: name) != nil }

    func template(named name: String) -> ParsedTemplate? { templates[name] ?? parent?.set.template(named: name) }

    /// An empty set over this one, with its name, functions and limits: what it parses joins it,
    /// replacing this one's templates of the same names, and this set stays as it is (Go's
    /// `Clone`, for `tpl`, without copying every template).
    public func over() -> TemplateSet {
        var set = TemplateSet(name: name, functions: functions, limits: limits)
        set.parent = Parent(self)
        return set
    }

    private final class Parent: Sendable {
        let set: TemplateSet
        init(_ set: TemplateSet) { self.set = set }
    }

    /// Parses `text` as the template `name`; its `define`s and `block`s join the set, replacing earlier
    /// templates of the same name unless the new one is empty (Go's `AddParseTree`).
    public mutating func parse(name: String, text: String) throws(TemplateParseError) {
        add(try parsed(name: name, text: text))
    }

    /// A file parsed with a set's functions, not yet in it: files parsed on several threads join
    /// the set one by one with `add`, in the order `parse` would have read them.
    public struct ParsedFile: Sendable {
        fileprivate var trees: [String: ParsedTemplate]
        fileprivate var order: [String]
    }

    /// Parses `text` as the template `name` with this set's functions, leaving the set as it is.
    public func parsed(name: String, text: String) throws(TemplateParseError) -> ParsedFile {
        let functions = self.functions
        let (trees, order) = try Parser.parse(name: name, text: text) { functions[$0] != nil || Builtins.names.contains($0) }
        return ParsedFile(trees: trees, order: order)
    }

    /// Joins a parsed file's templates to the set, as `parse` does.
    public mutating func add(_ file: ParsedFile) {
        for treeName in file.order {
            guard let tree = file.trees[treeName] else { continue }
            if let old = template(named: treeName), tree.isEmpty, !old.isEmpty { continue }
            templates[treeName] = tree
        }
    }

    /// Executes the template `name` with `data` as dot and returns its output.
    public func execute(name: String, data: Value, missingKey: MissingKey = .invalid) throws(TemplateExecError) -> String {
        guard let template = template(named: name) else {
            throw TemplateExecError(
                templateName: "", message: "no template \(GoQuote.quote(name)) associated with template \(GoQuote.quote(self.name))")
        }
        let executor = Executor(set: self, template: template, missingKey: missingKey)
        return try executor.run(data: data)
    }
}
