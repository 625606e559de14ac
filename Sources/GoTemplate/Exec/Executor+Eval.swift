extension Executor {
    func evalPipeline(_ dot: Operand, _ pipe: Pipe) throws -> Operand {
        at(.pipe(pipe))
        var value: Operand? = nil
        for command in pipe.commands {
            value = try evalCommand(dot, command, final: value).unboxed
        }
        let result = value ?? .invalid
        for declaration in pipe.declarations {
            if pipe.isAssign {
                try setVariable(declaration.name, result)
            } else {
                variables.append((declaration.name, result))
            }
        }
        return result
    }

    private func evalCommand(_ dot: Operand, _ command: Command, final: Operand?) throws -> Operand {
        let first = command.arguments[0]
        switch first {
        case .field(_, let names):
            at(.argument(first))
            return try evalFieldChain(dot, dot, first, names, command.arguments, final)
        case .chain: return try evalChain(dot, first, command.arguments, final)
        case .identifier(_, let name): return try evalFunction(dot, first, name, .command(command), command.arguments, final)
        case .pipe(let pipe):
            try notAFunction(command.arguments, final)
            return try evalPipeline(dot, pipe)
        case .variable: return try evalVariable(dot, first, command.arguments, final)
        default: break
        }
        at(.argument(first))
        try notAFunction(command.arguments, final)
        switch first {
        case .bool(_, let value): return .value(.bool(value), boxed: false)
        case .dot: return dot
        case .nilValue: throw fail("nil is not a command")
        case .number(let number): return try idealConstant(number)
        case .string(_, _, let text): return .value(.string(text), boxed: false)
        default: throw fail("can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    private func notAFunction(_ arguments: [Argument], _ final: Operand?) throws(TemplateExecError) {
        if arguments.count > 1 || final != nil { throw fail("can't give argument to non-function \(arguments[0].description)") }
    }

    func idealConstant(_ number: NumberNode) throws(TemplateExecError) -> Operand {
        at(.argument(.number(number)))
        let text = number.text.lowercased()
        let isHexInt = text.hasPrefix("0x") || text.hasPrefix("-0x") || text.hasPrefix("+0x")
        let isRune = text.hasPrefix("'")
        if number.isFloat && !(isHexInt && !text.contains("p")) && !isRune && text.contains(where: { ".ep".contains($0) }) {
            return .value(.float(number.float), boxed: false)
        }
        if number.isInt { return .value(.int(number.int, .int), boxed: false) }
        if number.isUint { throw fail("\(number.text) overflows int") }
        return .invalid
    }

    func evalChain(_ dot: Operand, _ chain: Argument, _ arguments: [Argument]?, _ final: Operand?) throws -> Operand {
        at(.argument(chain))
        guard case .chain(_, let base, let names) = chain else { return .invalid }
        if case .nilValue = base { throw fail("indirection through explicit nil in \(chain.description)") }
        let receiver = try evalArgument(dot, nil, base)
        return try evalFieldChain(dot, receiver, chain, names, arguments, final)
    }

    func evalVariable(_ dot: Operand, _ variable: Argument, _ arguments: [Argument]?, _ final: Operand?) throws -> Operand {
        at(.argument(variable))
        guard case .variable(_, let names) = variable else { return .invalid }
        // A variable the lexer read with dots in it (`$x.y`) is split as Go's `newVariable` does.
        let parts = names.count == 1 && names[0].utf8.contains(UInt8(ascii: ".")) ? names[0].split(separator: ".").map(String.init) : names
        let value = try variableValue(parts[0])
        if parts.count == 1 {
            try notAFunction(arguments ?? [variable], final)
            return value
        }
        return try evalFieldChain(dot, value, variable, Array(parts.dropFirst()), arguments, final)
    }

    func evalFieldChain(
        _ dot: Operand, _ receiver: Operand, _ node: Argument, _ names: [String], _ arguments: [Argument]?, _ final: Operand?
    ) throws -> Operand {
        var receiver = receiver
        for name in names.dropLast() { receiver = try evalField(dot, name, node, nil, nil, receiver) }
        return try evalField(dot, names[names.count - 1], node, arguments, final, receiver)
    }

    private func evalField(
        _ dot: Operand, _ name: String, _ node: Argument, _ arguments: [Argument]?, _ final: Operand?, _ receiver: Operand
    ) throws -> Operand {
        guard case .value(let value, _) = receiver else {
            if missingKey == .error { throw fail("nil data; no entry for key \(GoQuote.quote(name))") }
            return .invalid
        }
        // The type's name is only for errors, and costs a string to make.
        if case .null = value { throw fail("nil pointer evaluating \(receiver.typeName).\(name)") }
        if case .object(let object) = value, let method = object.method(name) {
            return try evalCall(dot, Callable(name: name, function: method), .argument(node), name, arguments, final)
        }
        let hasArguments = (arguments?.count ?? 0) > 1 || final != nil
        switch value {
        case .object(let object):
            if let field = object.field(name) {
                if hasArguments { throw fail("\(name) has arguments but cannot be invoked as function") }
                return .value(field, boxed: false)
            }
        case .map(let map):
            let entries = map.entries
            let element = map.element
            if hasArguments { throw fail("\(name) is not a method but has arguments") }
            if let entry = entries[name] { return .value(entry, boxed: element == .interface) }
            switch missingKey {
            case .invalid: return .invalid
            case .zero: return .value(Self.zero(of: element), boxed: element == .interface)
            case .error: throw fail("map has no entry for key \(GoQuote.quote(name))")
            }
        default: break
        }
        throw fail("can't evaluate field \(name) in type \(receiver.typeName)")
    }

    static func zero(of type: GoType) -> Value {
        switch type {
        case .string: .string("")
        case .int: .int(0)
        case .float64: .float(0)
        case .bool: .bool(false)
        default: .null
        }
    }

    func evalFunction(
        _ dot: Operand, _ node: Argument, _ name: String, _ callNode: ExecNode, _ arguments: [Argument]?, _ final: Operand?
    ) throws -> Operand {
        at(.argument(node))
        guard let callable = findFunction(name) else { throw fail("\(GoQuote.quote(name)) is not a defined function") }
        return try evalCall(dot, callable, callNode, name, arguments, final)
    }

    func findFunction(_ name: String) -> Callable? {
        if let function = set.functions[name] { return Callable(name: name, function: function) }
        return Builtins.table[name]
    }

    /// Go's `evalArg`: an argument evaluated against the parameter type it is passed to (nil: untyped).
    func evalArgument(_ dot: Operand, _ parameter: GoParameter?, _ argument: Argument) throws -> Operand {
        at(.argument(argument))
        switch argument {
        case .dot: return try validate(dot, parameter)
        case .nilValue:
            guard let parameter else { return .value(.null, boxed: true) }
            if parameter.canBeNil { return parameter.nilValue }
            throw fail("cannot assign nil to \(parameter.typeName)")
        case .field(_, let names):
            return try validate(evalFieldChain(dot, dot, argument, names, [argument], nil), parameter)
        case .variable: return try validate(evalVariable(dot, argument, nil, nil), parameter)
        case .pipe(let pipe): return try validate(evalPipeline(dot, pipe), parameter)
        case .identifier(_, let name): return try validate(evalFunction(dot, argument, name, .argument(argument), nil, nil), parameter)
        case .chain: return try validate(evalChain(dot, argument, nil, nil), parameter)
        case .bool, .number, .string: break
        }
        switch parameter {
        case .bool:
            if case .bool(_, let value) = argument { return .value(.bool(value), boxed: false) }
            throw fail("expected bool; found \(argument.description)")
        case .float64:
            if case .number(let number) = argument, number.isFloat { return .value(.float(number.float), boxed: false) }
            throw fail("expected float; found \(argument.description)")
        case .int, .int64:
            if case .number(let number) = argument, number.isInt {
                return .value(.int(number.int, parameter == .int ? .int : .int64), boxed: false)
            }
            throw fail("expected integer; found \(argument.description)")
        case .uint32:
            if case .number(let number) = argument, number.isUint {
                return .value(.int(Int64(UInt32(truncatingIfNeeded: number.uint)), .uint32), boxed: false)
            }
            throw fail("expected unsigned integer; found \(argument.description)")
        case .string:
            if case .string(_, _, let text) = argument { return .value(.string(text), boxed: false) }
            throw fail("expected string; found \(argument.description)")
        case nil, .any, .reflectValue:
            switch argument {
            case .bool(_, let value): return .value(.bool(value), boxed: false)
            case .number(let number): return try idealConstant(number)
            case .string(_, _, let text): return .value(.string(text), boxed: false)
            default: return .invalid
            }
        case .list, .stringList, .map, .bytes, .object:
            throw fail("can't handle \(argument.description) for arg of type \(parameter!.typeName)")
        }
    }

    /// Go's `validateType`.
    func validate(_ operand: Operand, _ parameter: GoParameter?) throws(TemplateExecError) -> Operand {
        guard let parameter else { return operand }
        switch operand {
        case .invalid:
            if parameter.canBeNil { return parameter.nilValue }
            throw fail("invalid value; expected \(parameter.typeName)")
        case .value(let value, let boxed):
            if parameter == .reflectValue || parameter == .any { return operand }
            if parameter.accepts(value) { return .value(value, boxed: false) }
            if boxed, case .null = value { throw fail("wrong type for value; expected \(parameter.typeName); got interface {}") }
            throw fail("wrong type for value; expected \(parameter.typeName); got \(value.goType.name)")
        }
    }
}
