import Foundation

/// A Kubernetes resource quantity (`100m`, `1.5Gi`, `2e3`) reduced to an exact decimal value,
/// so that `1000m` equals `1` and `1Gi` equals `1024Mi`.
public struct Quantity: Sendable, Hashable {
    /// The value in base units.
    public let value: Decimal

    private static let binary: [String: Decimal] = [
        "Ki": pow(2, 10), "Mi": pow(2, 20), "Gi": pow(2, 30), "Ti": pow(2, 40), "Pi": pow(2, 50), "Ei": pow(2, 60),
    ]
    private static let decimal: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]

    /// Parses the canonical quantity syntax; `nil` when `text` is not a quantity.
    public init?(_ text: String) {
        let trimmed = Substring(text)
        let numberEnd = trimmed.firstIndex { !("0123456789.+-".contains($0)) } ?? trimmed.endIndex
        let number = trimmed[..<numberEnd]
        let suffix = String(trimmed[numberEnd...])
        guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number.dropFirst().allSatisfy({ $0 != "+" && $0 != "-" }),
            number.contains(where: \.isNumber), let base = Decimal(string: String(number), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        if let factor = Self.binary[suffix] {
            value = base * factor
        } else if let exponent = Self.decimal[suffix] {
            value = base * Self.pow(10, exponent)
        } else if let first = suffix.first, first == "e" || first == "E", let exponent = Int(suffix.dropFirst()), abs(exponent) < 100 {
            value = base * Self.pow(10, exponent)
        } else {
            return nil
        }
    }

    private static func pow(_ base: Decimal, _ exponent: Int) -> Decimal {
        exponent >= 0 ? Foundation.pow(base, exponent) : 1 / Foundation.pow(base, -exponent)
    }
}
