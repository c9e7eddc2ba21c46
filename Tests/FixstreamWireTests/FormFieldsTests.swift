import FixstreamWire
import Testing

/// Form and query-string pairs: splitting, lookup, `+` and `%hh` decoding, malformed escapes and hostile input.
struct FormFieldsTests {
    @Test func iteratesPairsInOrderStillEncoded() {
        #expect(
            pairs("id=van%207&lat=46.5&&flag&=orphan&eq=a=b&")
                == [["id", "van%207"], ["lat", "46.5"], ["flag", ""], ["", "orphan"], ["eq", "a=b"]]
        )
        #expect(pairs("").isEmpty)
        #expect(pairs("&&&").isEmpty)
        #expect(pairs("a") == [["a", ""]])
        #expect(pairs("a=") == [["a", ""]])
    }

    @Test func findsTheFirstPairByDecodedName() {
        withBytes("x=1&lat=2&lat=3&%69d=7&sp+ace=4") { bytes in
            let fields = FormFields(bytes)
            #expect(fields.first(named: "lat").map { string($0.value) } == "2")
            #expect(fields.first(named: "id").map { string($0.value) } == "7")
            #expect(fields.first(named: "sp ace").map { string($0.value) } == "4")
            #expect(fields.first(named: "la") == nil)
            #expect(fields.first(named: "latitude") == nil)
            #expect(fields.first(named: "missing") == nil)
        }
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a+b", "a b"),
        ("%41%62%2b%2B%20", "Ab++ "),
        ("2026-11-22T10%3A00%3A00Z", "2026-11-22T10:00:00Z"),
        ("100%", "100%"),
        ("%4", "%4"),
        ("%zz1", "%zz1"),
        ("%%41", "%A"),
        ("%g1%", "%g1%"),
        ("caf%C3%A9", "café"),
        ("", ""),
    ])
    func decodesPlusAndPercentEscapes(encoded: String, decoded: String) {
        withBytes(encoded) { bytes in
            let viaScratch = withUnsafeTemporaryAllocation(byteCount: max(bytes.count, 1), alignment: 1) {
                FormFields.decode(bytes, into: $0).map(string)
            }
            #expect(viaScratch == decoded)
            #expect(FormFields.withDecoded(bytes, string) == decoded)
        }
    }

    @Test func refusesAScratchBufferThatIsTooSmall() {
        withBytes("abcdef") { bytes in
            withUnsafeTemporaryAllocation(byteCount: 3, alignment: 1) { scratch in
                #expect(FormFields.decode(bytes, into: scratch) == nil)
            }
        }
        withBytes("%41%42") { bytes in
            withUnsafeTemporaryAllocation(byteCount: 2, alignment: 1) { scratch in
                #expect(FormFields.decode(bytes, into: scratch).map(string) == "AB")
            }
        }
    }

    @Test func handsOutTheInputItselfWhenNothingNeedsDecoding() {
        withBytes("46.123") { bytes in
            #expect(!FormFields.needsDecoding(bytes))
            #expect(FormFields.withDecoded(bytes) { $0.baseAddress } == bytes.baseAddress)
        }
        withBytes("46%2E1") { bytes in
            #expect(FormFields.needsDecoding(bytes))
        }
    }

    @Test func matchesNamesExactly() {
        withBytes("i%64") { #expect(FormFields.name($0, is: "id")) }
        withBytes("id") { #expect(!FormFields.name($0, is: "i")) }
        withBytes("i") { #expect(!FormFields.name($0, is: "id")) }
        withBytes("") { #expect(FormFields.name($0, is: "")) }
        withBytes("%") { #expect(FormFields.name($0, is: "%")) }
    }

    @Test func survivesRandomBytes() {
        var state: UInt64 = 0xF0F0
        for _ in 0 ..< 2000 {
            var bytes: [UInt8] = []
            for _ in 0 ..< Int(next(&state) % 200) {
                let pick = next(&state)
                bytes.append(
                    pick % 3 == 0 ? [0x25, 0x26, 0x3D, 0x2B][Int(pick >> 8) % 4] : UInt8(truncatingIfNeeded: pick)
                )
            }
            bytes.withUnsafeBytes { buffer in
                var total = 0
                for field in FormFields(buffer) {
                    total +=
                        FormFields.withDecoded(field.name) { $0.count }
                        + FormFields.withDecoded(field.value) { $0.count }
                }
                #expect(total <= buffer.count)
                _ = FormFields(buffer).first(named: "id")
            }
        }
    }
}

private func next(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

private func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    Array(text.utf8).withUnsafeBytes(body)
}

private func string(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
}

private func pairs(_ text: String) -> [[String]] {
    withBytes(text) { bytes in FormFields(bytes).map { [string($0.name), string($0.value)] } }
}
