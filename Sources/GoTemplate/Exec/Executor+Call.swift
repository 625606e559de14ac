/// A function as the executor calls it: a Go builtin working on raw operands, or a `GoFunction`.
struct Callable: Sendable {
    var name: String
    var parameters: [GoParameter]
    var variadic: GoParameter?
    var body: Body

    /// A builtin works on operands; any other function on values, through a `FunctionContext`.
    enum Body {
        case builtin(@Sendable ([Operand], Executor) throws -> Operand)
        case function(GoFunction)
    }

    var isBuiltin: Bool { if case .builtin = body { true } else { false } }

    init(
        builtin name: String, _ parameters: [GoParameter], variadic: GoParameter? = nil,
        _ body: @escaping @Sendable ([Operand], Executor) throws -> Operand
    ) {
        self.name = name
        self.parameters = parameters
        self.variadic = variadic
        self.body = .builtin(body)
    }

    init(name: String, function: GoFunction) {
        self.name = name
        parameters = function.parameters
        variadic = function.variadic
        body = .function(function)
    }

    func call(_ arguments: [Operand], _ executor: Executor) throws -> Operand {
        switch body {
        case .builtin(let body): return try body(arguments, executor)
        case .function(let function):
            let result = try function.body(arguments.map(\.value), ExecutionContext(executor: executor))
            if case .null = result { return .value(.null, boxed: true) }
            return .value(result, boxed: false)
        }
    }
}

extension Executor {
    func evalCall(
        _ dot: Operand, _ callable: Callable, _ node: ExecNode, _ name: String, _ arguments: [Argument]?, _ final: Operand?
    ) throws -> Operand {
        // The arguments after the function's own name, without copying them.
        let arguments = arguments?.dropFirst() ?? []
        let first = arguments.startIndex
        let count = arguments.count + (final == nil ? 0 : 1)
        let fixed: Int
        if callable.variadic != nil {
            fixed = callable.parameters.count
            if count < fixed { throw fail("wrong number of args for \(name): want at least \(fixed) got \(arguments.count)") }
        } else {
            fixed = arguments.count
            if count != callable.parameters.count { throw fail("wrong number of args for \(name): want \(callable.parameters.count) got \(count)") }
        }
        if callable.isBuiltin && (name == "and" || name == "or") {
            var value = Operand.invalid
            for argument in arguments {
                value = try evalArgument(dot, .reflectValue, argument).unboxed
                if value.isTruthy == (name == "or") { return value }
            }
            if let final { value = try validate(final, .reflectValue).unboxed }
            return value
        }
        var values: [Operand] = []
        values.reserveCapacity(count)
        for index in 0..<min(fixed, arguments.count) {
            values.append(try evalArgument(dot, callable.parameters[index], arguments[first + index]))
        }
        if let variadic = callable.variadic {
            for index in values.count..<arguments.count { values.append(try evalArgument(dot, variadic, arguments[first + index])) }
        }
        if let final {
            let parameter: GoParameter
            if let variadic = callable.variadic {
                parameter = count - 1 < fixed ? callable.parameters[count - 1] : variadic
            } else {
                parameter = callable.parameters[callable.parameters.count - 1]
            }
            values.append(try validate(final, parameter))
        }
        let result: Operand
        do {
            result = try callable.call(values, self)
        } catch {
            at(node)
            throw fail("error calling \(name): \(error)", underlying: error)
        }
        return result
    }
}

/// The `FunctionContext` a `GoFunction` receives: the running execution's template set and settings.
struct ExecutionContext: FunctionContext {
    let executor: Executor

    var templateName: String { executor.template.name }

    func execute(template name: String, data: Value) throws -> String {
        try executor.set.execute(name: name, data: data, missingKey: executor.missingKey)
    }

    func render(text: String, data: Value) throws -> String {
        var clone = executor.set.over()
        try clone.parse(name: clone.name, text: text)
        return try clone.execute(name: clone.name, data: data, missingKey: executor.missingKey)
    }
}
