/// SHA-256 (FIPS 180-4), incremental: ``update(_:)`` any number of times, then ``finalize()``.
///
/// Used to sign webhook bodies (with ``HMACSHA256``). Pure Swift, no allocation per block.
public struct SHA256: Sendable {
    /// Bytes of a digest.
    public static let digestCount = 32
    /// Bytes of a block (what HMAC pads keys to).
    public static let blockCount = 64

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// The partial block not yet compressed, and how many of its bytes are filled.
    private var pending = [UInt8](repeating: 0, count: SHA256.blockCount)
    private var pendingCount = 0
    private var totalBytes: UInt64 = 0

    /// A fresh hash.
    public init() {}

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Adds `bytes` to the message.
    ///
    /// Contiguous input (an array, a slice of one) is hashed in place, block by block; any other sequence byte
    /// by byte through the pending block.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        guard contiguous == nil else { return }
        var count: UInt64 = 0
        for byte in bytes {
            pending[pendingCount] = byte
            pendingCount += 1
            count += 1
            if pendingCount == Self.blockCount {
                compressPending()
                pendingCount = 0
            }
        }
        totalBytes &+= count
    }

    /// Adds the bytes of `buffer`: whole blocks straight from it, the rest through the pending block.
    private mutating func update(_ buffer: UnsafeRawBufferPointer) {
        totalBytes &+= UInt64(buffer.count)
        var offset = 0
        if pendingCount > 0 {
            let taken = min(Self.blockCount - pendingCount, buffer.count)
            for index in 0 ..< taken { pending[pendingCount + index] = buffer[index] }
            pendingCount += taken
            offset = taken
            guard pendingCount == Self.blockCount else { return }
            compressPending()
            pendingCount = 0
        }
        while buffer.count - offset >= Self.blockCount {
            Self.compress(&state, UnsafeRawBufferPointer(rebasing: buffer[offset ..< offset + Self.blockCount]))
            offset += Self.blockCount
        }
        for index in offset ..< buffer.count { pending[index - offset] = buffer[index] }
        pendingCount = buffer.count - offset
    }

    /// The 32-byte digest. The hash is spent afterwards (start a new one for another message).
    public mutating func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        pending[pendingCount] = 0x80
        pendingCount += 1
        if pendingCount > Self.blockCount - 8 {
            for index in pendingCount ..< Self.blockCount { pending[index] = 0 }
            compressPending()
            pendingCount = 0
        }
        for index in pendingCount ..< Self.blockCount - 8 { pending[index] = 0 }
        for index in 0 ..< 8 {
            pending[Self.blockCount - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> (8 * index))
        }
        compressPending()
        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestCount)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            digest.append(contentsOf: [
                UInt8(word >> 24), UInt8(word >> 16 & 0xff), UInt8(word >> 8 & 0xff), UInt8(word & 0xff),
            ])
        }
        return digest
    }

    private mutating func compressPending() {
        pending.withUnsafeBytes { Self.compress(&state, $0) }
    }

    /// Runs the compression function on one 64-byte block, updating `state`.
    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ block: UnsafeRawBufferPointer
    ) {
        var schedule = (
            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0)
        )
        withUnsafeMutableBytes(of: &schedule) { raw in
            let words = raw.bindMemory(to: UInt32.self)
            for index in 0 ..< 16 {
                words[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
            }
            roundConstants.withUnsafeBufferPointer { constants in
                var (a, b, c, d, e, f, g, h) = state
                for round in 0 ..< 64 {
                    let word: UInt32
                    if round < 16 {
                        word = words[round]
                    } else {
                        // The schedule as a ring of 16 words: w[t] = σ1(w[t-2]) + w[t-7] + σ0(w[t-15]) + w[t-16].
                        let w15 = words[(round - 15) & 15]
                        let w2 = words[(round - 2) & 15]
                        let sigma0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 >> 3)
                        let sigma1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 >> 10)
                        word = sigma1 &+ words[(round - 7) & 15] &+ sigma0 &+ words[round & 15]
                        words[round & 15] = word
                    }
                    let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
                    let choice = (e & f) ^ (~e & g)
                    let temp1 = h &+ sum1 &+ choice &+ constants[round] &+ word
                    let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let temp2 = sum0 &+ majority
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
                }
                state = (
                    state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f,
                    state.6 &+ g, state.7 &+ h
                )
            }
        }
    }
}

@inline(__always)
private func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
    value >> count | value << (32 - count)
}
