import Synchronization

/// A Go map: a reference, as Go's maps are. A template that changes a map (`set`, `unset`,
/// `merge`) changes it for every holder: `set .Values "k" v` in one file is seen by the files
/// Helm renders after it, and a partial's `set . "k" v` by its caller.
///
/// Two `GoMap`s may share their entries under different types, as Go's conversions do: a
/// subchart's `.Values` (`common.Values`) is its parent's `.Values.sub` (`map[string]interface {}`).
///
/// A map is changed only by the one execution that holds it. Maps that several threads read at
/// once are frozen first (`freeze(_:)`): changing a frozen map throws `SharedMapChange` and
/// marks the `MapFreeze`, and the caller runs again on one thread.
public struct GoMap: Sendable {
    /// The entries, shared by every copy of this map.
    final class Storage: @unchecked Sendable {
        var entries: [String: Value]
        var freeze: MapFreeze?
        init(_ entries: [String: Value]) { self.entries = entries }
    }

    let storage: Storage
    /// The static element type (`interface {}` for values and `dict`, `string` for `splitn`).
    public let element: GoType
    /// A named map type (`common.Values`) that `%T` and `typeOf` print instead of `map[string]T`.
    public let name: GoType?

    /// Creates a map of new entries.
    public init(_ entries: [String: Value] = [:], element: GoType = .interface, name: GoType? = nil) {
        self.storage = Storage(entries)
        self.element = element
        self.name = name
    }

    init(storage: Storage, element: GoType, name: GoType?) {
        self.storage = storage
        self.element = element
        self.name = name
    }

    /// The same entries seen as another named type (Go's `common.Values(m)`), shared with this map.
    public func named(_ name: GoType?) -> GoMap { GoMap(storage: storage, element: element, name: name) }

    /// The entries.
    public var entries: [String: Value] { storage.entries }

    /// The entry of `key`, if any.
    public subscript(key: String) -> Value? { storage.entries[key] }

    /// The dynamic type as `%T` prints it.
    public var goType: GoType { name ?? GoType("map[string]\(element.name)") }

    /// Whether both hold the same entries (Go's map identity).
    public func isSame(as other: GoMap) -> Bool { storage === other.storage }

    /// Sets `key` to `value` in place, as Go's `m[key] = value`.
    public func set(_ key: String, _ value: Value) throws(SharedMapChange) {
        try checkNotFrozen()
        storage.entries[key] = value
    }

    /// Removes `key` in place, as Go's `delete(m, key)`.
    public func remove(_ key: String) throws(SharedMapChange) {
        try checkNotFrozen()
        storage.entries[key] = nil
    }

    private func checkNotFrozen() throws(SharedMapChange) {
        if let freeze = storage.freeze {
            freeze.changeAttempted.store(true, ordering: .releasing)
            throw SharedMapChange()
        }
    }

    /// Freezes this map and every map reachable from it through maps and lists under `freeze`, or
    /// thaws them (nil). A map already in that state is not walked again: nothing is added to a
    /// frozen map, so what it holds is frozen too.
    public func freeze(_ freeze: MapFreeze?) {
        var pending: [GoMap] = [self]
        while let map = pending.popLast() {
            guard map.storage.freeze !== freeze else { continue }
            map.storage.freeze = freeze
            for value in map.storage.entries.values { value.collectMaps(into: &pending) }
        }
    }
}

/// Maps frozen together while threads read them, and whether a template tried to change one.
public final class MapFreeze: Sendable {
    let changeAttempted = Atomic<Bool>(false)

    /// Creates a freeze.
    public init() {}

    /// Whether a template tried to change a map of this freeze (even if its error was then lost).
    public var wasChangeAttempted: Bool { changeAttempted.load(ordering: .acquiring) }
}

/// A template changed a map that threads were reading at once; run again on one thread.
public struct SharedMapChange: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "a map shared by templates rendering at once was changed" }
}

extension Value {
    /// How deep a walk of nested maps and lists goes before it takes them for a map that holds
    /// itself (`set $d "self" $d`), as Go's JSON encoder starts looking for cycles after 1,000
    /// levels: a walk stops there with an error instead of exhausting the stack.
    public static let maximumNesting = 1000

    /// Whether a map or list holds itself, directly or deeper (`set $d "self" $d`). Walks that
    /// have no limit of their own (printing, comparing, merging) check this first, so that such a
    /// value fails or prints a mark instead of recursing without end.
    public var holdsItself: Bool {
        switch self {
        case .map, .list: break
        default: return false  // most values printed are scalars: no walk set up for them
        }
        var onPath = Set<ObjectIdentifier>()
        var cleared = Set<ObjectIdentifier>()
        func visit(_ value: Value) -> Bool {
            switch value {
            case .map(let map):
                let id = ObjectIdentifier(map.storage)
                if onPath.contains(id) { return true }
                if cleared.contains(id) { return false }
                onPath.insert(id)
                for entry in map.entries.values where visit(entry) { return true }
                onPath.remove(id)
                cleared.insert(id)
                return false
            case .list(let items, _): return items.contains(where: visit)
            default: return false
            }
        }
        return visit(self)
    }

    /// What the printers write for a value that holds itself (Go's `fmt` never returns there).
    static let cycleMark = "<a map that holds itself>"

    /// A `map[string]T` of new entries.
    public static func map(_ entries: [String: Value], element: GoType = .interface) -> Value {
        .map(GoMap(entries, element: element))
    }

    /// The maps directly inside this value (itself, or a list's).
    fileprivate func collectMaps(into pending: inout [GoMap]) {
        switch self {
        case .map(let map): pending.append(map)
        case .list(let items, _): for item in items { item.collectMaps(into: &pending) }
        default: break
        }
    }

    /// A copy that shares no map with this value, where a map held twice is copied once and held
    /// twice (Helm copies values before a render, so that a template's `set` reaches neither the
    /// chart nor the caller's values, while a subchart's globals stay its parent's).
    public func deepCopied() -> Value {
        var copies: [ObjectIdentifier: GoMap.Storage] = [:]
        return deepCopied(&copies)
    }

    private func deepCopied(_ copies: inout [ObjectIdentifier: GoMap.Storage]) -> Value {
        switch self {
        case .map(let map):
            let id = ObjectIdentifier(map.storage)
            if let copy = copies[id] { return .map(GoMap(storage: copy, element: map.element, name: map.name)) }
            // Registered before its entries are copied, so a map that holds itself ends.
            let copy = GoMap.Storage([:])
            copies[id] = copy
            copy.entries = map.entries.mapValues { $0.deepCopied(&copies) }
            return .map(GoMap(storage: copy, element: map.element, name: map.name))
        case .list(let items, let element):
            return .list(items.map { $0.deepCopied(&copies) }, element: element)
        default: return self
        }
    }
}

extension Value {
    /// A map's entries, or nil for any other value.
    public var mapEntries: [String: Value]? {
        if case .map(let map) = self { return map.entries }
        return nil
    }
}
