/// A minimal reader of the tar formats `helm package` and common tools write: ustar with its
/// name prefix, GNU long names (`L`) and PAX extended headers (`path`, `size`).
///
/// Only regular files are returned; directories are skipped, and links or device entries are
/// refused (Helm would load them as empty files; Keelson does not read what it cannot vouch for).
struct TarReader {
    /// A regular file of the archive.
    struct Entry {
        /// The name as recorded in the archive.
        var name: String
        /// The file's contents.
        var data: ArraySlice<UInt8>
    }

    /// The most entries (of any type) one archive may hold.
    var maximumEntries: Int

    /// The regular files of the tar stream `bytes`, in archive order.
    func entries(_ bytes: [UInt8]) throws(ChartError) -> [Entry] {
        var result: [Entry] = []
        var offset = 0
        var longName: String?
        var paxPath: String?
        var paxSize: Int?
        var count = 0
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { break }
            count += 1
            guard count <= maximumEntries else {
                throw ChartError(.tooLarge, "chart archive has more than the maximum of \(maximumEntries) entries")
            }
            guard Self.checksumMatches(header) else { throw ChartError(.invalidArchive, "archive/tar: invalid tar header") }
            let type = header[header.startIndex + 156]
            var size = try Self.number(header, at: 124, length: 12)
            if let paxSize, type != UInt8(ascii: "x"), type != UInt8(ascii: "g") { size = paxSize }
            let dataStart = offset + 512
            guard size >= 0, dataStart + size <= bytes.count else { throw ChartError(.invalidArchive, "unexpected EOF") }
            let data = bytes[dataStart..<dataStart + size]
            offset = dataStart + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = Self.string(data)
                continue
            case UInt8(ascii: "x"):
                let records = Self.paxRecords(data)
                paxPath = records["path"]
                paxSize = records["size"].flatMap { Int($0) }
                continue
            case UInt8(ascii: "g"), UInt8(ascii: "K"):
                continue
            default:
                break
            }
            var name = Self.string(header[header.startIndex..<header.startIndex + 100])
            if Self.string(header[header.startIndex + 257..<header.startIndex + 262]) == "ustar" {
                let prefix = Self.string(header[header.startIndex + 345..<header.startIndex + 500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            if let long = paxPath ?? longName { name = long }
            (longName, paxPath, paxSize) = (nil, nil, nil)
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                if name.hasSuffix("/") { continue }
                result.append(Entry(name: name, data: data))
            case UInt8(ascii: "5"):
                continue
            default:
                throw ChartError(.invalidArchive, "chart archive entry \(name) is not a regular file or directory", path: name)
            }
        }
        return result
    }

    private static func checksumMatches(_ header: ArraySlice<UInt8>) -> Bool {
        guard let recorded = try? number(header, at: 148, length: 8) else { return false }
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return sum == recorded
    }

    /// An octal field, or a base-256 one (high bit set) as GNU tar writes large sizes.
    private static func number(_ header: ArraySlice<UInt8>, at offset: Int, length: Int) throws(ChartError) -> Int {
        let field = header[(header.startIndex + offset)..<(header.startIndex + offset + length)]
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x7F)
            for byte in field.dropFirst() {
                guard value < Int.max >> 9 else { throw ChartError(.invalidArchive, "archive/tar: invalid tar header") }
                value = value << 8 | Int(byte)
            }
            return value
        }
        let text = String(decoding: field.filter { $0 != 0 && $0 != 0x20 }, as: UTF8.self)
        if text.isEmpty { return 0 }
        guard let value = Int(text, radix: 8) else { throw ChartError(.invalidArchive, "archive/tar: invalid tar header") }
        return value
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// `LENGTH KEY=VALUE\n` records.
    private static func paxRecords(_ data: ArraySlice<UInt8>) -> [String: String] {
        var records: [String: String] = [:]
        var rest = data
        while let space = rest.firstIndex(of: 0x20), let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)),
            length > 0, rest.startIndex + length <= rest.endIndex
        {
            let record = rest[(space + 1)..<(rest.startIndex + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                records[String(decoding: record[..<equals], as: UTF8.self)] = String(decoding: record[(equals + 1)...], as: UTF8.self)
            }
            rest = rest[(rest.startIndex + length)...]
        }
        return records
    }
}
