import FixstreamWire
import Testing

/// Splitting a byte stream fed in chunks of any size into lines and JSON objects.
struct RecordFramerTests {
    /// A record copied out of the framer's buffers, so it outlives the next call.
    enum Framed: Equatable, CustomStringConvertible {
        case text(String)
        case json(String)
        case tooLong
        case broken

        var description: String {
            switch self {
            case .text(let text): "text(\(text.debugDescription))"
            case .json(let text): "json(\(text.debugDescription))"
            case .tooLong: "tooLong"
            case .broken: "broken"
            }
        }
    }

    static let rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A"
    static let gga = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47"

    /// Every kind of record, with line ends of all three styles, escapes, braces inside strings and blank lines.
    static let mixedStream = [
        "# a comment\r\n",
        rmc + "\r\n",
        #"{"id":"a","note":"brace } and bracket ] and quote \" inside","t":1}"# + "\n",
        #"{"id":"b"} {"id":"c"}{"id":"d"}"# + "\r",
        "\n\n",
        #"[{"id":"e","x":[1,{"y":2}]},{"id":"f\\"}]"# + "\n",
        "[\n  {\n    \"id\": \"g\",\n    \"list\": [1, 2],\n\"$1\": 1\n  },\n  {\"id\": \"h\"}\n]\n",
        gga + "\r\n",
        "last line without end",
    ].joined()

    static let mixedRecords: [Framed] = [
        .text("# a comment"),
        .text(rmc),
        .json(#"{"id":"a","note":"brace } and bracket ] and quote \" inside","t":1}"#),
        .json(#"{"id":"b"}"#),
        .json(#"{"id":"c"}"#),
        .json(#"{"id":"d"}"#),
        .json(#"{"id":"e","x":[1,{"y":2}]}"#),
        .json(#"{"id":"f\\"}"#),
        .json("{\n    \"id\": \"g\",\n    \"list\": [1, 2],\n\"$1\": 1\n  }"),
        .json(#"{"id": "h"}"#),
        .text(gga),
        .text("last line without end"),
    ]

    // MARK: Lines

    @Test(arguments: ["\n", "\r", "\r\n"])
    func splitsLinesAtEveryLineEndStyle(end: String) {
        let input = ["one", "two", "three"].map { $0 + end }.joined()
        #expect(frame(input) == [.text("one"), .text("two"), .text("three")])
    }

    @Test func skipsBlankLinesAndLeadingSpace() {
        #expect(frame("\n\r\n  \t\r\r\n  one\n\n\ntwo\r\n") == [.text("one"), .text("two")])
    }

    @Test func returnsAnUnterminatedLastLineOnlyFromFinish() {
        let framer = RecordFramer()
        var records: [Framed] = []
        feed(Array("first\nsecond".utf8), to: framer, into: &records)
        #expect(records == [.text("first")])
        #expect(framer.finish().map(Framed.init) == .text("second"))
        #expect(framer.finish().map(Framed.init) == nil)
    }

    @Test func returnsAnUnterminatedLineThatSpansChunksFromFinish() {
        let framer = RecordFramer()
        var records: [Framed] = []
        feed(Array("par".utf8), to: framer, into: &records)
        feed(Array("tial".utf8), to: framer, into: &records)
        #expect(records.isEmpty)
        #expect(framer.finish().map(Framed.init) == .text("partial"))
    }

    @Test func returnsNothingFromFinishAfterCompleteInput() {
        let framer = RecordFramer()
        var records: [Framed] = []
        feed(Array("one\n{\"a\":1}".utf8), to: framer, into: &records)
        #expect(records == [.text("one"), .json(#"{"a":1}"#)])
        #expect(framer.finish().map(Framed.init) == nil)
    }

    @Test func startsAfreshAfterFinish() {
        let framer = RecordFramer()
        var records: [Framed] = []
        feed(Array("abc".utf8), to: framer, into: &records)
        _ = framer.finish()
        feed(Array("def\n".utf8), to: framer, into: &records)
        #expect(records == [.text("def")])
    }

    @Test func skipsNULBytesBetweenRecords() {
        let input = "\0\0" + Self.rmc + "\r\n\0\0\0" + #"{"a":1}"# + "\0\n\0"
        #expect(frame(input) == [.text(Self.rmc), .json(#"{"a":1}"#)])
    }

    @Test func keepsNULBytesInsideALine() {
        #expect(frame("a\0b\n") == [.text("a\0b")])
    }

    @Test func treatsBracesAsTextInLinesMode() {
        #expect(frame(#"{"a":1} {"b":2}"# + "\n[x]\n", mode: .lines) == [.text(#"{"a":1} {"b":2}"#), .text("[x]")])
    }

    // MARK: Overlong records

    @Test func reportsAnOverlongLineOnceAndRecoversOnTheNextLine() {
        let input = "short\n" + String(repeating: "A", count: 40) + "\nnext\n"
        #expect(frame(input, maxLine: 16) == [.text("short"), .tooLong, .text("next")])
    }

    @Test func acceptsALineOfExactlyTheCap() {
        let exact = String(repeating: "B", count: 16)
        #expect(frame(exact + "\n" + exact + "C\n", maxLine: 16) == [.text(exact), .tooLong])
    }

    @Test func reportsAnOverlongLineOnceWhateverTheChunking() {
        let input = "short\n" + String(repeating: "A", count: 40) + "\r\nnext\n"
        for size in 1 ... input.utf8.count {
            #expect(
                frame(input, chunkSize: size, maxLine: 16) == [.text("short"), .tooLong, .text("next")],
                "chunk size \(size)"
            )
        }
    }

    @Test func reportsAnOverlongObjectOnceAndRecoversOnTheNextLine() {
        let big = #"{"id":"a","pad":""# + String(repeating: "x", count: 100) + #""}"#
        let input = #"{"a":1}"# + "\n" + big + "\n" + #"{"b":2}"# + "\n"
        for size in [input.utf8.count, 1, 7, 50] {
            #expect(
                frame(input, chunkSize: size, maxObject: 64) == [.json(#"{"a":1}"#), .tooLong, .json(#"{"b":2}"#)],
                "chunk size \(size)"
            )
        }
    }

    @Test func reportsAnOverlongPrettyPrintedObjectOnceWhateverTheChunking() {
        let big = "{\n  \"id\": \"a\",\n" + String(repeating: "  \"k\": 12345,\n", count: 8) + "  \"z\": 0\n}\n"
        let input = big + #"{"b":2}"# + "\n"
        for size in 1 ... input.utf8.count {
            #expect(
                frame(input, chunkSize: size, maxObject: 64) == [.tooLong, .json(#"{"b":2}"#)],
                "chunk size \(size)"
            )
        }
    }

    @Test func acceptsAnObjectOfExactlyTheCapWhateverTheChunking() {
        let exact = #"{"pad":""# + String(repeating: "x", count: 64 - 10) + #""}"#
        let over = #"{"pad":""# + String(repeating: "y", count: 64 - 9) + #""}"#
        #expect(exact.utf8.count == 64)
        let input = exact + "\n" + over + "\n" + exact + "\n"
        for size in 1 ... input.utf8.count {
            #expect(
                frame(input, chunkSize: size, maxObject: 64) == [.json(exact), .tooLong, .json(exact)],
                "chunk size \(size)"
            )
        }
    }

    @Test func reportsAnOverlongObjectCutByASentenceOnlyOnce() {
        let input = "{\n  \"pad\": \"" + String(repeating: "x", count: 80) + "\",\n" + Self.rmc + "\n"
        for size in 1 ... input.utf8.count {
            #expect(frame(input, chunkSize: size, maxObject: 64) == [.tooLong, .text(Self.rmc)], "chunk size \(size)")
        }
    }

    // MARK: JSON

    @Test func framesOneObjectPerLine() {
        #expect(frame(#"{"a":1}"# + "\n" + #"{"b":2}"# + "\n") == [.json(#"{"a":1}"#), .json(#"{"b":2}"#)])
    }

    @Test func framesSeveralObjectsOnOneLine() {
        #expect(
            frame(#"{"a":1}{"b":2} {"c":{"d":3}}"# + "\n")
                == [.json(#"{"a":1}"#), .json(#"{"b":2}"#), .json(#"{"c":{"d":3}}"#)]
        )
    }

    @Test func framesTheElementsOfAnArrayOnOneLine() {
        #expect(
            frame(#"[{"a":1},{"b":[2,3]} , {"c":"]"}]"# + "\n")
                == [.json(#"{"a":1}"#), .json(#"{"b":[2,3]}"#), .json(#"{"c":"]"}"#)]
        )
    }

    @Test func framesTheElementsOfAPrettyPrintedArray() {
        let input = "[\n  {\n    \"a\": 1\n  },\n  {\n    \"b\": \"x\"\n  }\n]\nafter\n"
        #expect(
            frame(input) == [.json("{\n    \"a\": 1\n  }"), .json("{\n    \"b\": \"x\"\n  }"), .text("after")]
        )
    }

    @Test func respectsEscapesAndBracesInStrings() {
        let object = #"{"a":"\\","b":"\"}","c":"{[","d":"\\\"]"}"#
        #expect(frame(object + "\n") == [.json(object)])
    }

    @Test func reportsAJSONLineWithARawLineBreakInAStringAsBrokenAndRecovers() {
        let input = #"{"id":"van"# + "\n" + #"7","t":1}"# + "\n" + #"{"ok":1}"# + "\n"
        #expect(frame(input) == [.broken, .text(#"7","t":1}"#), .json(#"{"ok":1}"#)])
    }

    @Test(arguments: [rmc, "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C", "   " + rmc])
    func reportsJSONInterruptedByASentenceAsBroken(sentence: String) {
        let input = #"{"id":"a","t":1,"# + "\n" + sentence + "\r\n" + #"{"ok":1}"# + "\n"
        let trimmed = String(sentence.drop { $0 == " " })
        let expected: [Framed] = [.broken, .text(trimmed), .json(#"{"ok":1}"#)]
        for size in 1 ... input.utf8.count {
            #expect(frame(input, chunkSize: size) == expected, "chunk size \(size)")
        }
    }

    @Test func stillDecodesTheSentenceThatInterruptedJSON() {
        let input = #"{"id":"a","t":1,"lat":"# + "\n" + Self.rmc + "\r\n"
        for size in 1 ... input.utf8.count {
            var decoder = FixDecoder(vehicle: VehicleID("car"))
            var fixes: [Fix] = []
            let bytes = Array(input.utf8)
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                bytes[start ..< end].withUnsafeBytes { decoder.decode($0, into: &fixes) }
                start = end
            }
            decoder.finish(into: &fixes)
            #expect(decoder.stats[.malformedJSON] == 1, "chunk size \(size)")
            #expect(fixes.count == 1, "chunk size \(size)")
            #expect(fixes.first?.vehicle == VehicleID("car"))
            #expect(fixes.first?.time == Timestamp(millisecondsSinceEpoch: 764_426_119_000))  // 1994-03-23 12:35:19
            #expect(fixes.first.map { abs($0.latitude - 48.1173) < 1e-9 } == true)
        }
    }

    @Test func takesADollarInsideAStringAtALineStartForText() {
        let object = "{\n  \"tag\":\n\"$GPRMC\",\n  \"ais\": [\n\"!AIVDM\"]\n}"
        #expect(frame(object + "\n") == [.json(object)])
    }

    @Test func reportsAnObjectCutByTheEndOfInputAsBroken() {
        let framer = RecordFramer()
        var records: [Framed] = []
        feed(Array(#"{"a":1}{"b":"#.utf8), to: framer, into: &records)
        #expect(records == [.json(#"{"a":1}"#)])
        #expect(framer.finish().map(Framed.init) == .broken)
    }

    // MARK: Chunk boundaries

    @Test func framesTheSameRecordsWhateverTheChunkSize() {
        #expect(frame(Self.mixedStream) == Self.mixedRecords)
        for size in 1 ... Self.mixedStream.utf8.count {
            #expect(frame(Self.mixedStream, chunkSize: size) == Self.mixedRecords, "chunk size \(size)")
        }
    }

    @Test func framesTheSameRecordsWhereverTheStreamIsSplit() {
        let bytes = Array(Self.mixedStream.utf8)
        for split in 0 ... bytes.count {
            let framer = RecordFramer()
            var records: [Framed] = []
            feed(Array(bytes[..<split]), to: framer, into: &records)
            feed(Array(bytes[split...]), to: framer, into: &records)
            if let last = framer.finish() { records.append(Framed(last)) }
            #expect(records == Self.mixedRecords, "split at \(split)")
        }
    }

    // MARK: Helpers

    /// Frames `input` fed in chunks of `chunkSize` bytes (all at once by default), then finishes.
    private func frame(
        _ input: String,
        chunkSize: Int? = nil,
        mode: RecordFramer.Mode = .auto,
        maxLine: Int = 1024,
        maxObject: Int = 64 * 1024
    ) -> [Framed] {
        let framer = RecordFramer(mode: mode, maxLineLength: maxLine, maxObjectLength: maxObject)
        let bytes = Array(input.utf8)
        let size = max(chunkSize ?? bytes.count, 1)
        var records: [Framed] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            feed(Array(bytes[start ..< end]), to: framer, into: &records)
            start = end
        }
        if let last = framer.finish() { records.append(Framed(last)) }
        return records
    }

    /// Feeds one chunk and copies out every record it completes.
    private func feed(_ chunk: [UInt8], to framer: RecordFramer, into records: inout [Framed]) {
        chunk.withUnsafeBytes { buffer in
            var offset = 0
            while let record = framer.next(buffer, &offset) {
                records.append(Framed(record))
            }
        }
    }
}

extension RecordFramerTests.Framed {
    /// Copies a framer record.
    init(_ record: Record) {
        switch record {
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .json(let bytes): self = .json(String(decoding: bytes, as: UTF8.self))
        case .tooLong: self = .tooLong
        case .brokenJSON: self = .broken
        }
    }
}
