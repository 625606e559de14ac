/// The bytes of ASCII text read as the Unicode scalars they are: code that walks a string scalar
/// by scalar, with random access, reads most strings this way without an array of their scalars.
struct ASCIIScalars: RandomAccessCollection {
    let bytes: UnsafeBufferPointer<UInt8>

    var startIndex: Int { 0 }
    var endIndex: Int { bytes.count }
    subscript(position: Int) -> Unicode.Scalar { Unicode.Scalar(bytes[position]) }

    /// `body` of the scalars of `text`; nil when `text` is not ASCII or its bytes are not contiguous.
    static func reading<Result>(_ text: String, _ body: (ASCIIScalars) -> Result) -> Result? {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? body(ASCIIScalars(bytes: bytes)) : nil
        } ?? nil
    }
}

extension String {
    /// `unicodeScalars.count`, counted on the bytes: every scalar has one byte that is not a
    /// continuation byte.
    var scalarCount: Int {
        utf8.withContiguousStorageIfAvailable { bytes in bytes.count - bytes.count { $0 & 0xC0 == 0x80 } } ?? unicodeScalars.count
    }
}
