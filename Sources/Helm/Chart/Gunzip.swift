import CZlib

/// Decompresses a gzip stream with zlib, refusing output beyond a cap (a gzip bomb stops there).
enum Gunzip {
    /// The decompressed bytes of `data`; concatenated gzip members are read one after another, as
    /// Go's `gzip.Reader` does.
    static func decompress(_ data: [UInt8], maximumBytes: Int) throws(ChartError) -> [UInt8] {
        guard data.count >= 10 else { throw ChartError(.invalidArchive, "unexpected EOF") }
        guard data[0] == 0x1F, data[1] == 0x8B, data[2] == 0x08 else {
            throw ChartError(.invalidArchive, "gzip: invalid header")
        }
        var output: [UInt8] = []
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ChartError(.invalidArchive, "gzip: cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var offset = 0
        while offset < data.count {
            let status: Int32 = data.withUnsafeBufferPointer { input in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                stream.avail_in = UInt32(data.count - offset)
                var result = Z_OK
                repeat {
                    result = chunk.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        let code = inflate(&stream, Z_NO_FLUSH)
                        output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                        return code
                    }
                    if output.count > maximumBytes { return Z_BUF_ERROR - 100 }
                } while result == Z_OK && stream.avail_out == 0
                offset = data.count - Int(stream.avail_in)
                return result
            }
            switch status {
            case Z_STREAM_END:
                // Another member may follow (trailing zero padding is tolerated).
                guard offset < data.count, data[offset...].contains(where: { $0 != 0 }) else { return output }
                guard inflateReset(&stream) == Z_OK else { throw ChartError(.invalidArchive, "gzip: invalid header") }
            case Z_OK, Z_BUF_ERROR:
                if status == Z_BUF_ERROR || offset >= data.count { throw ChartError(.invalidArchive, "unexpected EOF") }
            case Z_BUF_ERROR - 100:
                throw ChartError(.tooLarge, "decompressed chart is larger than the maximum size \(maximumBytes)")
            case Z_DATA_ERROR:
                throw ChartError(.invalidArchive, "gzip: invalid compressed data")
            default:
                throw ChartError(.invalidArchive, "gzip: decompression failed (zlib \(status))")
            }
        }
        throw ChartError(.invalidArchive, "unexpected EOF")
    }
}
