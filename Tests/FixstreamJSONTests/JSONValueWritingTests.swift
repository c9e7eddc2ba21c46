import FixstreamJSON
import Testing

struct JSONValueWritingTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test func writesCompactTextWithMembersInDocumentOrder() throws {
        let value = try parse(#" { "b" : [ 1 , { "c" : null } ] , "a" : "x", "b": true, "e": {}, "f": [] } "#)
        #expect(value.serializedText == #"{"b":[1,{"c":null}],"a":"x","b":true,"e":{},"f":[]}"#)
    }

    @Test(arguments: [
        (0.0, "0"), (95, "95"), (-12, "-12"), (3.25, "3.25"), (0.1, "0.1"), (-0.0025, "-0.0025"),
        (9_007_199_254_740_992, "9007199254740992"), (1e300, "1e+300"), (1e-7, "1e-07"),
        (46.52365, "46.52365"), (-180, "-180"),
    ])
    func writesNumbersInTheirShortestForm(value: Double, expected: String) throws {
        #expect(JSONValue.number(value).serializedText == expected)
        #expect(try parse(expected) == .number(value))
    }

    @Test func writesNonFiniteNumbersAsNull() {
        #expect(JSONValue.number(.infinity).serializedText == "null")
        #expect(JSONValue.number(.nan).serializedText == "null")
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let text = JSONValue.string("a\"b\\c/d\u{8}\u{C}\n\r\t\u{1}\u{1F} é 😀").serializedText
        #expect(text == #""a\"b\\c/d\b\f\n\r\t\u0001\u001f é 😀""#)
    }

    @Test(arguments: [
        #"{"type":"Feature","properties":{"id":"depot","radius":120.5},"geometry":{"type":"Point","coordinates":[12.1,49.02]}}"#,
        #"[null,true,false,-1.5e-10,"\u0000",[],{},{"a":{"a":{"a":[[1]]}}}]"#,
        #"{"dup":1,"dup":2}"#,
    ])
    func roundTripsToTheSameBytes(text: String) throws {
        let value = try parse(text)
        let written = value.serialized()
        #expect(try JSONValue.parse(written) == value)
        #expect(try JSONValue.parse(written).serialized() == written)
    }

    @Test func appendsToAnExistingBuffer() {
        var output = Array("x=".utf8)
        JSONValue.array([.bool(true), .null]).write(to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "x=[true,null]")
    }
}
