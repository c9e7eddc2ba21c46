import FixstreamWire
import Foundation
import Testing

/// JSON objects in: native, gpsd `TPV` and OwnTracks `location`, every unit conversion and every reject reason a
/// JSON object can earn, plus the real messages in `Tests/Fixtures/json`.
struct JSONFixDecoderTests {
    // MARK: Native format

    @Test func decodesEveryNativeField() throws {
        let result = decode(
            #"{"id":"van-7","t":"2026-11-22T10:00:00.123Z","lat":46.12345678,"lon":-7.5,"speed":12.5,"course":181.25,"#
                + #""alt":412.3,"hdop":0.9,"sats":9,"acc":4.5,"quality":"dgps","mode":3}"#
        )
        let fix = try #require(result.fixes.first)
        #expect(result.fixes.count == 1)
        #expect(fix.vehicle == VehicleID("van-7"))
        #expect(fix.time == utc(2026, 11, 22, 10, 0, 0, 123))
        #expect(fix.latitude == 46.12345678)
        #expect(fix.longitude == -7.5)
        #expect(fix.speed == 12.5)
        #expect(fix.course == 181.25)
        #expect(fix.altitude == 412.3)
        #expect(fix.hdop == 0.9)
        #expect(fix.satellites == 9)
        #expect(fix.accuracy == 4.5)
        #expect(fix.quality == .differential)
        #expect(fix.mode == .threeD)
        #expect(fix.source == .json)
        #expect(result.stats.fixes == 1)
        #expect(result.stats.jsonObjects == 1)
        #expect(result.stats.rejected == 0)
    }

    @Test func leavesAbsentOptionalsUnknown() throws {
        let fix = try #require(decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2}"#).fixes.first)
        #expect(fix.speed == nil)
        #expect(fix.course == nil)
        #expect(fix.altitude == nil)
        #expect(fix.hdop == nil)
        #expect(fix.satellites == nil)
        #expect(fix.accuracy == nil)
        #expect(fix.quality == .unknown)
        #expect(fix.mode == .unknown)
    }

    @Test func acceptsVehicleAndTimeAsSynonymsOfIDAndT() throws {
        let fix = try #require(
            decode(#"{"vehicle":"bus-3","time":"2026-11-22T10:00:00Z","lat":1,"lon":2}"#).fixes.first
        )
        #expect(fix.vehicle == VehicleID("bus-3"))
        #expect(fix.time == utc(2026, 11, 22, 10, 0, 0))
    }

    @Test func usesTheDefaultVehicleOnlyWhenTheObjectHasNoID() throws {
        let fallback = VehicleID("from-outside")
        let withoutID = decode(#"{"t":1700000000,"lat":1,"lon":2}"#, vehicle: fallback)
        #expect(withoutID.fixes.first?.vehicle == fallback)
        let nullID = decode(#"{"id":null,"t":1700000000,"lat":1,"lon":2}"#, vehicle: fallback)
        #expect(nullID.fixes.first?.vehicle == fallback)
        let withID = decode(#"{"id":"own","t":1700000000,"lat":1,"lon":2}"#, vehicle: fallback)
        #expect(withID.fixes.first?.vehicle == VehicleID("own"))
    }

    @Test func takesANumericIDAsItsDigits() throws {
        let fix = try #require(decode(#"{"id":353861053849681,"t":1700000000,"lat":1,"lon":2}"#).fixes.first)
        #expect(fix.vehicle == VehicleID("353861053849681"))
    }

    @Test func keepsSpeedInMetresPerSecondAndDropsNegativeValues() throws {
        let fix = try #require(decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2,"speed":33.5}"#).fixes.first)
        #expect(fix.speed == 33.5)
        let negative = try #require(
            decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2,"speed":-1,"hdop":-1,"acc":-1,"sats":-1}"#).fixes.first
        )
        #expect(negative.speed == nil)
        #expect(negative.hdop == nil)
        #expect(negative.accuracy == nil)
        #expect(negative.satellites == nil)
    }

    @Test(
        arguments: [
            (0.0, Float(0)), (359.5, 359.5), (360.0, 0), (-1.0, nil), (360.5, nil), (720.0, nil),
        ] as [(Double, Float?)]
    )
    func normalisesCourse(course: Double, expected: Float?) throws {
        let fix = try #require(decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2,"course":\#(course)}"#).fixes.first)
        #expect(fix.course == expected)
    }

    @Test func clampsSatellitesAndKeepsNegativeAltitude() throws {
        let fix = try #require(
            decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2,"sats":300,"alt":-4.25}"#).fixes.first
        )
        #expect(fix.satellites == 255)
        #expect(fix.altitude == -4.25)
    }

    @Test(arguments: FixQuality.allCases)
    func readsEveryQualityName(quality: FixQuality) throws {
        let text = #"{"id":"a","t":1700000000,"lat":1,"lon":2,"quality":"\#(quality.name)"}"#
        let fix = try #require(decode(text).fixes.first)
        #expect(fix.quality == quality)
    }

    @Test func readsAnUnknownQualityNameAsUnknown() throws {
        let fix = try #require(decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2,"quality":"magic"}"#).fixes.first)
        #expect(fix.quality == .unknown)
    }

    @Test func readsNumbersWrittenAsStrings() throws {
        let text =
            #"{"id":"a","t":"1700000000","lat":"46.5","lon":"-7.25","speed":"3.5","course":"90","#
            + #""alt":"12.5","hdop":"1.5","sats":"7","acc":"8"}"#
        let fix = try #require(decode(text).fixes.first)
        #expect(fix.time == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        #expect(fix.latitude == 46.5)
        #expect(fix.longitude == -7.25)
        #expect(fix.speed == 3.5)
        #expect(fix.course == 90)
        #expect(fix.altitude == 12.5)
        #expect(fix.hdop == 1.5)
        #expect(fix.satellites == 7)
        #expect(fix.accuracy == 8)
    }

    @Test func readsNullOptionalsAsUnknown() throws {
        let text =
            #"{"id":"a","t":1700000000,"lat":1,"lon":2,"speed":null,"course":null,"alt":null,"#
            + #""hdop":null,"sats":null,"acc":null,"quality":null,"mode":null}"#
        let result = decode(text)
        let fix = try #require(result.fixes.first)
        #expect(
            fix
                == Fix(
                    vehicle: VehicleID("a")!,
                    time: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000),
                    latitude: 1,
                    longitude: 2,
                    source: .json
                )
        )
        #expect(result.stats.rejected == 0)
    }

    @Test func acceptsCoordinatesOnTheBoundary() {
        let result = decode(
            #"{"id":"a","t":1700000000,"lat":90,"lon":-180}{"id":"a","t":1700000000,"lat":-90,"lon":180}"#
        )
        #expect(result.fixes.map(\.latitude) == [90, -90])
        #expect(result.fixes.map(\.longitude) == [-180, 180])
    }

    // MARK: Time

    @Test(
        arguments: [
            ("1440395361", 1_440_395_361_000),
            ("1440395361.123", 1_440_395_361_123),
            ("1440395361123", 1_440_395_361_123),
            ("99999999999", 99_999_999_999_000),  // just below the threshold: seconds (year 5138)
            ("100000000000", 100_000_000_000),  // the threshold: milliseconds (1973)
            ("0", 0),
            ("\"1440395361\"", 1_440_395_361_000),
            ("\"1440395361123\"", 1_440_395_361_123),
        ] as [(String, Int64)]
    )
    func readsEpochSecondsAndMilliseconds(time: String, milliseconds: Int64) throws {
        let fix = try #require(decode(#"{"id":"a","t":\#(time),"lat":1,"lon":2}"#).fixes.first)
        #expect(fix.time.millisecondsSinceEpoch == milliseconds)
    }

    @Test(arguments: [
        ("2026-11-22T10:00:00Z", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T10:00:00z", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T10:00:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22 10:00:00Z", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T12:00:00+02:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T12:00:00+0200", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T12:00:00+02", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T04:30:00-05:30", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-23T01:00:00+15:00", utc(2026, 11, 22, 10, 0, 0)),
        ("2026-11-22T23:30:00.250-01:00", utc(2026, 11, 23, 0, 30, 0, 250)),
        ("2026-11-22T10:00:00.5Z", utc(2026, 11, 22, 10, 0, 0, 500)),
        ("2026-11-22T10:00:00.12Z", utc(2026, 11, 22, 10, 0, 0, 120)),
        ("2026-11-22T10:00:00.123999999Z", utc(2026, 11, 22, 10, 0, 0, 123)),
        ("2024-02-29T00:00:00Z", utc(2024, 2, 29, 0, 0, 0)),
    ])
    func readsRFC3339InAnyOffsetAsUTC(text: String, expected: Timestamp) throws {
        let fix = try #require(decode(#"{"id":"a","t":"\#(text)","lat":1,"lon":2}"#).fixes.first)
        #expect(fix.time == expected)
    }

    @Test(arguments: [
        #""2026-02-30T10:00:00Z""#,
        #""2025-02-29T10:00:00Z""#,
        #""2026-11-22T24:00:00Z""#,
        #""2026-11-22T10:60:00Z""#,
        #""2026-11-22T10:00:00.Z""#,
        #""2026-11-22T10:00:00+2:00""#,
        #""2026-11-22T10:00:00Zjunk""#,
        #""2026-11-22""#,
        #""yesterday""#,
        #""""#,
        "-5",
        "1e20",
        "true",
        "[1440395361]",
    ])
    func rejectsBadTimes(time: String) {
        let result = decode(#"{"id":"a","t":\#(time),"lat":1,"lon":2}"#)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.badTime] == 1)
        #expect(result.stats.rejected == 1)
    }

    // MARK: Strings and escapes

    @Test(
        arguments: [
            (#""van\/7""#, "van/7"),
            (#""\u0041BC""#, "ABC"),
            (#""van\u002D7""#, "van-7"),
            (#""a\\b""#, nil),  // a backslash is not allowed in an id
            (#""a\"b""#, nil),  // nor is a quote
            (#""caf\u00e9""#, nil),  // nor anything outside ASCII
            (#""a\nb""#, nil),
            (#""a\u00""#, nil),
        ] as [(String, String?)]
    )
    func unescapesIDs(id: String, expected: String?) {
        let result = decode(#"{"id":\#(id),"t":1700000000,"lat":1,"lon":2}"#)
        if let expected {
            #expect(result.fixes.first?.vehicle == VehicleID(expected))
        } else {
            #expect(result.fixes.isEmpty)
            #expect(result.stats[.badVehicleID] == 1)
        }
    }

    @Test func unescapesTimes() throws {
        let fix = try #require(
            decode(#"{"id":"a","t":"2026\u002d11-22T10:00:00\u002E123Z","lat":1,"lon":2}"#).fixes.first
        )
        #expect(fix.time == utc(2026, 11, 22, 10, 0, 0, 123))
    }

    @Test func skipsEscapedQuotesAndBracesInsideIgnoredStrings() throws {
        let text = #"{"note":"say \"}\" and {[","id":"a","t":1700000000,"lat":1,"lon":2}"#
        let result = decode(text)
        #expect(result.fixes.first?.vehicle == VehicleID("a"))
        #expect(result.stats.rejected == 0)
    }

    // MARK: Structure

    @Test func skipsUnknownFieldsNestedObjectsAndArrays() throws {
        let text =
            #"{"extra":{"a":[1,{"b":"}]"}],"c":{}},"id":"a","list":[1,[2,3],{"d":null}],"flag":true,"#
            + #""none":null,"t":1700000000,"lat":1,"lon":2,"deep":{"e":{"f":{"g":[[]]}}}}"#
        let result = decode(text)
        #expect(result.fixes.count == 1)
        #expect(result.fixes.first?.latitude == 1)
        #expect(result.stats.rejected == 0)
    }

    @Test func letsTheLastOfDuplicateKeysWin() throws {
        let fix = try #require(
            decode(#"{"id":"a","id":"b","t":1,"t":1700000000,"lat":1,"lat":3,"lon":2,"speed":1,"speed":5}"#)
                .fixes.first
        )
        #expect(fix.vehicle == VehicleID("b"))
        #expect(fix.time == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        #expect(fix.latitude == 3)
        #expect(fix.speed == 5)
    }

    @Test func toleratesWhitespaceEverywhere() throws {
        let fix = try #require(
            decode("{ \"id\" :\t\"a\" ,\r\n \"t\" : 1700000000 , \"lat\" : 1 , \"lon\" : 2 }").fixes.first
        )
        #expect(fix.vehicle == VehicleID("a"))
    }

    @Test func decodesTheObjectAndCountsTrailingGarbageOnTheLineAsUnrecognized() {
        let result = decode(#"{"id":"a","t":1700000000,"lat":1,"lon":2} trailing words"# + "\n")
        #expect(result.fixes.count == 1)
        #expect(result.stats[.unrecognized] == 1)
        #expect(result.stats[.malformedJSON] == 0)
    }

    @Test func refusesTrailingGarbageInsideOneObjectRecord() {
        var fixes: [Fix] = []
        var stats = DecodeStats()
        let decoder = JSONFixDecoder()
        Array(#"{"id":"a","t":1700000000,"lat":1,"lon":2} x"#.utf8).withUnsafeBytes {
            decoder.decodeObject($0, into: &fixes, stats: &stats)
        }
        #expect(fixes.isEmpty)
        #expect(stats[.malformedJSON] == 1)
    }

    @Test func decodesSeveralObjectsPerLineAndArrays() {
        let text = """
            {"id":"a","t":1700000000,"lat":1,"lon":1} {"id":"a","t":1700000001,"lat":2,"lon":2}
            [{"id":"a","t":1700000002,"lat":3,"lon":3},{"id":"a","t":1700000003,"lat":4,"lon":4}]
            [
              {
                "id": "a",
                "t": 1700000004,
                "lat": 5,
                "lon": 5
              },
              {"id": "a", "t": 1700000005, "lat": 6, "lon": 6}
            ]

            """
        let result = decode(text)
        #expect(result.fixes.map(\.latitude) == [1, 2, 3, 4, 5, 6])
        #expect(result.fixes.map(\.time.millisecondsSinceEpoch) == (0 ..< 6).map { 1_700_000_000_000 + $0 * 1000 })
        #expect(result.stats.jsonObjects == 6)
        #expect(result.stats.rejected == 0)
    }

    // MARK: Rejects

    @Test(arguments: [
        #"{"id":"a","t":1700000000,"lat":1,}"#,
        #"{"id":"a",,"t":1700000000}"#,
        #"{"id" "a"}"#,
        #"{id:"a"}"#,
        #"{"id":"a" "t":1}"#,
        #"{"id":"a","lat":nan}"#,
        #"{"id":"a","ok":tru}"#,
        #"{"id":"a","ok":nothing}"#,
        #"{"id":"a","list":[1,2}"#,
        "{\"id\":\"a\tb\",\"t\":1700000000,\"lat\":1,\"lon\":2}",
        #"{"id":"a","t":1700000000,"lat":1,"lon":2"#,
    ])
    func rejectsMalformedJSON(text: String) {
        let result = decode(text)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.malformedJSON] == 1)
        #expect(result.stats.rejected == 1)
        #expect(result.stats.jsonObjects == 1)
    }

    @Test(arguments: [
        #"{"id":"a","lat":1,"lon":2}"#,
        #"{"id":"a","t":null,"lat":1,"lon":2}"#,
        #"{"id":"a","t":1700000000,"lon":2}"#,
        #"{"id":"a","t":1700000000,"lat":1}"#,
        #"{"id":"a","t":1700000000,"lat":null,"lon":2}"#,
        #"{"id":"a","t":1700000000,"lat":1,"lon":null}"#,
        #"{}"#,
    ])
    func rejectsMissingRequiredFields(text: String) {
        let result = decode(text)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.missingField] == 1)
        #expect(result.stats.rejected == 1)
    }

    @Test(arguments: [
        #""lat":"north","lon":2"#,
        #""lat":true,"lon":2"#,
        #""lat":{"deg":1},"lon":2"#,
        #""lat":1,"lon":[2]"#,
        #""lat":1e999,"lon":2"#,
        #""lat":1,"lon":2,"speed":"fast""#,
        #""lat":1,"lon":2,"speed":false"#,
        #""lat":1,"lon":2,"course":"north""#,
        #""lat":1,"lon":2,"alt":[]"#,
        #""lat":1,"lon":2,"hdop":"x""#,
        #""lat":1,"lon":2,"sats":[9]"#,
        #""lat":1,"lon":2,"acc":"4.5m""#,
        #""lat":1.2.3,"lon":2"#,
    ])
    func rejectsValuesOfTheWrongType(fields: String) {
        let result = decode(#"{"id":"a","t":1700000000,\#(fields)}"#)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.badValue] == 1)
        #expect(result.stats.rejected == 1)
    }

    @Test(arguments: [(90.000001, 0.0), (-90.5, 0), (0, 180.000001), (0, -181)] as [(Double, Double)])
    func rejectsCoordinatesOutOfRange(latitude: Double, longitude: Double) {
        let result = decode(#"{"id":"a","t":1700000000,"lat":\#(latitude),"lon":\#(longitude)}"#)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.badCoordinates] == 1)
    }

    @Test func rejectsAnObjectWithoutAnyVehicleID() {
        let result = decode(#"{"t":1700000000,"lat":1,"lon":2}"#)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.missingVehicleID] == 1)
        #expect(result.stats.rejected == 1)
    }

    @Test(arguments: [
        #""has space""#,
        #""""#,
        "\"" + String(repeating: "x", count: 49) + "\"",
        "true",
        #"{"name":"a"}"#,
        #"["a"]"#,
    ])
    func rejectsBadVehicleIDs(id: String) {
        let result = decode(#"{"id":\#(id),"t":1700000000,"lat":1,"lon":2}"#, vehicle: VehicleID("fallback"))
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.badVehicleID] == 1)
        #expect(result.stats.rejected == 1)
    }

    @Test func acceptsAnIDOfExactlyTheCapacity() {
        let id = String(repeating: "x", count: VehicleID.capacity)
        let result = decode(#"{"id":"\#(id)","t":1700000000,"lat":1,"lon":2}"#)
        #expect(result.fixes.first?.vehicle == VehicleID(id))
    }

    @Test func rejectsAnObjectLongerThanTheCap() {
        let padded = #"{"id":"a","t":1700000000,"lat":1,"lon":2,"pad":""# + String(repeating: "x", count: 200) + #""}"#
        let text = padded + "\n" + #"{"id":"b","t":1700000000,"lat":1,"lon":2}"# + "\n"
        let result = decode(text, maxObjectLength: 128)
        #expect(result.fixes.map(\.vehicle) == [VehicleID("b")])
        #expect(result.stats[.tooLong] == 1)
        #expect(result.stats.rejected == 1)
    }

    @Test func rejectsAnObjectBrokenByARawLineBreakInAString() {
        let text =
            #"{"id":"a","t":"2026-11-22"# + "\n" + #"T10:00:00Z","lat":1,"lon":2}"# + "\n"
            + #"{"id":"b","t":1700000000,"lat":1,"lon":2}"# + "\n"
        let result = decode(text)
        #expect(result.fixes.map(\.vehicle) == [VehicleID("b")])
        #expect(result.stats[.malformedJSON] == 1)
        #expect(result.stats[.unrecognized] == 1)  // the rest of the broken object's second line
        #expect(result.stats.jsonObjects == 2)
    }

    @Test func countsCommentsAndOtherTextInAJSONStream() {
        let result = decode("# exported 2026-11-22\n  # indented\nnot json\n$GPGGA,1*00\n")
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.comment] == 2)
        #expect(result.stats[.unrecognized] == 2)
        #expect(result.stats.jsonObjects == 0)
    }

    // MARK: gpsd

    @Test func decodesAGpsdTPV() throws {
        let text =
            #"{"class":"TPV","device":"/dev/ttyUSB0","status":2,"mode":3,"time":"2024-01-30T15:31:52.100Z","#
            + #""ept":0.005,"lat":48.7409605,"lon":9.3117328,"altHAE":311.221,"altMSL":263.61,"alt":263.61,"#
            + #""track":250.9091,"speed":0.832,"eph":3.5,"climb":0.1}"#
        let result = decode(text)
        let fix = try #require(result.fixes.first)
        #expect(fix.vehicle == VehicleID("/dev/ttyUSB0"))
        #expect(fix.time == utc(2024, 1, 30, 15, 31, 52, 100))
        #expect(fix.latitude == 48.7409605)
        #expect(fix.longitude == 9.3117328)
        #expect(fix.altitude == 263.61)
        #expect(fix.speed == 0.832)
        #expect(fix.course == 250.9091)
        #expect(fix.accuracy == 3.5)
        #expect(fix.mode == .threeD)
        #expect(fix.quality == .differential)
        #expect(fix.source == .gpsd)
    }

    @Test func prefersAltMSLOverAltWhateverTheOrder() throws {
        let fix = try #require(
            decode(
                #"{"altMSL":10.5,"alt":99,"class":"TPV","mode":3,"time":1700000000,"lat":1,"lon":2}"#,
                vehicle: VehicleID("gps0")
            ).fixes.first
        )
        #expect(fix.altitude == 10.5)
        let onlyAlt = try #require(
            decode(
                #"{"class":"TPV","mode":3,"time":1700000000,"lat":1,"lon":2,"alt":99}"#,
                vehicle: VehicleID("gps0")
            ).fixes.first
        )
        #expect(onlyAlt.altitude == 99)
    }

    @Test(arguments: [(2, FixMode.twoD), (3, .threeD)])
    func acceptsGpsdModesTwoAndThree(mode: Int, expected: FixMode) throws {
        let text = #"{"class":"TPV","mode":\#(mode),"time":"2015-10-10T09:12:32.000Z","lat":48.2,"lon":8.4}"#
        let fix = try #require(decode(text, vehicle: VehicleID("gps0")).fixes.first)
        #expect(fix.mode == expected)
        #expect(fix.quality == .autonomous)
    }

    @Test(arguments: [0, 1])
    func rejectsGpsdModesWithoutAFix(mode: Int) {
        let text = #"{"class":"TPV","mode":\#(mode),"time":"2015-10-10T09:12:32.000Z","lat":48.2,"lon":8.4}"#
        let result = decode(text, vehicle: VehicleID("gps0"))
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.noFixReported] == 1)
        #expect(RejectReason.noFixReported.name == "invalid_fix.no_fix_mode")
    }

    @Test func rejectsAGpsdTPVWithoutAUsableMode() {
        let missing = decode(#"{"class":"TPV","time":1700000000,"lat":1,"lon":2}"#, vehicle: VehicleID("gps0"))
        #expect(missing.stats[.missingField] == 1)
        let bad = decode(#"{"class":"TPV","mode":"3D","time":1700000000,"lat":1,"lon":2}"#, vehicle: VehicleID("gps0"))
        #expect(bad.stats[.badValue] == 1)
    }

    @Test(
        arguments: [
            (nil, FixQuality.autonomous), (1, .autonomous), (2, .differential), (3, .rtkFixed), (4, .rtkFloat),
            (5, .estimated), (8, .simulated),
        ] as [(Int?, FixQuality)]
    )
    func mapsGpsdStatusToQuality(status: Int?, expected: FixQuality) throws {
        let statusField = status.map { #","status":\#($0)"# } ?? ""
        let text = #"{"class":"TPV","mode":3\#(statusField),"time":1700000000,"lat":1,"lon":2}"#
        let fix = try #require(decode(text, vehicle: VehicleID("gps0")).fixes.first)
        #expect(fix.quality == expected)
    }

    @Test(arguments: ["SKY", "VERSION", "DEVICES", "WATCH", "ATT", "tpv"])
    func ignoresOtherGpsdClasses(type: String) {
        let result = decode(
            #"{"class":"\#(type)","time":1700000000,"lat":1,"lon":2,"mode":3}"#,
            vehicle: VehicleID("g")
        )
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.otherMessage] == 1)
        #expect(result.stats.rejected == 0)
        #expect(result.stats.jsonObjects == 1)
    }

    // MARK: OwnTracks

    @Test func decodesAnOwnTracksLocation() throws {
        let text =
            #"{"cog":271,"lon":2.29513,"acc":5,"vel":61,"vac":21,"lat":48.85833,"tst":1497349316,"#
            + #""alt":167,"_type":"location","tid":"JJ","t":"u","batt":67}"#
        let fix = try #require(decode(text).fixes.first)
        #expect(fix.vehicle == VehicleID("JJ"))
        #expect(fix.time == Timestamp(millisecondsSinceEpoch: 1_497_349_316_000))
        #expect(fix.latitude == 48.85833)
        #expect(fix.longitude == 2.29513)
        #expect(abs(try #require(fix.speed) - 61 / 3.6) < 1e-5)
        #expect(fix.course == 271)
        #expect(fix.altitude == 167)
        #expect(fix.accuracy == 5)
        #expect(fix.source == .owntracks)
    }

    @Test func readsOwnTracksMinusOneAsUnknown() throws {
        let text = #"{"_type":"location","tid":"NE","tst":1440395361,"lat":52.3,"lon":10.0,"vel":-1,"cog":-1}"#
        let fix = try #require(decode(text).fixes.first)
        #expect(fix.speed == nil)
        #expect(fix.course == nil)
    }

    @Test func readsOwnTracksZeroVelocityAsStanding() throws {
        let text = #"{"_type":"location","tid":"NE","tst":1440395361,"lat":52.3,"lon":10.0,"vel":0}"#
        let fix = try #require(decode(text).fixes.first)
        #expect(fix.speed == 0)
    }

    @Test func readsAnOwnTracksTimestampWrittenAsAString() throws {
        let text = #"{"_type":"location","tid":"NE","tst":"1440363922","lat":52.3,"lon":10.0}"#
        let fix = try #require(decode(text).fixes.first)
        #expect(fix.time == Timestamp(millisecondsSinceEpoch: 1_440_363_922_000))
    }

    @Test func neverTakesTheOwnTracksTriggerForATime() {
        let result = decode(#"{"_type":"location","tid":"NE","t":"1440363922","lat":52.3,"lon":10.0}"#)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.missingField] == 1)
    }

    @Test func usesTheDefaultVehicleForOwnTracksWithoutTid() {
        let text = #"{"_type":"location","tst":1440363922,"lat":52.3,"lon":10.0}"#
        #expect(decode(text, vehicle: VehicleID("phone")).fixes.first?.vehicle == VehicleID("phone"))
        #expect(decode(text).stats[.missingVehicleID] == 1)
    }

    @Test(arguments: ["lwt", "transition", "waypoint", "card", "cmd", "status"])
    func ignoresOtherOwnTracksTypes(type: String) {
        let result = decode(#"{"_type":"\#(type)","tst":"1440363922","tid":"NE","lat":52.3,"lon":10.0}"#)
        #expect(result.fixes.isEmpty)
        #expect(result.stats[.otherMessage] == 1)
        #expect(result.stats.rejected == 0)
    }

    // MARK: Round trip

    @Test func readsBackWhatTheWriterWrote() throws {
        let text =
            #"{"id":"van-7","t":"2026-11-22T12:00:00.123+02:00","lat":46.123456789,"lon":-7.987654321,"#
            + #""speed":12.345,"course":181.25,"alt":412.3,"hdop":0.9,"sats":9,"acc":4.5,"quality":"rtk","mode":2}"#
        let original = try #require(decode(text).fixes.first)
        var written: [UInt8] = []
        FixJSONWriter.append(original, to: &written)
        let result = decode(String(decoding: written, as: UTF8.self))
        var reread = try #require(result.fixes.first)
        #expect(result.stats.rejected == 0)
        #expect(abs(reread.latitude - original.latitude) < 1e-8)
        #expect(abs(reread.longitude - original.longitude) < 1e-8)
        reread.latitude = original.latitude
        reread.longitude = original.longitude
        #expect(reread == original)
    }

    @Test func readsBackAMinimalFix() throws {
        let original = Fix(
            vehicle: VehicleID("x")!,
            time: Timestamp(millisecondsSinceEpoch: 1),
            latitude: -89.5,
            longitude: 179.25,
            source: .json
        )
        var written: [UInt8] = []
        FixJSONWriter.append(original, to: &written)
        #expect(decode(String(decoding: written, as: UTF8.self)).fixes == [original])
    }

    // MARK: Real messages (Tests/Fixtures/json)

    @Test func fixturesAreAllThere() {
        #expect(FixtureMessage.load("gpsd_tpv_sky.jsonl").count == 28)
        #expect(FixtureMessage.load("owntracks_location.jsonl").count == 6)
        #expect(FixtureMessage.load("traccar_osmand.jsonl").count == 15)
    }

    @Test(arguments: FixtureMessage.load("gpsd_tpv_sky.jsonl"))
    func decodesGpsdReports(message: FixtureMessage) throws {
        let object = try message.object()
        let result = decode(message.payload, vehicle: VehicleID("gps0"))
        #expect(result.stats.jsonObjects == 1)
        guard object["class"] as? String == "TPV" else {
            #expect(result.fixes.isEmpty)
            #expect(result.stats[.otherMessage] == 1)
            #expect(result.stats.rejected == 0)
            return
        }
        let mode = try #require(object["mode"] as? Int)
        guard mode >= 2 else {
            #expect(result.fixes.isEmpty)
            #expect(result.stats[.noFixReported] == 1)
            return
        }
        guard let time = object["time"] as? String else {
            // gpsd reports a position before it knows the time; without one there is no fix.
            #expect(result.fixes.isEmpty)
            #expect(result.stats[.missingField] == 1)
            return
        }
        let fix = try #require(result.fixes.first)
        #expect(result.fixes.count == 1)
        #expect(fix.vehicle == VehicleID(object["device"] as? String ?? "gps0"))
        let expectedTime = try iso8601(time)
        #expect(fix.time == expectedTime)
        #expect(abs(fix.latitude - (try #require(object["lat"] as? Double))) < 1e-9)
        #expect(abs(fix.longitude - (try #require(object["lon"] as? Double))) < 1e-9)
        #expect(fix.speed == (object["speed"] as? Double).map { Float($0) })
        #expect(fix.course == (object["track"] as? Double).map { Float($0) })
        #expect(fix.altitude == (object["altMSL"] as? Double ?? object["alt"] as? Double))
        #expect(fix.accuracy == (object["eph"] as? Double).map { Float($0) })
        #expect(fix.mode == (mode == 3 ? .threeD : .twoD))
        #expect(fix.source == .gpsd)
    }

    @Test(arguments: FixtureMessage.load("owntracks_location.jsonl"))
    func decodesOwnTracksLocations(message: FixtureMessage) throws {
        let object = try message.object()
        let result = decode(message.payload)
        let fix = try #require(result.fixes.first)
        #expect(result.fixes.count == 1)
        #expect(result.stats.rejected == 0)
        #expect(fix.vehicle == VehicleID(try #require(object["tid"] as? String)))
        let seconds = try #require(object["tst"] as? Int64)
        #expect(fix.time == Timestamp(millisecondsSinceEpoch: seconds * 1000))
        #expect(abs(fix.latitude - (try #require(object["lat"] as? Double))) < 1e-9)
        #expect(abs(fix.longitude - (try #require(object["lon"] as? Double))) < 1e-9)
        if let velocity = object["vel"] as? Double, velocity >= 0 {
            #expect(abs(try #require(fix.speed) - Float(velocity / 3.6)) < 1e-5)
        } else {
            #expect(fix.speed == nil)
        }
        let course = object["cog"] as? Double
        #expect(fix.course == course.flatMap { $0 < 0 ? nil : Float($0) })
        #expect(fix.altitude == object["alt"] as? Double)
        #expect(fix.accuracy == (object["acc"] as? Double).map { Float($0) })
        #expect(fix.source == .owntracks)
    }

    // MARK: Helpers

    /// One line of a fixture file in `Tests/Fixtures/json`: the upstream message and where it came from.
    struct FixtureMessage: Sendable, CustomTestStringConvertible {
        /// File name and line number, for test output.
        var location: String
        /// The message exactly as the source wrote it.
        var payload: String

        var testDescription: String { location }

        /// The payload parsed by Foundation.
        func object() throws -> [String: Any] {
            let parsed = try JSONSerialization.jsonObject(with: Data(payload.utf8))
            return try #require(parsed as? [String: Any])
        }

        /// Every line of `name`; empty when the file cannot be read (``JSONFixDecoderTests/fixturesAreAllThere()``
        /// then fails).
        static func load(_ name: String) -> [FixtureMessage] {
            let url = Fixtures.url("json/\(name)")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").enumerated().compactMap { index, line in
                guard let data = line.data(using: .utf8),
                    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let payload = object["payload"] as? String
                else { return nil }
                return FixtureMessage(location: "\(name):\(index + 1)", payload: payload)
            }
        }
    }

    /// Decodes `text` as a whole JSON stream.
    private func decode(
        _ text: String,
        vehicle: VehicleID? = nil,
        maxObjectLength: Int = 64 * 1024
    ) -> (fixes: [Fix], stats: DecodeStats) {
        var decoder = FixDecoder(format: .json, vehicle: vehicle, maxObjectLength: maxObjectLength)
        var fixes: [Fix] = []
        Array(text.utf8).withUnsafeBytes { decoder.decode($0, into: &fixes) }
        decoder.finish(into: &fixes)
        return (fixes, decoder.stats)
    }

    /// Parses ISO 8601 UTC text with Foundation, independently of the code under test.
    private func iso8601(_ text: String) throws -> Timestamp {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: text))
        return Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}

/// A UTC instant from its civil parts.
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
