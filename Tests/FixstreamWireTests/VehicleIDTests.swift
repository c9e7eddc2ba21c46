import FixstreamWire
import Testing

struct VehicleIDTests {
    /// The word-at-a-time check accepts exactly what the byte rule accepts, whatever the byte, its place in its
    /// word and the length of the last word.
    @Test(arguments: [1, 2, 7, 8, 9, 15, 16, 17, 24, 33, 41, 47, 48])
    func validationMatchesTheByteRule(length: Int) {
        for position in 0 ..< length {
            for value in 0 ... 255 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                bytes[position] = UInt8(value)
                let made = bytes.withUnsafeBytes { VehicleID(validating: $0) }
                #expect((made != nil) == VehicleID.isIDByte(UInt8(value)), "byte \(value) at \(position) of \(length)")
                if let made {
                    #expect(made.withUnsafeBytes { Array($0) } == bytes)
                }
            }
        }
    }

    @Test func emptyAndTooLongAreRefused() {
        #expect([UInt8]().withUnsafeBytes { VehicleID(validating: $0) } == nil)
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: VehicleID.capacity + 1)
        #expect(long.withUnsafeBytes { VehicleID(validating: $0) } == nil)
    }

    @Test func unkeyedHashIsTheSameForEqualIdsAndSpreadsCommonPrefixes() {
        #expect(VehicleID("van-7")!.unkeyedHash == VehicleID("van-7")!.unkeyedHash)
        // Ids that differ only in their last bytes, in each of the six words: the top 12 bits (an index into
        // 4,096 entries) take many values.
        for prefixLength in [0, 8, 16, 24, 32, 40] {
            let prefix = String(repeating: "p", count: prefixLength)
            let entries = Set((0 ..< 1_000).map { VehicleID("\(prefix)\($0)")!.unkeyedHash >> 52 })
            #expect(entries.count > 600, "prefix of \(prefixLength) bytes: \(entries.count) entries")
        }
    }
}
