import Crypto
import Foundation
import GoTemplate
import Synchronization

/// Where Sprig's random functions (`randAlphaNum`, `uuidv4`, `genCA`, `bcrypt`'s salt...) draw their bytes.
///
/// Helm draws from the operating system, so every render differs; Keelson renders deterministically with a
/// ``SeededRandomSource`` so that an unchanged revision renders the same bytes and stays in sync.
public protocol RandomSource: Sendable {
    /// `count` random bytes for one call of a function in the template `template`; `purpose` names the
    /// function and what the bytes are for (`randAlphaNum`, `genCA.key`).
    func bytes(_ count: Int, template: String, purpose: String) -> [UInt8]

    /// Whether the bytes a call gets depend on the calls made before it in other template files
    /// (a seeded source counts the calls of each named template, and files include the same
    /// helpers): a render then executes its files one at a time, in Helm's order.
    var dependsOnCallOrder: Bool { get }
}

/// The operating system's random bytes, as Helm uses.
public struct SystemRandomSource: RandomSource {
    /// Creates the source.
    public init() {}

    /// Fresh bytes every time: no order to keep.
    public var dependsOnCallOrder: Bool { false }

    public func bytes(_ count: Int, template: String, purpose: String) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Bytes derived from a secret seed: HMAC-SHA256(seed, template, call index, purpose, block) in counter mode.
///
/// The call index counts the calls each template makes, so one source serves exactly one render: the same
/// render asks the same questions in the same order and gets the same bytes, while a reader without the
/// seed cannot predict them.
///
/// ```swift
/// let random = SeededRandomSource(seed: applicationSeed)
/// let functions = HelmFunctions.sprig(random: random, clock: .fixed(revisionTime))
/// ```
public final class SeededRandomSource: RandomSource {
    private let seed: [UInt8]
    private let calls = Mutex<[String: Int]>([:])

    /// Creates a source for one render from the application's secret seed.
    public init(seed: [UInt8]) { self.seed = seed }

    /// The call index of a helper counts its calls from every file.
    public var dependsOnCallOrder: Bool { true }

    public func bytes(_ count: Int, template: String, purpose: String) -> [UInt8] {
        let index = calls.withLock { counts in
            defer { counts[template, default: 0] += 1 }
            return counts[template, default: 0]
        }
        let key = SymmetricKey(data: seed)
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var block: UInt64 = 0
        while out.count < count {
            var message = Data()
            for part in [template, String(index), purpose, String(block)] {
                message.append(contentsOf: withUnsafeBytes(of: UInt64(part.utf8.count).bigEndian, Array.init))
                message.append(contentsOf: Array(part.utf8))
            }
            out.append(contentsOf: HMAC<SHA256>.authenticationCode(for: message, using: key))
            block += 1
        }
        return Array(out.prefix(count))
    }
}

/// What `now` returns: the wall clock, or a fixed instant for deterministic renders.
public struct TemplateClock: Sendable {
    /// The current instant.
    public let now: @Sendable () -> Date

    /// A clock reading `now`.
    public init(_ now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system wall clock, as Helm uses.
    public static let system = TemplateClock { Date() }

    /// A clock that always reads `instant`.
    public static func fixed(_ instant: Date) -> TemplateClock { TemplateClock { instant } }
}

extension RandomSource {
    /// A uniform integer in `0..<bound` drawn without modulo bias.
    func uniform(_ bound: Int, template: String, purpose: String) -> Int {
        precondition(bound > 0)
        let limit = UInt64.max - UInt64.max % UInt64(bound)
        while true {
            let value = bytes(8, template: template, purpose: purpose).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value < limit { return Int(value % UInt64(bound)) }
        }
    }
}
