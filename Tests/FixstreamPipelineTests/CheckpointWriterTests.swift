import FixstreamPipeline
import Testing

struct CheckpointWriterTests {
    @Test func everyValueReadsBackAsWritten() throws {
        var writer = CheckpointWriter()
        writer.writeVersion(3)
        writer.write(UInt8(200))
        writer.write(true)
        writer.write(false)
        let integers: [Int64] = [0, 1, -1, 63, -64, 64, 1_795_255_200_000, -1_795_255_200_000, 1 << 53, -(1 << 53)]
        for value in integers { writer.write(value) }
        writer.write(42)
        writer.write(count: 30)
        writer.write(bits: 0x8000_0000_0000_0001)
        writer.write(47.376_9)
        writer.write(-0.0)
        writer.write(Float(3.25))
        writer.write("Zürich depot")
        writer.write("")
        writer.write(Int64?.none)
        writer.write(Int64?.some(-7))
        writer.write(Double?.none)
        writer.write(Double?.some(1.5))

        var reader = CheckpointReader(writer.bytes)
        #expect(try reader.readVersion(1 ... 3) == 3)
        #expect(try reader.readByte() == 200)
        #expect(try reader.readBool())
        #expect(try !reader.readBool())
        for value in integers { #expect(try reader.readInt64() == value) }
        #expect(try reader.readInt() == 42)
        #expect(try reader.readCount() == 30)
        #expect(try reader.readBits() == 0x8000_0000_0000_0001)
        #expect(try reader.readDouble() == 47.376_9)
        #expect(try reader.readDouble().sign == .minus)
        #expect(try reader.readFloat() == 3.25)
        #expect(try reader.readString() == "Zürich depot")
        #expect(try reader.readString() == "")
        #expect(try reader.readOptionalInt64() == nil)
        #expect(try reader.readOptionalInt64() == -7)
        #expect(try reader.readOptionalDouble() == nil)
        #expect(try reader.readOptionalDouble() == 1.5)
        try reader.expectEnd()
    }

    @Test func smallIntegersTakeOneByteAndTimesSix() {
        var writer = CheckpointWriter()
        writer.write(Int64(-64))
        #expect(writer.count == 1)
        writer.write(Int64(1_795_255_200_000))
        #expect(writer.count == 7)
    }

    @Test func sectionsAreReadWholeOrSkipped() throws {
        var writer = CheckpointWriter()
        let length = writer.section { section in
            section.write("inside")
            section.write(Int64(99))
        }
        #expect(length == 9)
        writer.section { _ in }
        writer.write(Int64(5))

        var reader = CheckpointReader(writer.bytes)
        var first = try reader.readSection()
        #expect(try first.readString() == "inside")
        #expect(try first.readInt64() == 99)
        try first.expectEnd()
        let second = try reader.readSection()
        #expect(second.isAtEnd)
        #expect(try reader.readInt64() == 5)
        try reader.expectEnd()
    }

    @Test func truncateTakesBackWhatWasWritten() {
        var writer = CheckpointWriter()
        writer.write("kept")
        let mark = writer.count
        writer.write("dropped")
        writer.truncate(to: mark)
        #expect(writer.bytes == [4] + Array("kept".utf8))
        writer.removeAll()
        #expect(writer.bytes.isEmpty)
    }
}
