import FixstreamWire
import Testing

/// The OsmAnd protocol: query and form parameters with their units and synonyms, every timestamp form, encoding,
/// each reject reason, the Transistorsoft JSON body of Traccar Client 7+, and hostile input.
struct OsmAndDecoderTests {
    static let now = utc(2026, 11, 22, 12, 0, 0)

    // MARK: Query parameters

    @Test func decodesEveryParameter() throws {
        let result = query(
            "id=van-7&timestamp=1700000000&lat=46.12345678&lon=-7.5&speed=10&bearing=181.25&altitude=412.3"
                + "&accuracy=4.5&hdop=0.9&batt=87&charge=true&driverUniqueId=d1"
        )
        let fix = try #require(result.fix)
        #expect(fix.vehicle == VehicleID("van-7"))
        #expect(fix.time == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        #expect(fix.latitude == 46.12345678)
        #expect(fix.longitude == -7.5)
        #expect(fix.speed == Float(10 * 1852.0 / 3600.0))
        #expect(fix.course == 181.25)
        #expect(fix.altitude == 412.3)
        #expect(fix.accuracy == 4.5)
        #expect(fix.hdop == 0.9)
        #expect(fix.satellites == nil)
        #expect(fix.quality == .unknown)
        #expect(fix.source == .osmand)
    }

    @Test func leavesAbsentOptionalsUnknownAndUsesNowWithoutATimestamp() throws {
        let fix = try #require(query("id=a&lat=1&lon=2").fix)
        #expect(fix.time == Self.now)
        #expect(fix.speed == nil && fix.course == nil && fix.altitude == nil)
        #expect(fix.accuracy == nil && fix.hdop == nil)
        let empty = try #require(query("id=a&lat=1&lon=2&speed=&bearing=&altitude=").fix)
        #expect(empty.speed == nil && empty.course == nil && empty.altitude == nil)
    }

    @Test func acceptsDeviceIDAndHeadingAsSynonyms() throws {
        let fix = try #require(query("deviceid=123456789012345&lat=1&lon=2&heading=90").fix)
        #expect(fix.vehicle == VehicleID("123456789012345"))
        #expect(fix.course == 90)
    }

    @Test(arguments: [(0, 0), (1, Float(1852.0 / 3600.0)), (36, 18.52), (97.2, 50.004)] as [(Double, Float)])
    func convertsKnotsToMetresPerSecond(knots: Double, metersPerSecond: Float) throws {
        let fix = try #require(query("id=a&lat=1&lon=2&speed=\(knots)").fix)
        #expect(fix.speed == metersPerSecond)
        #expect(fix.speed == Float(knots * OsmAndDecoder.metersPerSecondPerKnot))
    }

    @Test func treatsNegativeSpeedAndOutOfRangeCourseAsUnknown() throws {
        let fix = try #require(query("id=a&lat=1&lon=2&speed=-1&bearing=-1&accuracy=-1&hdop=-1").fix)
        #expect(fix.speed == nil && fix.course == nil && fix.accuracy == nil && fix.hdop == nil)
        #expect(query("id=a&lat=1&lon=2&bearing=360").fix?.course == 0)
        #expect(query("id=a&lat=1&lon=2&bearing=361").fix?.course == nil)
        #expect(query("id=a&lat=1&lon=2&altitude=-12.5").fix?.altitude == -12.5)
    }

    @Test func usesTheLastOfRepeatedParameters() {
        #expect(query("id=a&lat=1&lon=2&lat=3").fix?.latitude == 3)
    }

    // MARK: Timestamps

    @Test(arguments: [
        ("1700000000", Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)),
        ("1700000000.25", Timestamp(millisecondsSinceEpoch: 1_700_000_000_250)),
        ("1700000000123", Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)),
        ("99999999999", Timestamp(millisecondsSinceEpoch: 99_999_999_999_000)),
        ("100000000000", Timestamp(millisecondsSinceEpoch: 100_000_000_000)),
        ("2026-11-22T10:00:00Z", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T10:00:00.123Z", utc(2026, 11, 22, 10, 0, 0, 123)),
        ("2026-11-22T10%3A00%3A00Z", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T12:00:00%2B02:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T12:00:00+02:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T12:00:00.5+0200", utc(2026, 11, 22, 10, 0, 0, 500)),
        ("2026-11-22T08:00:00-02:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22 10:00:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22%2010:00:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22+10:00:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22+10%3A00%3A00", utc(2026, 11, 22, 10, 0, 0)),
    ])
    func readsEachTimestampForm(timestamp: String, expected: Timestamp) {
        #expect(query("id=a&lat=1&lon=2&timestamp=\(timestamp)").fix?.time == expected)
    }

    @Test(arguments: ["", "yesterday", "-5", "2026-02-30 10:00:00", "2026-11-22T25:00:00Z", "2026-11-22", "1e20", "%"])
    func refusesAnUnreadableTimestamp(timestamp: String) {
        #expect(query("id=a&lat=1&lon=2&timestamp=\(timestamp)") == .rejected(.badTime))
    }

    // MARK: Encoding and location

    @Test func decodesPercentEncodingAndPlus() throws {
        let fix = try #require(query("%69d=van%2D7&lat=%2B46%2E5&lon=7.25&bearing=%39%30").fix)
        #expect(fix.vehicle == VehicleID("van-7"))
        #expect(fix.latitude == 46.5)
        #expect(fix.course == 90)
        #expect(query("id=van+7&lat=1&lon=2") == .rejected(.badVehicleID))
        #expect(query("id=van%207&lat=1&lon=2") == .rejected(.badVehicleID))
    }

    @Test func readsLocationAsLatitudeCommaLongitude() throws {
        let fix = try #require(query("id=a&location=46.5,-7.25").fix)
        #expect(fix.latitude == 46.5 && fix.longitude == -7.25)
        #expect(query("id=a&location=46.5%2C-7.25").fix?.longitude == -7.25)
        #expect(query("id=a&location=46.5,+-7.25").fix?.longitude == -7.25)
        #expect(query("id=a&location=1,2&lat=3&lon=4").fix?.latitude == 3)
        #expect(query("id=a&location=46.5") == .rejected(.badValue))
        #expect(query("id=a&location=46.5,x") == .rejected(.badValue))
        #expect(query("id=a&location=46.5,200") == .rejected(.badCoordinates))
    }

    // MARK: Rejects

    @Test(arguments: [
        ("lat=1&lon=2", RejectReason.missingVehicleID),
        ("id=&lat=1&lon=2", .missingVehicleID),
        ("deviceid=&lat=1&lon=2", .missingVehicleID),
        ("id=has\"quote&lat=1&lon=2", .badVehicleID),
        ("id=\(String(repeating: "x", count: 49))&lat=1&lon=2", .badVehicleID),
        ("id=%00&lat=1&lon=2", .badVehicleID),
        ("id=caf%C3%A9&lat=1&lon=2", .badVehicleID),
        ("id=a&lon=2", .missingField),
        ("id=a&lat=1", .missingField),
        ("id=a&lat=&lon=2", .missingField),
        ("id=a", .missingField),
        ("id=a&lat=abc&lon=2", .badValue),
        ("id=a&lat=1&lon=2.2.2", .badValue),
        ("id=a&lat=nan&lon=2", .badValue),
        ("id=a&lat=91&lon=2", .badCoordinates),
        ("id=a&lat=-90.0001&lon=2", .badCoordinates),
        ("id=a&lat=1&lon=-181", .badCoordinates),
        ("id=a&lat=1e999&lon=2", .badCoordinates),
        ("id=a&lat=1&lon=2&speed=fast", .badValue),
        ("id=a&lat=1&lon=2&bearing=north", .badValue),
        ("id=a&lat=1&lon=2&altitude=1e999", .badValue),
        ("id=a&lat=1&lon=2&accuracy=x", .badValue),
        ("id=a&lat=1&lon=2&hdop=x", .badValue),
        ("id=a&lat=1&lon=2&valid=false", .statusVoid),
        ("id=a&lat=1&lon=2&valid=FALSE", .statusVoid),
        ("id=a&lat=1&lon=2&valid=0", .statusVoid),
        ("id=a&valid=false", .statusVoid),
        ("id=a&lat=1&lon=2&valid=maybe", .badValue),
    ])
    func rejectsWithTheRightReason(parameters: String, reason: RejectReason) {
        #expect(query(parameters) == .rejected(reason))
    }

    @Test func acceptsValidTrueAndTheNullIsland() {
        #expect(query("id=a&lat=1&lon=2&valid=true").fix != nil)
        #expect(query("id=a&lat=1&lon=2&valid=1").fix != nil)
        #expect(query("id=a&lat=0&lon=0").fix?.latitude == 0)
        #expect(query("id=a&lat=90&lon=-180").fix != nil)
    }

    // MARK: Choosing the variant

    @Test func readsTheQueryThenAFormBodyThenAJSONBody() {
        let json = #"{"device_id":"j","location":{"coords":{"latitude":1,"longitude":2}}}"#
        #expect(request(query: "id=q&lat=1&lon=2", body: "id=b&lat=1&lon=2").fix?.vehicle == VehicleID("q"))
        #expect(request(query: "", body: "id=b&lat=1&lon=2").fix?.vehicle == VehicleID("b"))
        #expect(request(query: "", body: "\r\n " + json).fix?.vehicle == VehicleID("j"))
        #expect(request(query: "id=q&lat=1&lon=2", body: json).fix?.vehicle == VehicleID("j"))
        #expect(request(query: "", body: "") == .rejected(.missingVehicleID))
    }

    // MARK: JSON (Transistorsoft)

    static let transistorsoft = """
        {"location":{"event":"motionchange","is_moving":true,"uuid":"8d3b-1c","timestamp":"2026-11-22T10:00:00.123Z",
        "odometer":1234.5,"coords":{"latitude":46.12345678,"longitude":-7.5,"accuracy":4.5,"speed":3.25,
        "speed_accuracy":0.5,"heading":181.25,"heading_accuracy":2,"altitude":412.3,"altitude_accuracy":3,
        "ellipsoidal_altitude":460,"floor":null},"activity":{"type":"in_vehicle","confidence":100},
        "battery":{"is_charging":false,"level":0.87},"extras":{"nested":{"deeper":[1,{"x":"}"}]}}},
        "device_id":"van-7"}
        """

    @Test func decodesATransistorsoftReport() throws {
        let fix = try #require(json(Self.transistorsoft).fix)
        #expect(fix.vehicle == VehicleID("van-7"))
        #expect(fix.time == utc(2026, 11, 22, 10, 0, 0, 123))
        #expect(fix.latitude == 46.12345678)
        #expect(fix.longitude == -7.5)
        #expect(fix.speed == 3.25)
        #expect(fix.course == 181.25)
        #expect(fix.altitude == 412.3)
        #expect(fix.accuracy == 4.5)
        #expect(fix.hdop == nil)
        #expect(fix.source == .osmand)
    }

    @Test func treatsMinusOneSpeedAndHeadingAsUnknown() throws {
        let fix = try #require(
            json(
                #"{"device_id":"a","location":{"coords":{"latitude":1,"longitude":2,"speed":-1,"heading":-1,"#
                    + #""accuracy":null,"altitude":null}}}"#
            ).fix
        )
        #expect(fix.speed == nil && fix.course == nil && fix.accuracy == nil && fix.altitude == nil)
        #expect(fix.time == Self.now)
    }

    @Test func acceptsNumericIDsEscapedIDsAndEpochTimestamps() throws {
        let numeric = try #require(
            json(#"{"device_id":12345,"location":{"timestamp":1700000000123,"coords":{"latitude":1,"longitude":2}}}"#)
                .fix
        )
        #expect(numeric.vehicle == VehicleID("12345"))
        #expect(numeric.time == Timestamp(millisecondsSinceEpoch: 1_700_000_000_123))
        let escaped = try #require(
            json(
                #"{"device_id":"van\u002d7","location":{"timestamp":"1700000000","#
                    + #""coords":{"latitude":"1.5","longitude":2}}}"#
            )
            .fix
        )
        #expect(escaped.vehicle == VehicleID("van-7"))
        #expect(escaped.time == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        #expect(escaped.latitude == 1.5)
        let timeEscaped = json(
            #"{"device_id":"a","location":{"timestamp":"2026-11-22T10:00:00\/","coords":{"latitude":1,"longitude":2}}}"#
        )
        #expect(timeEscaped == .rejected(.badTime))
    }

    @Test(arguments: [
        (#"{"location":{"coords":{"latitude":1,"longitude":2}}}"#, RejectReason.missingVehicleID),
        (#"{"device_id":null,"location":{"coords":{"latitude":1,"longitude":2}}}"#, .missingVehicleID),
        (#"{"device_id":"","location":{"coords":{"latitude":1,"longitude":2}}}"#, .missingVehicleID),
        (#"{"device_id":"a b","location":{"coords":{"latitude":1,"longitude":2}}}"#, .badVehicleID),
        (#"{"device_id":{"x":1},"location":{"coords":{"latitude":1,"longitude":2}}}"#, .badVehicleID),
        (#"{"device_id":true,"location":{"coords":{"latitude":1,"longitude":2}}}"#, .badVehicleID),
        (#"{"device_id":"a"}"#, .missingField),
        (#"{"device_id":"a","location":null}"#, .missingField),
        (#"{"device_id":"a","location":"46.1,7.5"}"#, .badValue),
        (#"{"device_id":"a","location":[{"coords":{"latitude":1,"longitude":2}}]}"#, .badValue),
        (#"{"device_id":"a","location":{"timestamp":"x"}}"#, .badTime),
        (#"{"device_id":"a","location":{}}"#, .missingField),
        (#"{"device_id":"a","location":{"coords":[1,2]}}"#, .badValue),
        (#"{"device_id":"a","location":{"coords":{"latitude":1}}}"#, .missingField),
        (#"{"device_id":"a","location":{"coords":{"latitude":null,"longitude":2}}}"#, .missingField),
        (#"{"device_id":"a","location":{"coords":{"latitude":true,"longitude":2}}}"#, .badValue),
        (#"{"device_id":"a","location":{"coords":{"latitude":"north","longitude":2}}}"#, .badValue),
        (#"{"device_id":"a","location":{"coords":{"latitude":95,"longitude":2}}}"#, .badCoordinates),
        (#"{"device_id":"a","location":{"coords":{"latitude":1,"longitude":2,"speed":"x"}}}"#, .badValue),
        (#"{"device_id":"a","location":{"coords":{"latitude":1,"longitude":2,"heading":{}}}}"#, .badValue),
        (#"{"device_id":"a","location":{"timestamp":true,"coords":{"latitude":1,"longitude":2}}}"#, .badTime),
        (#"{"device_id":"a","location":{"timestamp":-1,"coords":{"latitude":1,"longitude":2}}}"#, .badTime),
        (#"[{"device_id":"a"}]"#, .badValue),
        (#"{"device_id":"a","#, .malformedJSON),
        (#"{"device_id":"a"} trailing"#, .malformedJSON),
        (#"{"device_id":"a","location":{"coords":{"latitude":1,,}}}"#, .malformedJSON),
        (#"{"device_id":"a","location":{"coords":{"latitude":1 "longitude":2}}}"#, .malformedJSON),
        (#"{"device_id":"a","location":{"timestamp" 1}}"#, .malformedJSON),
        (#"{"device_id":"a","location":{"coords":{"latitude":1,"longitude":2}}"#, .malformedJSON),
        ("not json", .malformedJSON),
        ("", .malformedJSON),
    ])
    func rejectsJSONWithTheRightReason(text: String, reason: RejectReason) {
        #expect(json(text) == .rejected(reason))
    }

    // MARK: Hostile input

    @Test func survivesLongGarbage() {
        var state: UInt64 = 0xBAD
        for round in 0 ..< 1500 {
            var bytes: [UInt8] = []
            let alphabet = Array(#"{}[]":,-.0123456789eE\ a=&%+ltn"#.utf8)
            for _ in 0 ..< Int(next(&state) % 600) {
                let pick = next(&state)
                bytes.append(
                    round % 2 == 0 ? alphabet[Int(pick % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: pick)
                )
            }
            bytes.withUnsafeBytes { buffer in
                _ = OsmAndDecoder().decodeJSON(buffer, now: Self.now)
                _ = OsmAndDecoder().decodeForm(buffer, now: Self.now)
                _ = OsmAndDecoder().decode(query: buffer, body: buffer, now: Self.now)
            }
        }
        let long = String(repeating: "x", count: 100_000)
        #expect(query(long) == .rejected(.missingVehicleID))
        #expect(query("id=a&lat=" + String(repeating: "1", count: 5000) + "&lon=2") == .rejected(.badCoordinates))
        #expect(
            json("{" + String(repeating: #""k":1,"#, count: 10_000) + #""device_id":"a"}"#) == .rejected(.missingField)
        )
        #expect(json(String(repeating: "{", count: 10_000)) == .rejected(.malformedJSON))
    }
}

private func query(_ text: String, now: Timestamp = OsmAndDecoderTests.now) -> OsmAndResult {
    Array(text.utf8).withUnsafeBytes { OsmAndDecoder().decodeForm($0, now: now) }
}

private func json(_ text: String, now: Timestamp = OsmAndDecoderTests.now) -> OsmAndResult {
    Array(text.utf8).withUnsafeBytes { OsmAndDecoder().decodeJSON($0, now: now) }
}

private func request(query: String, body: String) -> OsmAndResult {
    Array(query.utf8).withUnsafeBytes { queryBytes in
        Array(body.utf8).withUnsafeBytes { bodyBytes in
            OsmAndDecoder().decode(query: queryBytes, body: bodyBytes, now: OsmAndDecoderTests.now)
        }
    }
}

private func utc(
    _ year: Int64,
    _ month: Int64,
    _ day: Int64,
    _ hour: Int64,
    _ minute: Int64,
    _ second: Int64,
    _ millisecond: Int64 = 0
) -> Timestamp {
    Timestamp(
        day: Timestamp.days(year: year, month: month, day: day),
        millisecondOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
    )
}

private func next(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
