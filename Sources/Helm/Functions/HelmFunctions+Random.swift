import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's random functions, drawing every byte from `random`.
    static func randoms(_ random: any RandomSource) -> [String: GoFunction] {
        func string(_ name: String, _ alphabet: [Character]) -> GoFunction {
            GoFunction([.int]) { a, context in
                let count = a[0].integer
                guard count > 0 else { return .string("") }
                return .string(
                    String((0..<count).map { _ in alphabet[random.uniform(alphabet.count, template: context.templateName, purpose: name)] }))
            }
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let digits = Array("0123456789")
        return [
            "randAlphaNum": string("randAlphaNum", letters + digits),
            "randAlpha": string("randAlpha", letters),
            "randNumeric": string("randNumeric", digits),
            "randAscii": string("randAscii", (32...126).map { Character(Unicode.Scalar(UInt8($0))) }),
            "randBytes": GoFunction([.int]) { a, context in
                guard a[0].integer >= 0 else { throw GoFunctionError("runtime error: makeslice: len out of range") }
                return .string(Data(random.bytes(a[0].integer, template: context.templateName, purpose: "randBytes")).base64EncodedString())
            },
            "randInt": GoFunction([.int, .int]) { a, context in
                let (low, high) = (a[0].integer, a[1].integer)
                guard high > low else { throw GoFunctionError("invalid argument to Intn") }
                return .int(low + random.uniform(high - low, template: context.templateName, purpose: "randInt"))
            },
            "uuidv4": GoFunction([]) { _, context in
                var bytes = random.bytes(16, template: context.templateName, purpose: "uuidv4")
                bytes[6] = bytes[6] & 0x0F | 0x40
                bytes[8] = bytes[8] & 0x3F | 0x80
                let text = hex(bytes)
                let cuts = [8, 12, 16, 20]
                var out = ""
                for (index, character) in text.enumerated() {
                    if cuts.contains(index) { out += "-" }
                    out.append(character)
                }
                return .string(out)
            },
            "shuffle": GoFunction([.string]) { a, context in
                var scalars = Array(a[0].text.unicodeScalars)
                for index in stride(from: scalars.count - 1, to: 0, by: -1) {
                    scalars.swapAt(index, random.uniform(index + 1, template: context.templateName, purpose: "shuffle"))
                }
                return .string(String(String.UnicodeScalarView(scalars)))
            },
        ]
    }
}
