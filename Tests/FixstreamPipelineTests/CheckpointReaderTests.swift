import FixstreamPipeline
import Testing

struct CheckpointReaderTests {
    private func error(_ bytes: [UInt8], _ read: (inout CheckpointReader) throws -> Void) -> CheckpointError? {
        var reader = CheckpointReader(bytes)
        do {
            try read(&reader)
            return nil
        } catch let error as CheckpointError {
            return error
        } catch {
            return nil
        }
    }

    @Test func everyPrefixOfACheckpointIsTruncated() {
        var writer = CheckpointWriter()
        writer.write(Int64(1_795_255_200_000))
        writer.write(8.5)
        writer.write(Float(2))
        writer.write("fence-17")
        writer.write(bits: 77)
        writer.section { $0.write(Int64(3)) }
        let bytes = writer.bytes
        for length in 0 ..< bytes.count {
            let failure = error(Array(bytes[0 ..< length])) { reader in
                _ = try reader.readInt64()
                _ = try reader.readDouble()
                _ = try reader.readFloat()
                _ = try reader.readString()
                _ = try reader.readBits()
                _ = try reader.readSection()
            }
            #expect(failure?.code == .truncated, "prefix of \(length) bytes")
        }
    }

    @Test func garbageValuesAreMalformed() {
        #expect(error([2]) { _ = try $0.readBool() }?.code == .malformed)
        let nan = Double.nan.bitPattern
        #expect(
            error((0 ..< 8).map { UInt8(truncatingIfNeeded: nan >> ($0 * 8)) }) { _ = try $0.readDouble() }?.code
                == .malformed
        )
        #expect(error([0, 0, 0x80, 0x7F]) { _ = try $0.readFloat() }?.code == .malformed)  // +infinity
        #expect(
            error([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { _ = try $0.readInt64() }?.code
                == .malformed
        )
        #expect(
            error([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) { _ = try $0.readInt64() }?.code
                == .malformed
        )
        var big = CheckpointWriter()
        big.write(Int64(1) << 54)
        #expect(error(big.bytes) { _ = try $0.readInt64() }?.code == .malformed)
        #expect(error([200, 1, 2, 3]) { _ = try $0.readCount() }?.code == .truncated)
        #expect(error([3, 1, 2, 3]) { _ = try $0.readCount(minimumSize: 2) }?.code == .truncated)
        #expect(error([3, 1, 2, 3]) { _ = try $0.readCount(minimumSize: 1) } == nil)
        #expect(error([2, 0xC3, 0x28]) { _ = try $0.readString() }?.code == .malformed)
        #expect(error([9, 0, 0, 0, 1]) { _ = try $0.readSection() }?.code == .truncated)
        #expect(
            error([1, 0]) { reader in
                _ = try reader.readByte()
                try reader.expectEnd()
            }?.code == .malformed
        )
    }

    @Test func anUnknownVersionIsRefusedWithTheVersionsKnown() throws {
        let failure = error([7]) { _ = try $0.readVersion(1 ... 2) }
        #expect(failure?.code == .unsupportedVersion)
        #expect(failure?.offset == 0)
        #expect(failure?.description == "unsupported_version at byte 0: format version 7; this build reads 1 to 2")
        #expect(error([0]) { _ = try $0.readVersion(1 ... 1) }?.code == .unsupportedVersion)
    }

    @Test func randomBytesNeverTrap() {
        var state: UInt64 = 0x1234_5678
        for _ in 0 ..< 5_000 {
            var bytes: [UInt8] = []
            state = state &* 6_364_136_223_846_793_005 &+ 1
            for _ in 0 ..< Int(state >> 60) + 1 {
                state = state &* 6_364_136_223_846_793_005 &+ 1
                bytes.append(UInt8(truncatingIfNeeded: state >> 56))
            }
            _ = error(bytes) { reader in
                while !reader.isAtEnd {
                    _ = try reader.readOptional { reader throws(CheckpointError) in try reader.readString() }
                    _ = try reader.readInt64()
                    var section = try reader.readSection()
                    _ = try section.readCount(minimumSize: 4)
                    _ = try reader.readFloat()
                }
            }
        }
    }
}
