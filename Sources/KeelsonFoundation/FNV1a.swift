/// FNV-1a: a small, fast hash that is the same in every process and on every machine (unlike
/// Swift's `Hasher`, seeded per process). For names, digests of schemas and shard assignment;
/// never for security.
public enum FNV1a {
    /// The 32-bit hash of `bytes`.
    public static func hash32<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var value: UInt32 = 0x811c_9dc5
        for byte in bytes { value = (value ^ UInt32(byte)) &* 0x0100_0193 }
        return value
    }

    /// The 64-bit hash of `bytes`.
    public static func hash64<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return value
    }
}
