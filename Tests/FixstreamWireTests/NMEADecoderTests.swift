import FixstreamWire
import Foundation
import Testing

struct NMEADecoderTests {
    static let rmc = nmea("$GPRMC,123519.25,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
    static let gga = nmea("$GPGGA,123519.25,4807.0381,N,01131.0002,E,1,08,0.9,545.4,M,46.9,M,,")

    // MARK: Sentences and talkers

    @Test(arguments: ["GP", "GN", "GL", "GA", "GB", "BD", "QZ", "GI", "IN"])
    func anyTalker(_ talker: String) throws {
        let sentence = nmea("$\(talker)RMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
        let fix = try #require(decode(sentence + "\n").fixes.first)
        #expect(abs(fix.latitude - 48.1173) < 1e-9)
        #expect(abs(fix.longitude - 11.516666666) < 1e-8)
        #expect(iso(fix.time) == "1994-03-23T12:35:19.000Z")
    }

    @Test func rmcUnitsAndFields() throws {
        let fix = try #require(decode(Self.rmc + "\n").fixes.first)
        #expect(abs(Double(fix.speed!) - 22.4 * 1852 / 3600) < 1e-5)
        #expect(fix.course == 84.4)
        #expect(fix.time.millisecondOfDay % 1000 == 250)
        #expect(fix.source == .nmea)
        #expect(fix.vehicle == VehicleID("test"))
    }

    @Test func epochMergesRMCAndGGA() throws {
        let (fixes, stats) = decode(
            [Self.gga, Self.rmc, nmea("$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1")]
                .joined(separator: "\r\n") + "\r\n"
        )
        #expect(fixes.count == 1 && stats.fixes == 1)
        let fix = try #require(fixes.first)
        #expect(fix.altitude == 545.4)
        #expect(fix.satellites == 8)
        #expect(fix.hdop == 0.9)  // GGA's HDOP is kept over GSA's
        #expect(fix.quality == .autonomous)
        #expect(fix.mode == .threeD)
        #expect(fix.speed != nil && fix.course == 84.4)
        // The GGA position has more digits than the RMC one and is preferred.
        #expect(abs(fix.latitude - (48 + 7.0381 / 60)) < 1e-12)
    }

    @Test func newTimeClosesTheEpoch() {
        let second = nmea("$GPRMC,123520.25,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
        let (fixes, _) = decode(Self.rmc + "\n" + second + "\n")
        #expect(fixes.map { $0.time.millisecondOfDay % 86_400_000 } == [45_319_250, 45_320_250])
    }

    @Test func vtgSuppliesSpeedWhenRMCHasNone() throws {
        let lines = [
            nmea("$GPRMC,000001,A,4807.038,N,01131.000,E,,,230394,,"),
            nmea("$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K,A"),
        ]
        let fix = try #require(decode(lines.joined(separator: "\n")).fixes.first)
        #expect(abs(Double(fix.speed!) - 5.5 * 1852 / 3600) < 1e-5)
        #expect(fix.course == 54.7)
    }

    @Test func gnsAndQualities() throws {
        let gns = nmea("$GNGNS,103607.00,5327.03942,N,00214.42462,W,RRNN,06,5.88,56.0,48.5,,,V")
        let (fixes, _) = decode(nmea("$GNZDA,103607.00,06,03,2021,00,00") + "\n" + gns + "\n")
        let fix = try #require(fixes.first)
        #expect(fix.quality == .rtkFixed)
        #expect(fix.altitude == 56.0)
        let dr = nmea("$GPGGA,123519,4807.038,N,01131.000,E,6,08,0.9,545.4,M,46.9,M,,")
        #expect(decode(nmea("$GPZDA,123519,23,03,1994,,") + "\n" + dr + "\n").fixes.first?.quality == .estimated)
    }

    // MARK: Checksums

    @Test func checksumCases() {
        #expect(decode(Self.rmc.lowercasedChecksum() + "\n").fixes.count == 1)
        var wrong = Self.rmc
        wrong.removeLast(2)
        wrong += "00"
        let bad = decode(wrong + "\n")
        #expect(bad.fixes.isEmpty && bad.stats[.badChecksum] == 1)
        let none = decode(String(Self.rmc.split(separator: "*")[0]) + "\n")
        #expect(none.fixes.count == 1 && none.stats.sentencesWithoutChecksum == 1)
        let truncated = decode(String(Self.rmc.dropLast(1)) + "\n")
        #expect(truncated.fixes.isEmpty && truncated.stats[.malformedSentence] == 1)
    }

    // MARK: Invalid fixes, each counted by reason

    @Test(arguments: [
        ("$GPRMC,123519,V,4807.038,N,01131.000,E,,,230394,,", RejectReason.statusVoid),
        ("$GPRMC,123519,A,4807.038,N,01131.000,E,,,230394,,,N", .statusVoid),
        ("$GPGLL,4916.45,N,12311.12,W,225444,V", .statusVoid),
        ("$GPGGA,123519,4807.038,N,01131.000,E,0,00,,,M,,M,,", .noFixQuality),
        ("$GNGNS,123519,4807.038,N,01131.000,E,NN,06,5.88,56.0,48.5,,,V", .noFixGNS),
        ("$GPRMC,123519,A,9107.038,N,01131.000,E,,,230394,,", .badCoordinates),
        ("$GPRMC,123519,A,4807.038,N,18131.000,E,,,230394,,", .badCoordinates),
        ("$GPRMC,123519,A,4807.038,X,01131.000,E,,,230394,,", .badCoordinates),
        ("$GPRMC,123519,A,4867.038,N,01131.000,E,,,230394,,", .badCoordinates),
        ("$GPRMC,123519,A,,,,,,,230394,,", .missingCoordinates),
        ("$GPRMC,123519,A,4807.038,N,,,,,230394,,", .missingCoordinates),
        ("$GPRMC,253519,A,4807.038,N,01131.000,E,,,230394,,", .badTime),
        ("$GPRMC,123519,A,4807.038,N,01131.000,E,,,310294,,", .badTime),
        ("$GPRMC,123519,A,4807.038,N,01131.000,E,abc,,230394,,", .malformedSentence),
    ])
    func invalidFix(_ body: String, _ reason: RejectReason) {
        let prefix = nmea("$GPZDA,123519,23,03,1994,,") + "\n"
        let (fixes, stats) = decode(prefix + nmea(body) + "\n")
        #expect(fixes.isEmpty)
        #expect(stats[reason] == 1, "\(stats.summary)")
    }

    @Test func gsaModeOneInvalidatesItsEpoch() {
        let lines = [nmea("$GPGSA,A,1,,,,,,,,,,,,,,,"), Self.rmc, nmea("$GPGSA,A,1,,,,,,,,,,,,,,,")]
        let (fixes, stats) = decode(lines.joined(separator: "\n") + "\n")
        #expect(fixes.isEmpty && stats[.noFixMode] == 1)
    }

    // MARK: Where untimed sentences go

    @Test func gsaBeforeRMCIsLearnedAsLeading() {
        // SiRF order: GSA then RMC each second. The mode-1 GSA belongs to the void RMC after it, not the fix before.
        let lines = [
            nmea("$GPGSA,A,3,04,17,13,23,,,,,,,,,2.7,2.5,1.0"),
            nmea("$GPRMC,112225,A,4719.9737,N,00749.2639,E,0.00,,030410,,,A"),
            nmea("$GPGSA,A,3,04,17,13,23,,,,,,,,,2.7,2.5,1.0"),
            nmea("$GPRMC,112226,A,4719.9736,N,00749.2625,E,0.00,,030410,,,A"),
            nmea("$GPGSA,A,1,,,,,,,,,,,,,,,"),
            nmea("$GPRMC,112227,V,,,,,,,030410,,,N"),
        ]
        let (fixes, stats) = decode(lines.joined(separator: "\n") + "\n")
        #expect(fixes.count == 2)
        #expect(stats.rejected == 1)
    }

    @Test func gsaAfterGGAStaysWithItsEpoch() {
        // Garmin order: RMC, GGA, GSA. A later mode-1 GSA must not reach back to the fix before it.
        let lines = [
            nmea("$GPRMC,120320,A,4221.4394,N,01321.9948,E,000.0,000.0,150305,001.4,E"),
            nmea("$GPGGA,120320,4221.4394,N,01321.9948,E,1,05,2.0,10.0,M,,M,,"),
            nmea("$GPGSA,A,2,01,03,14,15,19,,,,,,,,3.0,2.0,1.0"),
            nmea("$GPRMC,120321,V,4221.4394,N,01321.9948,E,000.0,000.0,150305,001.4,E"),
            nmea("$GPGGA,120321,4221.4394,N,01321.9948,E,0,00,,,M,,M,,"),
            nmea("$GPGSA,A,1,,,,,,,,,,,,,,,"),
        ]
        let (fixes, _) = decode(lines.joined(separator: "\n") + "\n")
        #expect(fixes.count == 1)
        #expect(fixes.first?.mode == .twoD)
    }

    // MARK: Dates

    @Test func timeOnlySentencesTakeTheDateOfTheLatestRMC() {
        let lines = [
            nmea("$GPRMC,235959,A,4807.038,N,01131.000,E,,,311299,,"),
            nmea("$GPGGA,000000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        ]
        let times = decode(lines.joined(separator: "\n") + "\n").fixes.map { iso($0.time) }
        #expect(times == ["1999-12-31T23:59:59.000Z", "2000-01-01T00:00:00.000Z"])
    }

    @Test func zdaGivesTheDateAndFourDigitYear() throws {
        let lines = [nmea("$GPZDA,010203.05,06,07,2008,-08,30"), nmea("$GPGLL,4916.45,N,12311.12,W,010204,A,A")]
        let fix = try #require(decode(lines.joined(separator: "\n") + "\n").fixes.first)
        #expect(iso(fix.time) == "2008-07-06T01:02:04.000Z")
    }

    @Test func epochsBeforeAnyDateAreHeldThenReleased() {
        let lines = [
            nmea("$GPGGA,120000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
            nmea("$GPGGA,120001,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
            nmea("$GPRMC,120002,A,4807.038,N,01131.000,E,,,230394,,"),
        ]
        let (fixes, stats) = decode(lines.joined(separator: "\n") + "\n")
        #expect(
            fixes.map { iso($0.time) } == [
                "1994-03-23T12:00:00.000Z", "1994-03-23T12:00:01.000Z", "1994-03-23T12:00:02.000Z",
            ]
        )
        #expect(stats.heldForDate == 2)
    }

    @Test func epochsThatNeverGetADateAreCounted() {
        let gga = nmea("$GPGGA,120000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")
        let (fixes, stats) = decode(gga + "\n")
        #expect(fixes.isEmpty && stats[.noDate] == 1)
    }

    @Test func twoDigitYearsPivotAt1980() {
        #expect(
            decode(nmea("$GPRMC,000000,A,4807.038,N,01131.000,E,,,010180,,") + "\n").fixes.first
                .map { iso($0.time) } == "1980-01-01T00:00:00.000Z"
        )
        #expect(
            decode(nmea("$GPRMC,000000,A,4807.038,N,01131.000,E,,,010179,,") + "\n").fixes.first
                .map { iso($0.time) } == "2079-01-01T00:00:00.000Z"
        )
    }

    // MARK: Vehicle identity

    @Test func idPrefixNamesTheLine() throws {
        let lines = [
            "356307042441013," + Self.rmc, "van-7," + nmea("$GPRMC,123520,A,4807.038,N,01131.000,E,,,230394,,"),
        ]
        let (fixes, _) = decode(lines.joined(separator: "\n") + "\n", vehicle: nil)
        #expect(fixes.map(\.vehicle.description).sorted() == ["356307042441013", "van-7"])
    }

    @Test func pfxidSetsTheIdForFollowingLines() {
        let lines = [nmea("$PFXID,truck-12"), Self.rmc, nmea("$PFXID,truck-13"), Self.rmc]
        let (fixes, _) = decode(lines.joined(separator: "\n") + "\n", vehicle: "outside")
        #expect(fixes.map(\.vehicle.description) == ["truck-12", "truck-13"])
    }

    @Test func interleavedVehiclesAssembleTheirOwnEpochs() {
        let a1 = "a," + nmea("$GPRMC,100000,A,4807.038,N,01131.000,E,1.0,,230394,,")
        let b1 = "b," + nmea("$GPRMC,100000,A,4808.038,N,01131.000,E,2.0,,230394,,")
        let a2 = "a," + nmea("$GPGGA,100000,4807.038,N,01131.000,E,1,08,0.9,100.0,M,46.9,M,,")
        let b2 = "b," + nmea("$GPGGA,100000,4808.038,N,01131.000,E,1,09,0.9,200.0,M,46.9,M,,")
        let (fixes, stats) = decode([a1, b1, a2, b2].joined(separator: "\n") + "\n", vehicle: nil)
        #expect(fixes.count == 2 && stats.fixes == 2)
        let byID = Dictionary(uniqueKeysWithValues: fixes.map { ($0.vehicle.description, $0) })
        #expect(byID["a"]?.altitude == 100 && byID["a"]?.speed != nil)
        #expect(byID["b"]?.altitude == 200 && byID["b"]?.satellites == 9)
    }

    @Test func noIdAnywhereIsARejectNotACrash() {
        let (fixes, stats) = decode(Self.rmc + "\n", vehicle: nil)
        #expect(fixes.isEmpty && stats[.missingVehicleID] == 1)
    }

    @Test func overlongIdIsRejected() {
        let (fixes, stats) = decode(String(repeating: "x", count: 49) + "," + Self.rmc + "\n", vehicle: nil)
        #expect(fixes.isEmpty && stats[.badVehicleID] == 1)
    }

    // MARK: Hostile and odd input

    @Test(arguments: ["\n", "\r", "\r\n"])
    func lineEnds(_ end: String) {
        let text =
            [Self.gga, Self.rmc, nmea("$GPRMC,123520,A,4807.038,N,01131.000,E,,,230394,,")]
            .joined(separator: end) + end
        #expect(decode(text).fixes.count == 2)
    }

    @Test func robustToJunk() {
        let text =
            [
                "# a comment line",
                "\u{0}\u{0}" + Self.gga,  // NUL bytes before a sentence
                "garbage before it" + Self.rmc,  // leading junk without a comma
                "$$" + nmea("$GPRMC,123520,A,4807.038,N,01131.000,E,,,230394,,").dropFirst(),  // doubled $
                ",1.7,-30.40,M,-13.9,M,,*7D",  // a partial line
                "!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26",  // AIS
                nmea("$PGRME,5.5,M,7.0,M,8.9,M"),  // proprietary
                nmea("$GPGSV,3,1,12,28,14,150,41,09,15,254,41,10,43,192,47,13,06,081,36"),
                String(repeating: "A", count: 2000),  // overlong
                Self.rmc + nmea("$GPRMC,123521,A,4807.038,N,01131.000,E,,,230394,,"),  // two sentences run together
            ].joined(separator: "\n") + "\n"
        let (fixes, stats) = decode(text)
        // GGA + RMC (+ the junk-prefixed RMC) of 12:35:19.25, the $$ one of :20, then the run-together pair
        // (:19.25 again, which is a new epoch after :20, and :21).
        #expect(fixes.count == 4)
        #expect(stats[.comment] == 1)
        #expect(stats[.unrecognized] == 1)
        #expect(stats[.ais] == 1)
        #expect(stats[.proprietary] == 1)
        #expect(stats[.otherSentence] == 1)
        #expect(stats[.tooLong] == 1)
    }

    @Test func binaryGarbageNeverCrashesOrLosesTheNextLine() {
        var generator = SplitMix64(seed: 42)
        for _ in 0 ..< 200 {
            var bytes = (0 ..< Int(generator.next() % 3000)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            bytes += Array(("\n" + Self.rmc + "\n").utf8)
            let (fixes, _) = decode(bytes, chunkSize: Int(generator.next() % 512) + 1)
            // The good sentence after the garbage is always decoded (it may also be preceded by lucky fixes).
            #expect(fixes.contains { $0.time.millisecondOfDay == 45_319_250 })
        }
    }

    @Test func chunkBoundariesDoNotMatter() {
        let text =
            (0 ..< 20).map { second in
                nmea(String(format: "$GPRMC,1235%02d,A,4807.038,N,01131.000,E,,,230394,,", second))
            }.joined(separator: "\r\n") + "\r\n"
        let whole = decode(text).fixes
        for size in [1, 2, 3, 7, 64, 81] {
            #expect(decode(text, chunkSize: size).fixes == whole)
        }
        #expect(whole.count == 20)
    }

    @Test func lastEpochIsFlushedAtEndWithoutNewline() {
        #expect(decode(Self.rmc).fixes.count == 1)
    }
}

/// A tiny deterministic generator for fuzz-style tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// The sentence with its checksum digits in lower case.
    func lowercasedChecksum() -> String {
        let parts = split(separator: "*")
        return parts[0] + "*" + parts[1].lowercased()
    }
}
