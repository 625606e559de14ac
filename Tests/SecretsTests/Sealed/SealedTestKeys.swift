import Foundation
import Secrets

/// Sealing keys made once for the sealed-secret tests (2048 bits: generation is slow in a debug build).
enum SealedTestKeys {
    static let first = try! SealingKeyPair.generate(bits: 2048)
    static let second = try! SealingKeyPair.generate(bits: 2048)
}
