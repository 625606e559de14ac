import Foundation
import Helm

/// The values an ExternalSecret's `dataFrom` and `data` fetch, in ESO's order (`dataFrom` first,
/// `data` over it), decoded, with `dataFrom` keys rewritten and made valid Secret keys.
public struct FetchedData: Sendable {
    /// Secret key to value.
    public var values: [String: [UInt8]] = [:]
    /// The `data[].secretKey`s and `dataFrom` references whose secret no longer exists (only
    /// collected when `deletionPolicy` is not Retain; with Retain a missing secret is an error).
    public var missing: [String] = []
    /// Nothing fetched yet.
    public init() {}

    /// The largest total of values one ExternalSecret may fetch (a Secret holds at most 1 MiB).
    public static let maximumBytes = 1024 * 1024

    /// Fetches everything `externalSecret` names from `provider`.
    public static func fetch(_ externalSecret: ExternalSecret, from provider: any SecretStoreProvider) async throws(SecretStoreError) -> FetchedData {
        var fetched = FetchedData()
        let tolerateMissing = externalSecret.target.deletionPolicy != .retain
        for (index, item) in externalSecret.dataFrom.enumerated() {
            var found: [String: [UInt8]]
            var strategy: DecodingStrategy
            do {
                switch item.source {
                case .extract(let ref):
                    found = try await provider.values(extracting: ref)
                    strategy = ref.decodingStrategy
                case .find(let find):
                    found = try await provider.all(find: find)
                    strategy = find.decodingStrategy
                }
            } catch {
                guard error.code == .notFound && tolerateMissing else { throw error }
                fetched.missing.append("dataFrom[\(index)]")
                continue
            }
            for (key, value) in found {
                let name = SecretKey.converted(rewritten(key, item.rewrite))
                fetched.values[name] = try decode(value, strategy, key: key)
            }
        }
        for item in externalSecret.data {
            do {
                let value = try await provider.value(for: item.remoteRef)
                fetched.values[item.secretKey] = try decode(value, item.remoteRef.decodingStrategy, key: item.remoteRef.key)
            } catch {
                guard error.code == .notFound && tolerateMissing else { throw error }
                fetched.missing.append(item.secretKey)
            }
        }
        let total = fetched.values.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
        guard total <= maximumBytes else {
            throw SecretStoreError(code: .badValue, message: "the values fetched total \(total) bytes, more than a Secret's \(maximumBytes)")
        }
        return fetched
    }

    /// `key` with every rewrite applied in order.
    static func rewritten(_ key: String, _ rewrites: [ExternalSecret.Rewrite]) -> String {
        var key = key
        for rewrite in rewrites {
            guard let regex = TenantRegex.compile(rewrite.source), key.utf8.count <= TenantRegex.maximumInput else { continue }
            key = key.replacing(regex) { match in
                var out = rewrite.target
                // `$1`…`$9` stand for the groups, as Go's ReplaceAllString expands them.
                for index in stride(from: min(match.output.count - 1, 9), through: 0, by: -1) {
                    let group = match.output[index].substring.map(String.init) ?? ""
                    out = out.replacingOccurrences(of: "${\(index)}", with: group).replacingOccurrences(of: "$\(index)", with: group)
                }
                return out
            }
        }
        return key
    }

    /// The value decoded by `strategy`; the error names the key, never the value.
    static func decode(_ value: [UInt8], _ strategy: DecodingStrategy, key: String) throws(SecretStoreError) -> [UInt8] {
        switch strategy {
        case .none: return value
        case .base64, .base64URL, .auto:
            let text = String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            var standard = strategy == .base64 ? text : text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            if strategy == .base64URL || strategy == .auto { standard += String(repeating: "=", count: (4 - standard.count % 4) % 4) }
            if let data = Data(base64Encoded: standard) { return Array(data) }
            if strategy == .auto { return value }
            throw SecretStoreError(code: .badValue, key: key, message: "is not \(strategy.rawValue) (decodingStrategy \(strategy.rawValue))")
        }
    }
}
