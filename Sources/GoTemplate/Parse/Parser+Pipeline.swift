extension Parser {
    mutating func pipeline(_ context: String, end: Token.Kind) throws(TemplateParseError) -> Pipe {
        var pipe = Pipe(pos: peekNonSpace().pos)
        declarations: while true {
            let variable = peekNonSpace()
            guard variable.kind == .variable else { break }
            _ = nextNonSpace()
            let afterVariable = peek()
            let following = peekNonSpace()
            if following.kind == .assign || following.kind == .declare {
                pipe.isAssign = following.kind == .assign
                _ = nextNonSpace()
                pipe.declarations.append((variable.pos, variable.text))
                variables.append(variable.text)
            } else if following.kind == .char && following.text == "," {
                _ = nextNonSpace()
                pipe.declarations.append((variable.pos, variable.text))
                variables.append(variable.text)
                if context == "range" && pipe.declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue declarations
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            } else if afterVariable.kind == .space {
                backup(2)
            } else {
                backup()
            }
            break
        }
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                try checkPipeline(pipe, context)
                return pipe
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword, .rawString, .string, .variable, .leftParen:
                backup()
                pipe.commands.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    private func checkPipeline(_ pipe: Pipe, _ context: String) throws(TemplateParseError) {
        if pipe.commands.isEmpty { throw error("missing value for \(context)") }
        for (offset, command) in pipe.commands.enumerated().dropFirst() {
            switch command.arguments[0] {
            case .bool, .dot, .nilValue, .number, .string:
                throw error("non executable command in pipeline stage \(offset + 1)")
            default: continue
            }
        }
    }

    private mutating func command() throws(TemplateParseError) -> Command {
        var command = Command(pos: peekNonSpace().pos)
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(token, "operand")
            }
            break
        }
        if command.arguments.isEmpty { throw error("empty command") }
        return command
    }

    private mutating func operand() throws(TemplateParseError) -> Argument? {
        guard let term = try term() else { return nil }
        guard peek().kind == .field else { return term }
        let chainPos = peek().pos
        var fields: [String] = []
        while peek().kind == .field { fields.append(String(next().text.dropFirst())) }
        switch term {
        case .field(_, let names): return .field(pos: chainPos, names + fields)
        case .variable(_, let names): return .variable(pos: chainPos, names + fields)
        case .bool, .string, .number, .nilValue, .dot:
            throw error("unexpected . after term \(GoQuote.quote(term.description))")
        default: return .chain(pos: chainPos, term, fields)
        }
    }

    private mutating func term() throws(TemplateParseError) -> Argument? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            guard functionExists(token.text) else { throw error("function \(GoQuote.quote(token.text)) not defined") }
            return .identifier(pos: token.pos, token.text)
        case .dot: return .dot(pos: token.pos)
        case .nilKeyword: return .nilValue(pos: token.pos)
        case .variable:
            let name = token.text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? token.text
            guard variables.contains(name) else { throw error("undefined variable \(GoQuote.quote(name))") }
            return .variable(pos: token.pos, [token.text])
        case .field: return .field(pos: token.pos, [String(token.text.dropFirst())])
        case .bool: return .bool(pos: token.pos, token.text == "true")
        case .charConstant, .complex, .number: return .number(try number(token))
        case .leftParen: return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            guard let text = GoQuote.unquote(token.text) else { throw error("invalid syntax") }
            return .string(pos: token.pos, quoted: token.text, text)
        default:
            backup()
            return nil
        }
    }

    private func number(_ token: Token) throws(TemplateParseError) -> NumberNode {
        var node = NumberNode(pos: token.pos, text: token.text)
        let text = token.text
        if token.kind == .charConstant {
            let scalars = Array(text.unicodeScalars)
            guard let (value, next) = GoQuote.unquoteChar(scalars, 1, quote: "'"), next == scalars.count - 1 else {
                throw error("malformed character constant: \(text)")
            }
            let code: UInt32 =
                switch value {
                case .byte(let byte): UInt32(byte)
                case .scalar(let scalar): scalar.value
                }
            node.isInt = true
            node.isUint = true
            node.isFloat = true
            node.int = Int64(code)
            node.uint = UInt64(code)
            node.float = Double(code)
            return node
        }
        if token.kind == .complex || text.hasSuffix("i") { throw error("complex constants are not supported: \(text)") }
        let unsigned = GoNumber.parseUInt(text)
        if let unsigned {
            node.isUint = true
            node.uint = unsigned
        }
        if let signed = GoNumber.parseInt(text) {
            node.isInt = true
            node.int = signed
            if signed == 0 {
                node.isUint = true
                node.uint = 0
            }
        }
        if node.isInt {
            node.isFloat = true
            node.float = Double(node.int)
        } else if node.isUint {
            node.isFloat = true
            node.float = Double(node.uint)
        } else if let float = GoNumber.parseFloat(text) {
            if !text.contains(where: { ".eEpP".contains($0) }) { throw error("integer overflow: \(GoQuote.quote(text))") }
            node.isFloat = true
            node.float = float
            if float.isFinite, float.rounded() == float, abs(float) < 9.2e18 {
                node.isInt = true
                node.int = Int64(float)
            }
            if float.isFinite, float.rounded() == float, float >= 0, float < 1.8e19 {
                node.isUint = true
                node.uint = UInt64(float)
            }
        }
        if !node.isInt && !node.isUint && !node.isFloat { throw error("illegal number syntax: \(GoQuote.quote(text))") }
        return node
    }
}
