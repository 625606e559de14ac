/// A function a template can call: Go's builtins, Sprig's and Helm's, or an object's method.
///
/// `parameters` are the Go parameter types: the engine converts and checks arguments against them
/// before `body` runs, failing as Go does (`wrong type for value; expected string; got float64`),
/// so `body` may assume each argument has its parameter's type. An error thrown by `body` is
/// reported as Go reports a function's returned error (`error calling NAME: MESSAGE`).
public struct GoFunction: Sendable {
    /// The types of the fixed parameters.
    public var parameters: [GoParameter]
    /// The type of the trailing `...` parameter, if the function is variadic.
    public var variadic: GoParameter?
    /// The function itself.
    public var body: @Sendable (_ arguments: [Value], _ context: any FunctionContext) throws -> Value

    /// Creates a function from its Go signature and its body.
    public init(
        _ parameters: [GoParameter], variadic: GoParameter? = nil,
        _ body: @escaping @Sendable (_ arguments: [Value], _ context: any FunctionContext) throws -> Value
    ) {
        self.parameters = parameters
        self.variadic = variadic
        self.body = body
    }
}

/// The Go type of one function parameter, as far as argument checking needs it.
public enum GoParameter: Sendable, Hashable {
    /// `interface{}`: any value, a nil included.
    case any
    /// `string`.
    case string
    /// `bool`.
    case bool
    /// `int` (template integer literals convert; an `int64` or `float64` value does not).
    case int
    /// `int64`.
    case int64
    /// `uint32` (unsigned integer literals convert, truncated as Go's `SetUint` does).
    case uint32
    /// `float64` (integer literals convert too).
    case float64
    /// `[]interface{}` (any slice value).
    case list
    /// `[]string`.
    case stringList
    /// `map[string]interface{}`.
    case map
    /// `[]byte`.
    case bytes
    /// `reflect.Value`-style parameters that take anything, nil and the invalid value included.
    case reflectValue
    /// A struct type of the function's own package (`sprig.certificate`): only objects of that Go type.
    case object(GoType)
}

/// What a function may ask of the template run calling it (Helm's `include` and `tpl`).
public protocol FunctionContext: Sendable {
    /// Executes the named template with `data` as dot and returns its output (`include`).
    func execute(template name: String, data: Value) throws -> String
    /// Parses `text` as a template in the calling template set and executes it with `data` (`tpl`).
    func render(text: String, data: Value) throws -> String
    /// The name of the template being executed (the file's name, or the `define`d name).
    var templateName: String { get }
}

/// An error a function returns; the engine prefixes the call site and `error calling NAME: `.
public struct GoFunctionError: Error, Sendable, CustomStringConvertible {
    /// The error text as the Go function's `err.Error()` reads.
    public var message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
