import FixstreamJSON
import Testing

struct JSONParseErrorTests {
    private func failure(_ text: String, maximumDepth: Int = 512) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(Array(text.utf8), maximumDepth: maximumDepth)
            return nil
        } catch {
            return error
        }
    }

    private func failure(bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("", JSONParseError.Code.unexpectedEnd, 0),
        ("   ", .unexpectedEnd, 3),
        ("[1, 2", .unexpectedEnd, 5),
        (#"{"a": 1"#, .unexpectedEnd, 7),
        (#""abc"#, .unexpectedEnd, 4),
        ("tru", .unexpectedEnd, 3),
        ("[1,]", .unexpectedCharacter, 3),
        (#"{"a" 1}"#, .unexpectedCharacter, 5),
        ("{a: 1}", .unexpectedCharacter, 1),
        ("[1 2]", .unexpectedCharacter, 3),
        ("nul1", .unexpectedCharacter, 3),
        ("'x'", .unexpectedCharacter, 0),
        ("[1] x", .trailingCharacters, 4),
        ("1 2", .trailingCharacters, 2),
        ("01", .invalidNumber, 1),
        ("-", .invalidNumber, 1),
        ("1.", .invalidNumber, 2),
        ("1.e5", .invalidNumber, 2),
        ("1e", .invalidNumber, 2),
        ("+1", .unexpectedCharacter, 0),
        (".5", .unexpectedCharacter, 0),
        ("1e999", .invalidNumber, 0),
        (#"["\x"]"#, .invalidEscape, 2),
        (#""\u12G4""#, .invalidEscape, 5),
        (#""\ud83d""#, .invalidEscape, 1),
        (#""\ud83d\u0041""#, .invalidEscape, 1),
        (#""\ude00""#, .invalidEscape, 1),
        ("\"a\tb\"", .controlCharacterInString, 2),
        ("\"a\nb\"", .controlCharacterInString, 2),
    ])
    func refusesWithCodeAndOffset(text: String, code: JSONParseError.Code, offset: Int) throws {
        let error = try #require(failure(text))
        #expect(error.code == code, "\(error)")
        #expect(error.offset == offset, "\(error)")
    }

    @Test func refusesInvalidUTF8() throws {
        for (bytes, offset) in [
            ([0x22, 0x61, 0xFF, 0x22], 2),  // never valid
            ([0x22, 0xC3, 0x22], 2),  // truncated two-byte sequence
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong '/'
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),  // encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),  // above U+10FFFF
            ([0xEF, 0xBB, 0xBF, 0x31], 0),  // byte order mark
        ] as [([UInt8], Int)] {
            let error = try #require(failure(bytes: bytes))
            #expect(error.code == (offset == 0 ? .unexpectedCharacter : .invalidUTF8), "\(error)")
            #expect(error.offset == offset, "\(error)")
        }
    }

    @Test func refusesNestingDeeperThanTheLimit() throws {
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(failure(deep))
        #expect(error.code == .tooDeep)
        #expect(error.offset == 512)
        let objects = String(repeating: #"{"a":"#, count: 11) + "1" + String(repeating: "}", count: 11)
        #expect(failure(objects, maximumDepth: 10)?.code == .tooDeep)
        #expect(failure(objects, maximumDepth: 11) == nil)
        // A hostile document far deeper than the stack would allow is refused, not a crash.
        #expect(failure(String(repeating: "[", count: 1_000_000))?.code == .tooDeep)
    }

    @Test func reportsLineAndColumn() throws {
        let error = try #require(failure("{\n  \"a\": 1,\n  \"b\": tru\n}"))
        #expect(error.line == 3)
        #expect(error.column == 11)
        #expect(error.description.hasSuffix("at line 3, column 11 (byte 22)"))
        #expect(error.message.contains("'true'"))
    }
}
