import Foundation

/// One execution of a template: Go's `state` (variables, the node being executed, call depth).
final class Executor: @unchecked Sendable {
    let set: TemplateSet
    var template: ParsedTemplate
    let missingKey: MissingKey
    var variables: [(name: String, value: Operand)] = []
    var output = ""
    var depth = 0
    /// Nodes walked, for `checkDeadline`.
    private var steps: UInt32 = 0
    /// The node being executed, for error locations.
    var node: ExecNode?

    /// `set.limits.deadline`, read once.
    private let deadline: ContinuousClock.Instant?

    init(set: TemplateSet, template: ParsedTemplate, missingKey: MissingKey) {
        self.set = set
        self.deadline = set.limits.deadline
        self.template = template
        self.missingKey = missingKey
    }

    enum ExecNode {
        case node(Node)
        case argument(Argument)
        case pipe(Pipe)
        case command(Command)

        var pos: Int {
            switch self {
            case .node(let node): node.pos
            case .argument(let argument): argument.pos
            case .pipe(let pipe): pipe.pos
            case .command(let command): command.pos
            }
        }

        var description: String {
            switch self {
            case .node(let node): node.description
            case .argument(let argument): argument.description
            case .pipe(let pipe): pipe.description
            case .command(let command): command.description
            }
        }
    }

    /// Control flow out of a range body.
    enum Jump: Error { case breakLoop, continueLoop }

    func run(data: Value) throws(TemplateExecError) -> String {
        let dot = Operand.value(data, boxed: false)
        variables = [("$", dot)]
        do {
            try walkList(dot, template.root)
        } catch let error as TemplateExecError {
            throw error
        } catch {
            throw TemplateExecError(templateName: template.name, message: "\(error)")
        }
        return output
    }

    func at(_ node: ExecNode) { self.node = node }

    func fail(_ message: String, underlying: (any Error)? = nil) -> TemplateExecError {
        guard let node else { return TemplateExecError(templateName: template.name, message: message, underlying: underlying) }
        let (line, column) = template.source.location(node.pos)
        return TemplateExecError(
            location: "\(template.parseName):\(line):\(column)", templateName: template.name, context: node.description, message: message,
            underlying: underlying)
    }

    /// Reading the clock costs more than a node: it is read at the first node and every 32nd.
    private func checkDeadline() throws(TemplateExecError) {
        guard let deadline else { return }
        steps &+= 1
        if steps & 31 == 1, ContinuousClock.now >= deadline {
            throw fail("template execution exceeded its time limit")
        }
    }

    // MARK: Walking

    func walk(_ dot: Operand, _ node: Node) throws {
        at(.node(node))
        try checkDeadline()
        switch node {
        case .action(_, let pipe):
            let value = try evalPipeline(dot, pipe)
            if pipe.declarations.isEmpty { try printValue(node, value) }
        case .breakNode: throw Jump.breakLoop
        case .continueNode: throw Jump.continueLoop
        case .comment: break
        case .ifNode(let branch): try walkIfOrWith(isWith: false, dot, branch)
        case .with(let branch): try walkIfOrWith(isWith: true, dot, branch)
        case .list(let list): for child in list.nodes { try walk(dot, child) }
        case .range(let branch): try walkRange(dot, branch)
        case .template(_, let name, let pipe): try walkTemplate(dot, node, name, pipe)
        case .text(_, let text): try emit(text)
        }
    }

    /// A list's nodes in turn: `walk(dot, .list(list))` without a box for the list, which would be
    /// allocated at every `if` and every round of a `range`.
    private func walkList(_ dot: Operand, _ list: ListNode) throws {
        try checkDeadline()
        for child in list.nodes { try walk(dot, child) }
    }

    private func printValue(_ node: Node, _ value: Operand) throws(TemplateExecError) {
        at(.node(node))
        switch value {
        case .invalid, .value(.null, _): try emit("<no value>")
        case .value(.object(let object), _): try emit(object.actionText)
        case .value(let value, _): try emit(value.formatted)
        }
    }

    /// Appends to the output, within `set.limits.maxOutputBytes`.
    private func emit(_ text: String) throws(TemplateExecError) {
        if let limit = set.limits.maxOutputBytes, output.utf8.count + text.utf8.count > limit {
            throw fail("template output exceeds its limit of \(limit) bytes")
        }
        output += text
    }

    private func mark() -> Int { variables.count }
    private func pop(_ mark: Int) { variables.removeLast(variables.count - mark) }

    func setVariable(_ name: String, _ value: Operand) throws(TemplateExecError) {
        for index in variables.indices.reversed() where variables[index].name == name {
            variables[index].value = value
            return
        }
        throw fail("undefined variable: \(name)")
    }

    func variableValue(_ name: String) throws(TemplateExecError) -> Operand {
        for entry in variables.reversed() where entry.name == name { return entry.value }
        throw fail("undefined variable: \(name)")
    }

    private func walkIfOrWith(isWith: Bool, _ dot: Operand, _ branch: Branch) throws {
        let saved = mark()
        defer { pop(saved) }
        let value = try evalPipeline(dot, branch.pipe)
        if value.indirect.isTruthy {
            try walkList(isWith ? value : dot, branch.list)
        } else if let elseList = branch.elseList {
            try walkList(dot, elseList)
        }
    }

    private func walkRange(_ dot: Operand, _ branch: Branch) throws {
        at(.node(.range(branch)))
        let saved = mark()
        defer { pop(saved) }
        let value = try evalPipeline(dot, branch.pipe).indirect.underlyingCollection
        let bodyMark = mark()
        let pipe = branch.pipe
        func iterate(_ index: Operand, _ element: Operand) throws -> Bool {
            if !pipe.declarations.isEmpty {
                if pipe.isAssign {
                    try setVariable(pipe.declarations[0].name, pipe.declarations.count > 1 ? index : element)
                } else {
                    variables[variables.count - 1].value = element
                }
            }
            if pipe.declarations.count > 1 {
                if pipe.isAssign {
                    try setVariable(pipe.declarations[1].name, element)
                } else {
                    variables[variables.count - 2].value = index
                }
            }
            defer { pop(bodyMark) }
            do {
                try walkList(element, branch.list)
            } catch Jump.continueLoop {
            } catch Jump.breakLoop {
                return false
            }
            return true
        }
        switch value {
        case .value(.list(let items, let element), _) where !items.isEmpty:
            for (offset, item) in items.enumerated() {
                guard try iterate(.value(.int(offset), boxed: false), .value(item, boxed: element == .interface)) else { break }
            }
            return
        case .value(.bytes(let bytes), _) where !bytes.isEmpty:
            for (offset, byte) in bytes.enumerated() {
                guard try iterate(.value(.int(offset), boxed: false), .value(.int(Int64(byte), .uint8), boxed: false)) else { break }
            }
            return
        case .value(.map(let map), _) where !map.entries.isEmpty:
            let (entries, element) = (map.entries, map.element)
            for key in entries.keys.sorted() {
                guard try iterate(.value(.string(key), boxed: false), .value(entries[key]!, boxed: element == .interface)) else { break }
            }
            return
        case .value(.int(let count, let kind), _):
            if pipe.declarations.count > 1 { throw fail("can't use \(value.value.formatted) to iterate over more than one variable") }
            if count > 0 {
                for item in 0..<count {
                    guard try iterate(.invalid, .value(.int(item, kind), boxed: false)) else { break }
                }
                return
            }
        case .invalid, .value(.list, _), .value(.map, _), .value(.bytes, _): break
        case .value(let other, _):
            throw fail("range can't iterate over \(other.formatted)")
        }
        if let elseList = branch.elseList { try walkList(dot, elseList) }
    }

    private func walkTemplate(_ dot: Operand, _ node: Node, _ name: String, _ pipe: Pipe?) throws {
        at(.node(node))
        guard let called = set.template(named: name) else { throw fail("template \(GoQuote.quote(name)) not defined") }
        if depth >= set.limits.maxDepth { throw fail("exceeded maximum template depth (\(set.limits.maxDepth))") }
        let newDot = try pipe.map { pipe throws in try evalPipeline(dot, pipe) } ?? .invalid
        let savedTemplate = template
        let savedVariables = variables
        template = called
        variables = [("$", newDot)]
        depth += 1
        defer {
            template = savedTemplate
            variables = savedVariables
            depth -= 1
        }
        try walkList(newDot, called.root)
    }
}
