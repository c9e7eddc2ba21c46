import FixstreamGeo
import FixstreamJSON
import FixstreamTrips
import FixstreamWire
import Testing

struct TripParserTests {
    /// A trip whose second stop has the members `stop` (`,"name":value…`) ahead of its defaults, so they win (the
    /// first member of a name counts), and the trip members `extra` after the usual ones.
    private func trip(stop: String = "", extra: String = "") -> String {
        let defaults = #""id":"S2","lat":49.1,"lon":12.1"#
        let second = stop.isEmpty ? defaults : String(stop.dropFirst()) + "," + defaults
        return #"{"id":"T1","vehicle":"van-1","stops":[{"id":"S1","lat":49,"lon":12},{"# + second + "}]" + extra + "}"
    }

    private func error(_ text: String) -> TripError? {
        #expect(throws: TripError.self) { try TripParser.parseDocument(Array(text.utf8)) }
    }

    /// The error for one trip object given as a value, not as a document.
    private func error(_ value: JSONValue) -> TripError? {
        #expect(throws: TripError.self) { try TripParser.parse(value) }
    }

    @Test func acceptsAFullTrip() throws {
        let text = trip(
            stop:
                #","radius":50.5,"window":{"start":"2026-11-22T09:00:00+01:00","end":"2026-11-22T08:30:00Z"},"service":0,"tracking":"x","note":{"free":"form"}"#,
            extra:
                #","route":{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[12,49],[12.1,49.1,300]]}}"#
        )
        let trips = try TripParser.parseDocumentWithJSON(Array(text.utf8))
        #expect(trips.count == 1)
        #expect(trips[0].trip.id == "T1")
        #expect(trips[0].trip.vehicle == VehicleID("van-1"))
        #expect(trips[0].trip.stops.map(\.id) == ["S1", "S2"])
        #expect(trips[0].json == (try JSONValue.parse(Array(text.utf8))))
        #expect(try TripParser.parseDocument(Array(text.utf8)) == trips.map(\.trip))
        #expect(try TripParser.parse(trips[0].json) == trips[0].trip)
    }

    @Test func readsEveryField() throws {
        let json = #"""
            {"id":"T1","vehicle":"van-7","stops":[
              {"id":"S1","lat":47.37,"lon":8.54,"radius":80.5,"service":1.2345,"tracking":"PKG-123",
               "window":{"start":"2026-11-22T09:00:00Z","end":"2026-11-22T11:00:00+01:00"}},
              {"id":"S2","lat":-90,"lon":180,"tracking":"","window":{"end":"2026-11-22T10:00:00Z"}},
              {"id":"S3","lat":90,"lon":-180,"radius":null,"service":null,"tracking":null,"window":null}],
             "route":{"type":"LineString","coordinates":[[8.54,47.37,410.5],[8.55,47.38]]}}
            """#
        let trip = try TripParser.parse(try JSONValue.parse(Array(json.utf8)))
        let tenUTC = Timestamp(millisecondsSinceEpoch: 1_795_341_600_000)
        let nineUTC = Timestamp(millisecondsSinceEpoch: tenUTC.millisecondsSinceEpoch - 3_600_000)
        #expect(trip.id == "T1")
        #expect(trip.vehicle == VehicleID("van-7"))
        #expect(
            trip.stops == [
                Trip.Stop(
                    id: "S1",
                    latitude: 47.37,
                    longitude: 8.54,
                    radius: 80.5,
                    windowStart: nineUTC,
                    windowEnd: tenUTC,
                    service: 1235,
                    tracking: "PKG-123"
                ),
                Trip.Stop(id: "S2", latitude: -90, longitude: 180, windowEnd: tenUTC),
                Trip.Stop(id: "S3", latitude: 90, longitude: -180),
            ]
        )
        #expect(trip.stops[1].radius == 50 && trip.stops[1].service == 0 && trip.stops[1].tracking == nil)
        #expect(
            trip.route == [Coordinate(latitude: 47.37, longitude: 8.54), Coordinate(latitude: 47.38, longitude: 8.55)]
        )
        let withoutRoute = #"{"id":"T2","vehicle":"van-7","stops":[{"id":"S1","lat":1,"lon":2}]}"#
        #expect(try TripParser.parseDocument(Array(withoutRoute.utf8)).first?.route == nil)
    }

    @Test func acceptsNullForOptionalMembersAndABareLineString() throws {
        let text = trip(
            stop: #","radius":null,"window":null,"service":null,"tracking":null"#,
            extra: #","route":{"type":"LineString","coordinates":[[12,49],[12.1,49.1]]}"#
        )
        #expect(try TripParser.parseDocument(Array(text.utf8)).count == 1)
        #expect(try TripParser.parseDocument(Array("[]".utf8)).isEmpty)
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
            #","route":{"type":"LineString","coordinates":[[12,49],[12.1,49.1,300,1]]}"#,
            "route position 1 must be [longitude, latitude] or [longitude, latitude, altitude] numbers"
        ),
        (
            #","route":{"type":"LineString","coordinates":[[12,49],[12.1,49.1,"high"]]}"#,
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

    @Test func namesNoIndexForASingleTripObject() {
        let error = error(#"{"id":"T1","vehicle":"v","stops":[{"id":"S1","lat":95,"lon":12}]}"#)
        #expect(error?.code == .coordinateOutOfRange)
        #expect(error?.tripIndex == nil)
        #expect(error?.tripID == "T1" && error?.stopIndex == 0 && error?.stopID == "S1")
    }

    @Test func refusesServiceWhoseMillisecondsDoNotFit() {
        let error = error(trip(stop: #","service":1e16"#))
        #expect(error?.code == .invalidProperty)
        #expect(
            error?.description
                == #"trip "T1": stop 1 ("S2"): service 1e+16 seconds is too large (at most 604800, a week)"#
        )
    }

    /// A JSON text never holds a non-finite number, but a value built in code may.
    @Test(arguments: [
        ("radius", Double.infinity, #"trip "T1": stop 0 ("S1"): radius must be a finite number of metres, found inf"#),
        ("service", Double.nan, #"trip "T1": stop 0 ("S1"): service must be a finite number of seconds, found nan"#),
        ("lat", Double.nan, #"trip "T1": stop 0 ("S1"): lat nan out of range"#),
    ])
    func refusesNonFiniteNumbers(key: String, number: Double, expected: String) {
        var stop: [(key: String, value: JSONValue)] = [
            (key: "id", value: .string("S1")), (key: "lat", value: .number(49)), (key: "lon", value: .number(12)),
        ]
        stop.insert((key: key, value: .number(number)), at: 1)
        let trip = JSONValue.object([
            (key: "id", value: .string("T1")), (key: "vehicle", value: .string("v")),
            (key: "stops", value: .array([.object(stop)])),
        ])
        #expect(error(trip)?.description == expected)
    }

    /// The cases the detectors' own parser had, now with the unified messages (0-based stop indices).
    @Test(arguments: [
        (#"{"vehicle":"v","stops":[{"id":"S","lat":1,"lon":1}]}"#, "id must be a non-empty string, found nothing"),
        (
            #"{"id":"T","vehicle":"a b","stops":[{"id":"S","lat":1,"lon":1}]}"#,
            #"trip "T": vehicle "a b" is not a valid vehicle id"#
        ),
        (#"{"id":"T","vehicle":"v","stops":[]}"#, #"trip "T": stops is empty; a trip needs at least one stop"#),
        (
            #"{"id":"T","vehicle":"v","stops":[{"id":"S1","lat":1,"lon":1},{"id":"S3","lat":95,"lon":1}]}"#,
            #"trip "T": stop 1 ("S3"): lat 95 out of range"#
        ),
        (
            #"{"id":"T","vehicle":"v","stops":[{"id":"S","lat":1,"lon":1},{"id":"S","lat":1,"lon":1}]}"#,
            #"trip "T": stop 1 ("S"): id already used by stop 0"#
        ),
        (
            #"{"id":"T","vehicle":"v","stops":[{"id":"S","lat":1,"lon":1,"window":{"start":"2026-11-22T10:00:00Z","end":"2026-11-22T09:00:00Z"}}]}"#,
            #"trip "T": stop 0 ("S"): window end "2026-11-22T09:00:00Z" is not after its start "2026-11-22T10:00:00Z""#
        ),
        (
            #"{"id":"T","vehicle":"v","stops":[{"id":"S","lat":1,"lon":1,"window":{"end":"tomorrow"}}]}"#,
            #"trip "T": stop 0 ("S"): window end "tomorrow" is not an RFC 3339 time"#
        ),
        (
            #"{"id":"T","vehicle":"v","stops":[{"id":"S","lat":1,"lon":1}],"route":{"type":"Point","coordinates":[1,1]}}"#,
            #"trip "T": route must be a GeoJSON LineString geometry or a Feature with one, found "type": "Point""#
        ),
        (
            #"[{"id":"T","vehicle":"v","stops":[{"id":"S","lat":1,"lon":1}]},{"id":"T","vehicle":"w","stops":[{"id":"S","lat":1,"lon":1}]}]"#,
            #"trip "T": id already used by trip 0 of the document (this is trip 1)"#
        ),
        (#"{"id":"T","#, "invalid JSON: "),
    ])
    func refusesWhatTheDetectorsRefused(text: String, expected: String) {
        let description = error(text)?.description ?? ""
        #expect(description.hasPrefix(expected), "\(description)")
    }
}
