import Testing

@testable import FixstreamWire

/// The one-pass path for JSON objects that lie whole in a chunk (``JSONFastScanner``) against the framed path
/// (``RecordFramer`` then ``JSONScanner``): same fixes, same counters, whatever the input and however it is cut.
///
/// Fed one byte at a time, no object lies whole in a chunk, so every object takes the framed path: that is the
/// reference the other chunkings are compared with.
struct JSONFastPathTests {
    static let rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A"

    /// Streams with every edge the two paths must agree on.
    static let streams: [String] = [
        // The benchmark's three dialects.
        #"{"vehicle":"356307042441013","time":"2010-04-03T11:22:28.037Z","lat":47.33264000,"lon":7.82078000,"#
            + #""speed":0.000,"alt":533.400,"hdop":1.60,"sats":7,"quality":"gps","mode":3}"# + "\n"
            + #"{"class":"TPV","device":"/dev/ttyACM0","mode":3,"time":"2010-04-03T11:22:28.637Z","ept":0.005,"#
            + #""lat":47.332608333,"lon":7.820821667,"altHAE":47.0000,"altMSL":0.0000,"track":180.5000,"#
            + #""speed":0.216,"eph":4.5}"# + "\r\n"
            + #"{"_type":"location","tid":"NE","tst":1270293749,"lat":47.3327917,"lon":7.8208367,"vel":0,"#
            + #""cog":224,"alt":0,"acc":5,"batt":93,"conn":"m"}"# + "\n",
        // Several per line, arrays, pretty printing, space everywhere.
        #"{"id":"a","t":1700000000,"lat":1,"lon":1} {"id":"a","t":1700000001,"lat":2,"lon":2}"# + "\n"
            + #"[{"id":"a","t":1700000002,"lat":3,"lon":3} , {"id":"a","t":1700000003,"lat":4,"lon":4}]"# + "\n"
            + "[\n  {\n    \"id\" : \"a\",\r\n\t\"t\": 1700000004,\n    \"lat\": 5,\n    \"lon\": 5\n  }\n]\n"
            + "{ }\n{}\n[]\n",
        // Escapes, braces and dollars in strings, nested values.
        #"{"id":"v\u0031","t":"2026-11-22T10:00:00\u002e5Z","lat":1,"lon":2,"note":"} ] \" \\ { [ $GP"}"# + "\n"
            + #"{"id":"a","x":{"y":[1,{"z":"}"}],"w":"]"},"t":1700000000,"lat":1,"lon":2,"list":[]}"# + "\n"
            + "{\n\"tag\":\n\"$GPRMC\",\"id\":\"a\",\"t\":1700000000,\"lat\":1,\"lon\":2}\n"
            + #"{"i\"d":"a","\\":1,"t":1700000000,"lat":1,"lon":2,"k\u0065y":"\\\""}"# + "\n",
        // Number-like runs JSONScanner takes but the framing sees differently.
        #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":1]2}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":1"}"}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":abc}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":1[2],"y":3}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":$5}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":1$5,"y":!}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":0x10,"lon":2}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1.2.3,"lon":-}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2,"x":\}"# + "\n",
        // Sentences and line breaks interrupting objects.
        "{\"id\":\"a\",\"t\":1,\"lat\":\n" + rmc + "\r\n"
            + "{\"id\":\"a\",\"t\":1700000000,\"lat\":1,\"lon\":2,\"x\":[1,\n" + rmc + "\n]}\n"
            + "{\"id\":\"a\",\"t\":1700000000,\"lat\":1,\"lon\":2,\"x\":[1,\n2]}\n"
            + "{\"id\":\"a\",\"t\":1700000000,\"lat\":1,\"lon\":2,\"x\":\n!AIVDM}\n"
            + "{\"id\":\"a\",\"t\":1700000000,\"lat\":1,\n  $5:1}\n"
            + "{\"id\":\"van\n7\",\"t\":1,\"lat\":1,\"lon\":2}\n"
            + "{\"id\":\"a\\\n\",\"t\":1700000000,\"lat\":1,\"lon\":2}\n"
            + "{\"id\":\"a\tb\",\"t\":1700000000,\"lat\":1,\"lon\":2}\n",
        // Malformed objects and trailing text.
        #"{"id":"a","t":1700000000,"lat":1,}"# + "\n" + #"{"id" "a"}"# + "\n" + #"{id:"a"}"# + "\n"
            + #"{"id":"a","ok":tru}"# + "\n" + #"{"id":"a","list":[1,2}"# + "\n" + #"{"id":"a",,"t":1}"# + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2} trailing words"# + "\n"
            + #"{"id":"a","ok":nothing,"n":null,"b":false}"# + "\n" + "# comment\n" + rmc + "\n"
            + #"{"id":"a","t":1700000000,"lat":1,"lon":2"#,
    ]

    @Test(arguments: streams.indices, [InputFormat.json, .auto])
    func decodesTheSameWhereverTheStreamIsSplit(index: Int, format: InputFormat) {
        let bytes = Array(Self.streams[index].utf8)
        let reference = Self.decode(bytes, format: format, chunkSize: 1)
        #expect(Self.decode(bytes, format: format) == reference)
        for split in 0 ... bytes.count {
            #expect(Self.decode(bytes, format: format, splitAt: split) == reference, "split at \(split)")
        }
    }

    @Test func decodesTheSameWhateverTheChunkSize() {
        let bytes = Array(Self.streams.joined().utf8)
        let reference = Self.decode(bytes, format: .auto, chunkSize: 1)
        #expect(reference.stats.fixes > 10)
        for size in 2 ... 300 {
            #expect(Self.decode(bytes, format: .auto, chunkSize: size) == reference, "chunk size \(size)")
        }
    }

    /// Random damage to real objects: inserted, deleted and replaced bytes, favouring the ones that matter to
    /// framing and scanning. Both paths must agree on every result.
    @Test func agreesWithTheFramedPathOnDamagedInput() {
        let seeds = Self.streams.prefix(3).map { Array($0.utf8) }
        let special = Array("\"\\{}[],: \n\r\t$!0123456789.-+eEatn\u{1}".utf8)
        var random = SplitMix64(seed: 0x5EED)
        for round in 0 ..< 4000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0 ... random.below(3) {
                let at = random.below(bytes.count)
                let byte = special[random.below(special.count)]
                switch random.below(3) {
                case 0: bytes.insert(byte, at: at)
                case 1: bytes.remove(at: at)
                default: bytes[at] = byte
                }
            }
            let format: InputFormat = round % 2 == 0 ? .json : .auto
            let whole = Self.decode(bytes, format: format)
            let framed = Self.decode(bytes, format: format, chunkSize: 1)
            #expect(whole == framed, "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if whole != framed { return }
        }
    }

    @Test(arguments: [10, 11, 64])
    func honoursTheObjectCapOnEitherPath(extra: Int) {
        let base = #"{"id":"a","t":1700000000,"lat":1,"lon":2,"pad":""#
        let exact = base + String(repeating: "x", count: 100 - base.utf8.count - 2) + #""}"#
        #expect(exact.utf8.count == 100)
        let over = base + String(repeating: "y", count: 100 - base.utf8.count - 2 + extra) + #""}"#
        let bytes = Array((exact + "\n" + over + "\n" + exact).utf8)
        for size in [bytes.count, 1, 99, 100, 101, 150] {
            let result = Self.decode(bytes, format: .json, chunkSize: size, maxObjectLength: 100)
            #expect(result.fixes.count == 2, "chunk size \(size)")
            #expect(result.stats[.tooLong] == 1, "chunk size \(size)")
            #expect(result.stats.jsonObjects == 2, "chunk size \(size)")
        }
    }

    @Test func readsPlainObjectsInOnePass() {
        for line in Array(Self.streams[0].utf8).split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            let bytes = Array(line)
            var fixes: [Fix] = []
            var stats = DecodeStats()
            let end = bytes.withUnsafeBytes {
                JSONFixDecoder().decodeObject(in: $0, at: 0, limit: $0.count, into: &fixes, stats: &stats)
            }
            #expect(end == bytes.count)
            #expect(fixes.count == 1)
            #expect(stats.jsonObjects == 1)
        }
    }

    @Test(arguments: [
        #"{"a":1]2}"#, #"{"a":1"}"}"#, #"{"a":abc}"#, #"{"a":$5}"#, #"{"a":"x"#, "{\"a\":\"x\ny\"}", "{\"a\":\"\t\"}",
        "{\"a\":[1,\n2]}", #"{"a":1,}"#, #"{"a":tru}"#, #"{"a" 1}"#, #"{"a":1"#,
    ])
    func leavesUnusualObjectsToTheFramedPath(text: String) {
        var fixes: [Fix] = []
        var stats = DecodeStats()
        let end = Array(text.utf8).withUnsafeBytes {
            JSONFixDecoder().decodeObject(in: $0, at: 0, limit: $0.count, into: &fixes, stats: &stats)
        }
        #expect(end == nil)
        #expect(stats == DecodeStats())
    }

    @Test func stopsAtTheLimit() {
        let text = #"{"id":"a","t":1700000000,"lat":1,"lon":2}"#
        var fixes: [Fix] = []
        var stats = DecodeStats()
        let ends = Array(text.utf8).withUnsafeBytes { bytes in
            (bytes.count - 1 ... bytes.count).map {
                JSONFixDecoder().decodeObject(in: bytes, at: 0, limit: $0, into: &fixes, stats: &stats)
            }
        }
        #expect(ends == [nil, text.utf8.count])
    }

    // MARK: Helpers

    struct Result: Equatable {
        var fixes: [Fix]
        var stats: DecodeStats
    }

    /// Decodes `bytes` fed in chunks of `chunkSize` (all at once by default) or in two pieces cut at `splitAt`.
    static func decode(
        _ bytes: [UInt8],
        format: InputFormat,
        chunkSize: Int? = nil,
        splitAt: Int? = nil,
        maxObjectLength: Int = 64 * 1024
    ) -> Result {
        var decoder = FixDecoder(format: format, vehicle: VehicleID("dflt"), maxObjectLength: maxObjectLength)
        var fixes: [Fix] = []
        var cuts: [Int]
        if let splitAt {
            cuts = [0, splitAt, bytes.count]
        } else {
            let size = max(chunkSize ?? bytes.count, 1)
            cuts = Array(stride(from: 0, to: bytes.count, by: size)) + [bytes.count]
        }
        if cuts.count == 1 { cuts.append(0) }
        for (from, to) in zip(cuts, cuts.dropFirst()) {
            // A fresh array per chunk, so nothing past the chunk's end is readable by accident.
            Array(bytes[from ..< to]).withUnsafeBytes { decoder.decode($0, into: &fixes) }
        }
        decoder.finish(into: &fixes)
        return Result(fixes: fixes, stats: decoder.stats)
    }
}

extension SplitMix64 {
    /// A number in `0 ..< bound`.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

/// The byte-level parsers the one-pass path leans on, against their reference forms.
struct FastParserTests {
    /// ``DecimalParser/double(_:)`` against ``DecimalParser/longDouble(_:)``, which is the original digit loop
    /// (significant digits counted one by one), on random number-like text.
    @Test func parsesNumbersAsTheDigitByDigitLoopDoes() {
        let alphabet = Array("0000123456789.-+eE".utf8)
        var random = SplitMix64(seed: 0xD1617)
        var cases = [
            "0", "-0", "+1", ".5", "5.", "-.5", ".", "-", "+", "1e", "1e+", "1e5", "1E-5", "1.2.3", "1..2",
            "47.332608333", "-122.4194155", "1270293749", "1700000000123", "12345678901234567890",
            "0.00000000000000000000012345", "00000000000000000000001", "1234567890123456789.5", "9007199254740993",
            "1e22", "1e23", "1e-22", "123456789012345678e5", "1e99999", "1x",
        ].map { Array($0.utf8) }
        for _ in 0 ..< 20_000 {
            cases.append((0 ..< 1 + random.below(24)).map { _ in alphabet[random.below(alphabet.count)] })
        }
        for bytes in cases {
            bytes.withUnsafeBytes { buffer in
                let fast = DecimalParser.double(buffer)
                let reference = DecimalParser.longDouble(buffer)
                #expect(fast?.bitPattern == reference?.bitPattern, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    @Test func readsQualityNamesExactly() {
        for quality in FixQuality.allCases {
            for text in [quality.name, quality.name + "x", String(quality.name.dropLast()), quality.name.uppercased()] {
                let expected =
                    text == quality.name ? quality : FixQuality.allCases.first { $0.name == text } ?? .unknown
                Array(text.utf8).withUnsafeBytes { #expect(FixQuality(name: $0) == expected, "\(text)") }
            }
        }
    }
}
