import FixstreamJSON
import FixstreamStore
import Testing

struct TripValidatorTests {
    /// A trip whose second stop has the members `stop` (`,"name":value…`) ahead of its defaults, so they win (the
    /// first member of a name counts), and the trip members `extra` after the usual ones.
    private func trip(stop: String = "", extra: String = "") -> String {
        let defaults = #""id":"S2","lat":49.1,"lon":12.1"#
        let second = stop.isEmpty ? defaults : String(stop.dropFirst()) + "," + defaults
        return #"{"id":"T1","vehicle":"van-1","stops":[{"id":"S1","lat":49,"lon":12},{"# + second + "}]" + extra + "}"
    }

    private func error(_ text: String) -> TripError? {
        #expect(throws: TripError.self) { try TripValidator.parseDocument(Array(text.utf8)) }
    }

    @Test func acceptsAFullTrip() throws {
        let text = trip(
            stop:
                #","radius":50.5,"window":{"start":"2026-11-22T09:00:00+01:00","end":"2026-11-22T08:30:00Z"},"service":0,"tracking":"x","note":{"free":"form"}"#,
            extra:
                #","route":{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[12,49],[12.1,49.1,300]]}}"#
        )
        let trips = try TripValidator.parseDocument(Array(text.utf8))
        #expect(trips.count == 1)
        #expect(trips[0].id == "T1")
        #expect(trips[0].vehicle == "van-1")
        #expect(trips[0].stopCount == 2)
        #expect(trips[0].value == (try JSONValue.parse(Array(text.utf8))))
    }

    @Test func acceptsNullForOptionalMembersAndABareLineString() throws {
        let text = trip(
            stop: #","radius":null,"window":null,"service":null,"tracking":null"#,
            extra: #","route":{"type":"LineString","coordinates":[[12,49],[12.1,49.1]]}"#
        )
        #expect(try TripValidator.parseDocument(Array(text.utf8)).count == 1)
        #expect(try TripValidator.parseDocument(Array("[]".utf8)).isEmpty)
    }

    @Test(arguments: [
        // Document and trip.
        ("{", "invalid JSON: "),
        ("42", "expected a trip object or an array of trips, found number"),
        ("[1]", "trip 0: expected a trip object, found number"),
        (#"{"vehicle":"v","stops":[]}"#, "id must be a non-empty string, found nothing"),
        (#"[{"id":"","vehicle":"v","stops":[]}]"#, "trip 0: id must be a non-empty string, found an empty string"),
        (#"{"id":7}"#, "id must be a non-empty string, found number"),
        (#"{"id":"T1","stops":[]}"#, #"trip "T1": vehicle must be a string, found nothing"#),
        (
            #"{"id":"T1","vehicle":"van 1","stops":[]}"#,
            #"trip "T1": vehicle "van 1" is not a valid vehicle id: 1 to 48 printable ASCII characters, no space, quote or backslash"#
        ),
        (#"{"id":"T1","vehicle":"","stops":[]}"#, #"trip "T1": vehicle "" is not a valid vehicle id"#),
        (
            #"{"id":"T1","vehicle":"\#(String(repeating: "x", count: 49))","stops":[]}"#,
            #"trip "T1": vehicle "xxxxxxxx"#
        ),
        (#"{"id":"T1","vehicle":"v"}"#, #"trip "T1": stops must be an array of stops, found nothing"#),
        (#"{"id":"T1","vehicle":"v","stops":{}}"#, #"trip "T1": stops must be an array of stops, found object"#),
        (#"{"id":"T1","vehicle":"v","stops":[]}"#, #"trip "T1": stops is empty; a trip needs at least one stop"#),
        (#"{"id":"T1","vehicle":"v","stops":["S1"]}"#, #"trip "T1": stop 0: expected a stop object, found string"#),
    ])
    func refusesMalformedTrips(text: String, expected: String) {
        let description = error(text)?.description ?? ""
        #expect(description.hasPrefix(expected), "\(description)")
    }

    @Test(arguments: [
        (#","id":"S1""#, #"trip "T1": stop 1 ("S1"): id already used by stop 0"#),
        (#","id":"""#, #"trip "T1": stop 1: id must be a non-empty string, found an empty string"#),
        (#","id":3"#, #"trip "T1": stop 1: id must be a non-empty string, found number"#),
        (#","lat":95"#, #"trip "T1": stop 1 ("S2"): lat 95 out of range"#),
        (#","lat":-90.5"#, #"trip "T1": stop 1 ("S2"): lat -90.5 out of range"#),
        (#","lon":180.25"#, #"trip "T1": stop 1 ("S2"): lon 180.25 out of range"#),
        (#","lat":"49""#, #"trip "T1": stop 1 ("S2"): lat must be a number, found string "49""#),
        (#","radius":0"#, #"trip "T1": stop 1 ("S2"): radius must be > 0 metres, found 0"#),
        (#","radius":-5"#, #"trip "T1": stop 1 ("S2"): radius must be > 0 metres, found -5"#),
        (#","radius":"big""#, #"trip "T1": stop 1 ("S2"): radius must be a number of metres, found string"#),
        (#","service":-1"#, #"trip "T1": stop 1 ("S2"): service must be >= 0 seconds, found -1"#),
        (#","service":true"#, #"trip "T1": stop 1 ("S2"): service must be a number of seconds, found boolean"#),
        (#","tracking":12"#, #"trip "T1": stop 1 ("S2"): tracking must be a string, found number"#),
        (
            #","window":"9-10""#,
            #"trip "T1": stop 1 ("S2"): window must be an object with start and/or end, found string"#
        ),
        (#","window":{}"#, #"trip "T1": stop 1 ("S2"): window needs a start, an end or both"#),
        (
            #","window":{"start":"tomorrow"}"#,
            #"trip "T1": stop 1 ("S2"): window start "tomorrow" is not an RFC 3339 time"#
        ),
        (
            #","window":{"end":1700000000}"#,
            #"trip "T1": stop 1 ("S2"): window end must be an RFC 3339 string, found number"#
        ),
        (
            #","window":{"start":"2026-11-22T10:00:00Z","end":"2026-11-22T10:30:00+01:00"}"#,
            #"trip "T1": stop 1 ("S2"): window end "2026-11-22T10:30:00+01:00" is not after its start "2026-11-22T10:00:00Z""#
        ),
        (
            #","window":{"start":"2026-11-22T10:00:00Z","end":"2026-11-22T10:00:00Z"}"#,
            #"trip "T1": stop 1 ("S2"): window end"#
        ),
    ])
    func refusesMalformedStops(members: String, expected: String) {
        let description = error(trip(stop: members))?.description ?? ""
        #expect(description.hasPrefix(expected), "\(description)")
    }

    @Test(arguments: [
        (
            #","route":[[12,49],[13,49]]"#,
            "route must be a GeoJSON LineString geometry or a Feature with one, found array"
        ),
        (#","route":{"type":"Point","coordinates":[12,49]}"#, #"found "type": "Point""#),
        (#","route":{"type":"Feature","geometry":null}"#, "found null"),
        (#","route":{"type":"LineString"}"#, "route coordinates must be an array of positions"),
        (
            #","route":{"type":"LineString","coordinates":[[12,49]]}"#,
            "route has 1 positions; a LineString needs at least 2"
        ),
        (
            #","route":{"type":"LineString","coordinates":[[12,49],[12]]}"#,
            "route position 1 must be [longitude, latitude] or [longitude, latitude, altitude] numbers"
        ),
        (
            #","route":{"type":"LineString","coordinates":[[12,49],[49,200]]}"#,
            "route position 1 [49, 200] is out of range"
        ),
    ])
    func refusesMalformedRoutes(members: String, expected: String) {
        let description = error(trip(extra: members))?.description ?? ""
        #expect(description.hasPrefix(#"trip "T1": route "#), "\(description)")
        #expect(description.contains(expected), "\(description)")
    }

    @Test func refusesDuplicateTripIDsInADocument() {
        let error = error("[" + trip() + "," + trip() + "]")
        #expect(error?.code == .duplicateID)
        #expect(error?.tripIndex == 1)
        #expect(error?.description == #"trip "T1": id already used by trip 0 of the document (this is trip 1)"#)
    }

    @Test func namesTheTripByIndexWhenItHasNoID() {
        let error = error("[" + trip() + #",{"vehicle":"v"}]"#)
        #expect(error?.code == .missingID)
        #expect(error?.tripIndex == 1)
        #expect(error?.description == "trip 1: id must be a non-empty string, found nothing")
    }
}
