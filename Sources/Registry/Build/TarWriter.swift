import Foundation

/// A tar archive (POSIX ustar, with PAX records for long names) written the same way every time:
/// entries in the order given, modification time `modificationTime`, owner and group 0 with no
/// names, so equal trees give equal bytes, and equal image layer digests.
public enum TarWriter {
    /// One archive entry; paths are relative (`usr/local/bin/keelson`), without a leading slash.
    public enum Entry: Sendable, Hashable {
        case directory(path: String, mode: Int)
        case file(path: String, mode: Int, contents: [UInt8])
        case symlink(path: String, target: String)

        /// The entry's path.
        public var path: String {
            switch self {
            case .directory(let path, _), .file(let path, _, _), .symlink(let path, _): path
            }
        }
    }

    /// The archive of `entries`, ended by two zero blocks.
    public static func archive(_ entries: [Entry], modificationTime: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            switch entry {
            case .directory(let path, let mode):
                append(
                    header(path: path.hasSuffix("/") ? path : path + "/", mode: mode, size: 0, type: "5", link: "", time: modificationTime), to: &out)
            case .file(let path, let mode, let contents):
                append(header(path: path, mode: mode, size: contents.count, type: "0", link: "", time: modificationTime), to: &out)
                out += contents
                out += [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
            case .symlink(let path, let target):
                append(header(path: path, mode: 0o777, size: 0, type: "2", link: target, time: modificationTime), to: &out)
            }
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// The header blocks of one entry: a PAX record block first when the path or link target do
    /// not fit ustar's fields.
    private static func header(path: String, mode: Int, size: Int, type: Character, link: String, time: Int) -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        var records: [(String, String)] = []
        if Array(path.utf8).count > 100 { records.append(("path", path)) }
        if Array(link.utf8).count > 100 { records.append(("linkpath", link)) }
        if !records.isEmpty {
            var body: [UInt8] = []
            for (key, value) in records { body += record(key, value) }
            blocks.append(ustar(name: "PaxHeaders/" + String(path.suffix(80)), mode: 0o644, size: body.count, type: "x", link: "", time: time))
            var padded = body
            padded += [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
            blocks.append(padded)
        }
        blocks.append(ustar(name: path, mode: mode, size: size, type: type, link: link, time: time))
        return blocks
    }

    /// One PAX record, `LENGTH key=value\n`, whose length counts itself.
    private static func record(_ key: String, _ value: String) -> [UInt8] {
        let rest = " \(key)=\(value)\n"
        var length = Array(rest.utf8).count + 1
        while Array(String(length).utf8).count + Array(rest.utf8).count > length { length += 1 }
        return Array((String(length) + rest).utf8)
    }

    /// A ustar header block; names longer than the field are cut (a PAX record carries them).
    private static func ustar(name: String, mode: Int, size: Int, type: Character, link: String, time: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int, width: Int) {
            for (index, byte) in bytes.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(Array(name.utf8), at: 0, width: 100)
        put(octal(mode & 0o7777, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(size, width: 12), at: 124, width: 12)
        put(octal(time, width: 12), at: 136, width: 12)
        put([UInt8](repeating: 0x20, count: 8), at: 148, width: 8)
        put(Array(String(type).utf8), at: 156, width: 1)
        put(Array(link.utf8), at: 157, width: 100)
        put(Array("ustar\u{0}00".utf8), at: 257, width: 8)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(Array(String(format: "%06o", sum).utf8) + [0, 0x20], at: 148, width: 8)
        return block
    }

    private static func append(_ blocks: [[UInt8]], to out: inout [UInt8]) {
        for block in blocks { out += block }
    }
}
