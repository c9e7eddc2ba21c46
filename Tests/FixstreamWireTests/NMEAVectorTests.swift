import FixstreamWire
import Foundation
import Testing

/// The single-sentence vectors of pynmeagps, pynmea2 and Traccar (Tests/Fixtures/nmea-vectors).
///
/// Where those projects and Fixstream disagree on purpose, the test says so next to the case.
struct NMEAVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let id: String
        let project: String
        let sentence: String?
        let field: String?
        let expected: [String: JSONValue]
        var testDescription: String { "\(id) \(sentence ?? field ?? "-")" }
    }

    /// The JSON values a vector's `expected` holds.
    enum JSONValue: Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null

        init(_ any: Any, isFlag: Bool) {
            switch any {
            case let value as NSNumber where isFlag: self = .bool(value.boolValue)
            case let value as NSNumber: self = .number(value.doubleValue)
            case let value as String: self = .string(value)
            default: self = .null
            }
        }

        var number: Double? { if case .number(let v) = self { v } else { nil } }
        var string: String? { if case .string(let v) = self { v } else { nil } }
        var bool: Bool? { if case .bool(let v) = self { v } else { nil } }
    }

    static let vectors: [Vector] = {
        guard let data = try? Fixtures.data("nmea-vectors/nmea_test_vectors.jsonl") else { return [] }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["id"] as? String, let source = object["source"] as? [String: Any],
                let expected = object["expected"] as? [String: Any]
            else { return nil }
            return Vector(
                id: id,
                project: source["project"] as? String ?? "",
                sentence: object["sentence"] as? String,
                field: object["field"] as? String,
                expected: Dictionary(
                    uniqueKeysWithValues: expected.map { key, value in
                        (key, JSONValue(value, isFlag: key == "valid" || key == "is_valid"))
                    }
                )
            )
        }
    }()

    @Test func allVectorsLoad() {
        #expect(Self.vectors.count == 117)
    }

    /// The sentence's three-letter type, whatever the talker.
    static func sentenceType(_ sentence: String) -> String {
        let body = sentence.drop { $0 == "$" || $0 == " " }
        return String(body.prefix(5).suffix(3))
    }

    /// Decodes one sentence. Sentences without a date get a ZDA for 2021-03-06 at their own time first, so that
    /// their fix can be emitted and its position checked.
    static func run(_ sentence: String) -> (fixes: [Fix], stats: DecodeStats) {
        var input = sentence
        let fields = sentence.split(separator: ",", omittingEmptySubsequences: false)
        let timeIndex = ["GGA": 1, "GNS": 1, "GLL": 5][sentenceType(sentence)]
        if let timeIndex, fields.count > timeIndex, !fields[timeIndex].isEmpty {
            input = nmea("$GPZDA,\(fields[timeIndex]),06,03,2021,00,00") + "\n" + sentence
        }
        return decode(input + "\n", format: .nmea)
    }

    static func timeOfDay(_ fix: Fix) -> String {
        let ms = fix.time.millisecondOfDay
        let base = String(format: "%02d:%02d:%02d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60)
        return ms % 1000 == 0 ? base : base + String(format: ".%03d", ms % 1000)
    }

    /// Vectors whose inputs are not standard NMEA or that Fixstream reads differently on purpose.
    static let deliberate: [String: String] = [
        // Laipac's $AVRMC puts a device field before the time: not the RMC layout. Traccar has a Laipac decoder.
        "v0102": "rejected: not the standard RMC layout",
        // Traccar's decoder drops milliseconds; the sentence says .752 and so do we.
        "v0103": "time keeps its milliseconds",
        // The time 14:89:96 and date 15/13/48 cannot exist, and the checksum is wrong (Traccar does not check
        // checksums); Traccar still reads other attributes of the message.
        "v0105": "rejected: bad checksum",
    ]

    @Test(arguments: vectors.filter { $0.sentence != nil })
    func sentence(_ vector: Vector) throws {
        let sentence = try #require(vector.sentence)
        let (fixes, stats) = Self.run(sentence)
        let type = Self.sentenceType(sentence)
        let e = vector.expected

        switch vector.id {
        case "v0102":
            #expect(fixes.isEmpty && stats[.badTime] == 1)
            return
        case "v0105":
            #expect(fixes.isEmpty && stats[.badChecksum] == 1)
            #expect(decode(nmea(String(sentence.split(separator: "*")[0])) + "\n").stats[.badTime] == 1)
            return
        default: break
        }
        if e["error"]?.string == "ChecksumError" {
            #expect(fixes.isEmpty && stats[.badChecksum] == 1)
            return
        }
        if e["error_strict"] != nil {
            // Truncated RMC without a checksum: too few fields to be a sentence.
            #expect(fixes.isEmpty && stats[.malformedSentence] == 1)
            return
        }
        if let rendered = e["renders_as"]?.string {
            // pynmea2 accepts a sentence without `$` and with spaces around it; so do we (a GSV is then ignored).
            #expect(fixes.isEmpty && stats[.otherSentence] == 1, "\(rendered)")
            return
        }
        if sentence.hasPrefix("$P") {
            // u-blox PUBX and KLSH proprietary sentences are not decoded (counted as proprietary).
            #expect(fixes.isEmpty && stats[.proprietary] == 1)
            return
        }
        guard ["RMC", "GGA", "GLL", "GNS"].contains(type) else {
            // VTG, ZDA, GST, GSV, RMA carry no position of their own: no fix, no reject.
            #expect(fixes.isEmpty && stats.rejected == 0)
            return
        }

        let valid = Self.expectedValidity(vector)
        guard valid else {
            #expect(fixes.isEmpty, "an invalid fix must not be emitted")
            #expect(stats.rejected >= 1)
            return
        }
        let fix = try #require(fixes.first, "no fix for a valid \(type)")
        #expect(fixes.count == 1)
        let tolerance = vector.project == "traccar" ? 1e-5 : 1e-9
        if let lat = e["lat"]?.number, let lon = e["lon"]?.number {
            #expect(abs(fix.latitude - lat) <= tolerance, "lat \(fix.latitude) vs \(lat)")
            #expect(abs(fix.longitude - lon) <= tolerance, "lon \(fix.longitude) vs \(lon)")
        }
        if let time = e["time_utc"]?.string {
            // pynmeagps prints whole seconds without a fraction; pynmea2 prints microseconds.
            let expected = time.count > 8 ? String(time.prefix(12)) : time
            #expect(Self.timeOfDay(fix) == expected)
        }
        if let date = e["date"]?.string, type == "RMC" {
            #expect(iso(fix.time).hasPrefix(date))
        }
        if let datetime = e["datetime_utc"]?.string ?? e["fix_time_utc"]?.string {
            if vector.id == "v0103" {
                #expect(iso(fix.time) == "2008-04-06T12:49:45.752Z")
            } else {
                #expect(iso(fix.time).prefix(19) == datetime.prefix(19))
            }
        }
        if let knots = e["speed_knots"]?.number {
            #expect(abs(Double(try #require(fix.speed)) - knots * 1852 / 3600) < 1e-5)
        }
        if let course = e["course_deg"]?.number {
            #expect(abs(Double(try #require(fix.course)) - course) < 1e-4)
        }
        if let altitude = e["alt_msl_m"]?.number {
            #expect(abs(try #require(fix.altitude) - altitude) < 1e-9)
        }
        if let satellites = e["num_sv"]?.string.flatMap({ Int($0) }) {
            #expect(fix.satellites.map(Int.init) == satellites)
        }
    }

    /// Whether the vector describes a valid fix, by the rule Fixstream follows (gpsd's): RMC/GLL status `A`, GGA
    /// quality not 0, a mode indicator other than `N`, GNS with at least one constellation not `N`.
    ///
    /// pynmea2's `is_valid` differs on purpose in two cases, checked in ``pynmea2ValidityMatrix()``.
    static func expectedValidity(_ vector: Vector) -> Bool {
        let e = vector.expected
        if let valid = e["valid"]?.bool { return valid }  // Traccar
        if vector.project == "traccar", let sentence = vector.sentence { return fixstreamRMCRule(sentence) }
        if vector.project == "pynmea2", let sentence = vector.sentence, sentenceType(sentence) == "RMC" {
            return fixstreamRMCRule(sentence)
        }
        if let valid = e["is_valid"]?.bool { return valid }
        if e["status"]?.string == "V" { return false }
        if e["gga_quality"]?.string == "0" || e["gga_quality"]?.number == 0 { return false }
        if let mode = e["pos_mode"]?.string, !mode.isEmpty, mode.allSatisfy({ $0 == "N" }) { return false }
        return e["lat"]?.number != nil
    }

    /// RMC is valid when its status is `A` and its mode indicator (NMEA 2.3+) is not `N`.
    static func fixstreamRMCRule(_ sentence: String) -> Bool {
        let fields = sentence.split(separator: "*")[0].split(separator: ",", omittingEmptySubsequences: false)
        let status = fields.count > 2 ? fields[2] : ""
        let mode = fields.count > 12 ? fields[12] : ""
        return status == "A" && mode != "N"
    }

    /// pynmea2's 39-sentence RMC validity matrix: where Fixstream disagrees, the disagreement is one of two
    /// deliberate ones, and there are no others.
    @Test func pynmea2ValidityMatrix() throws {
        let matrix = Self.vectors.filter {
            $0.project == "pynmea2" && $0.sentence.map { Self.sentenceType($0) == "RMC" } == true
                && $0.expected["is_valid"] != nil
        }
        #expect(matrix.count >= 39)
        for vector in matrix {
            let sentence = try #require(vector.sentence)
            guard let pynmea2 = vector.expected["is_valid"]?.bool else { continue }
            let ours = !Self.run(sentence).fixes.isEmpty
            #expect(ours == Self.fixstreamRMCRule(sentence), "\(vector.id)")
            guard ours != pynmea2 else { continue }
            let fields = sentence.split(separator: "*")[0].split(separator: ",", omittingEmptySubsequences: false)
            let mode = fields.count > 12 ? String(fields[12]) : nil
            let navigationStatus = fields.count > 13 ? String(fields[13]) : nil
            // 1. An empty mode indicator: pynmea2 calls it invalid; NMEA 2.0-2.2 receivers have no such field
            //    and some later ones leave it empty, so we go by the status.
            // 2. Navigation status `V` or empty: NMEA 4.1 defines `V` as "not provided"; u-blox sends it on every
            //    valid fix (ublox-f9p and quectel captures), so it cannot invalidate the fix.
            let explained = mode == "" || navigationStatus == "V" || navigationStatus == ""
            #expect(explained, "\(vector.id): unexplained disagreement with pynmea2")
        }
    }

    /// pynmea2's time-field vectors: 0 to 7 fraction digits; Fixstream keeps milliseconds (truncating).
    @Test(arguments: vectors.filter { $0.field != nil })
    func timeField(_ vector: Vector) throws {
        let field = try #require(vector.field)
        let sentence = nmea("$GPRMC,\(field),A,4807.038,N,01131.000,E,,,230394,,")
        let fix = try #require(decode(sentence + "\n", format: .nmea).fixes.first)
        let microseconds = try #require(vector.expected["microsecond"]?.number)
        #expect(fix.time.millisecondOfDay % 1000 == Int64(microseconds) / 1000)
        #expect(fix.time.millisecondOfDay / 1000 == 11 * 3600 + 59 * 60 + 19)
    }
}
