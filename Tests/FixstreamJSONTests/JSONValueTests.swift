import FixstreamJSON
import Testing

struct JSONValueTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func parsesScalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("\tfalse\r\n") == .bool(false))
        #expect(try parse(#""hi""#) == .string("hi"))
        #expect(try parse("0") == .number(0))
        #expect(try parse("-0").number?.sign == .minus)
    }

    @Test(arguments: [
        ("1", 1.0), ("-12", -12), ("3.25", 3.25), ("1e2", 100), ("1E+2", 100), ("-2.5e-3", -0.0025),
        ("0.1", 0.1), ("123456789012345678901234567890", 123456789012345678901234567890.0),
        ("4.9406564584124654e-324", Double.leastNonzeroMagnitude), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("46.52365", 46.52365), ("0.000001", 0.000001), ("9007199254740993", 9007199254740993.0),
    ])
    func parsesNumbersToTheNearestDouble(text: String, expected: Double) throws {
        #expect(try parse(text) == .number(expected))
    }

    @Test func parsesNestedDocumentsInOrder() throws {
        let value = try parse(#"{"b": [1, {"c": null}], "a": "x", "b": 2, "e": {}, "f": []}"#)
        #expect(value.object?.map(\.key) == ["b", "a", "b", "e", "f"])
        #expect(value["b"] == .array([.number(1), .object([(key: "c", value: .null)])]))
        #expect(value["b"]?[1]?["c"]?.isNull == true)
        #expect(value["a"]?.string == "x")
        #expect(value["e"]?.object?.isEmpty == true)
        #expect(value["f"]?.array?.isEmpty == true)
        #expect(value["missing"] == nil)
        #expect(value["b"]?[7] == nil)
        #expect(value["a"]?.number == nil)
    }

    @Test func decodesEscapesAndUnicode() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""caf\u00e9 \u00E9""#) == .string("café é"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""x\u0000y""#) == .string("x\u{0}y"))
        #expect(try parse("\"Zürich 東京 😀\"") == .string("Zürich 東京 😀"))
        #expect(try parse("\"Zürich \\n 😀\"") == .string("Zürich \n 😀"))
    }

    @Test func acceptsRawBuffersAndNonContiguousCollections() throws {
        let bytes = Array(#"[1,"two"]"#.utf8)
        let fromBuffer = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in try JSONValue.parse(buffer) }
        #expect(fromBuffer == .array([.number(1), .string("two")]))
        #expect(try JSONValue.parse(#"[1,"two"]"#.utf8) == fromBuffer)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try parse(text) }
    }

    @Test func equalityComparesMembersInOrder() {
        let a = JSONValue.object([(key: "x", value: .number(1)), (key: "y", value: .null)])
        let b = JSONValue.object([(key: "y", value: .null), (key: "x", value: .number(1))])
        #expect(a == a)
        #expect(a != b)
        #expect(JSONValue.number(1) != .string("1"))
    }
}
