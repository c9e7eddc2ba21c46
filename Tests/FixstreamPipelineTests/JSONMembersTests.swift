import FixstreamPipeline
import Testing

struct JSONMembersTests {
    private func text(_ json: JSONMembers) -> String { String(decoding: json.bytes, as: UTF8.self) }

    @Test func writesCoordinatesToTheCentimetre() {
        var json = JSONMembers()
        json.open("at")
        json.coordinate("lat", 47.3769123)
        json.coordinate("lon", -8.5)
        json.coordinate("none", nil)
        json.number("rounded", 47.3769123)
        json.close()
        #expect(text(json) == #","at":{"lat":47.3769123,"lon":-8.5,"rounded":47.377}"#)
    }
}
