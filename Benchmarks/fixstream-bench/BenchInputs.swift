import FixstreamWire
import Foundation

/// The benchmark inputs, built from the real recorded drives and receiver captures in the repository.
struct BenchInputs {
    /// NMEA: the two car drives and the 16 gpsd captures, concatenated and repeated.
    var nmea: [UInt8] = []
    var nmeaSentences = 0
    /// JSON lines: the drives' fixes written as native JSON (60%), gpsd TPV (20%) and OwnTracks (20%), repeated.
    var json: [UInt8] = []
    var jsonObjects = 0

    static func build(minimumBytes: Int) throws -> BenchInputs {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Traces").path)
            .filter { $0.hasSuffix(".txt") }.sorted().map { "Traces/" + $0 }
        files += try FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("Tests/Fixtures/nmea").path
        ).filter { $0.hasSuffix(".log") }.sorted().map { "Tests/Fixtures/nmea/" + $0 }
        var corpus: [UInt8] = []
        for file in files {
            corpus += try Data(contentsOf: root.appendingPathComponent(file))
            if corpus.last != 0x0A { corpus.append(0x0A) }
        }
        var inputs = BenchInputs()
        let sentencesPerCopy = corpus.reduce(0) { $0 + ($1 == UInt8(ascii: "$") ? 1 : 0) }
        while inputs.nmea.count < minimumBytes {
            inputs.nmea += corpus
            inputs.nmeaSentences += sentencesPerCopy
        }

        // JSON from the fixes of one pass over the corpus.
        var decoder = FixDecoder(format: .nmea, vehicle: VehicleID("356307042441013"))
        var fixes: [Fix] = []
        corpus.withUnsafeBytes { decoder.decode($0, into: &fixes) }
        decoder.finish(into: &fixes)
        var lines: [UInt8] = []
        for (index, fix) in fixes.enumerated() {
            switch index % 5 {
            case 3: lines += gpsdTPV(fix)
            case 4: lines += ownTracks(fix)
            default: FixJSONWriter.append(fix, to: &lines)
            }
        }
        while inputs.json.count < minimumBytes {
            inputs.json += lines
            inputs.jsonObjects += fixes.count
        }
        return inputs
    }

    static func gpsdTPV(_ fix: Fix) -> [UInt8] {
        var time: [UInt8] = []
        FixJSONWriter.appendTime(fix.time, to: &time)
        let line = String(
            format:
                #"{"class":"TPV","device":"/dev/ttyACM0","mode":3,"time":"%@","ept":0.005,"lat":%.9f,"lon":%.9f,"altHAE":%.4f,"altMSL":%.4f,"track":%.4f,"speed":%.3f,"eph":4.5}"#,
            String(decoding: time, as: UTF8.self),
            fix.latitude,
            fix.longitude,
            (fix.altitude ?? 0) + 47,
            fix.altitude ?? 0,
            Double(fix.course ?? 0),
            Double(fix.speed ?? 0)
        )
        return Array((line + "\n").utf8)
    }

    static func ownTracks(_ fix: Fix) -> [UInt8] {
        let line = String(
            format:
                #"{"_type":"location","tid":"NE","tst":%lld,"lat":%.7f,"lon":%.7f,"vel":%d,"cog":%d,"alt":%d,"acc":5,"batt":93,"conn":"m"}"#,
            fix.time.millisecondsSinceEpoch / 1000,
            fix.latitude,
            fix.longitude,
            Int(Double(fix.speed ?? 0) * 3.6),
            Int(fix.course ?? 0),
            Int(fix.altitude ?? 0)
        )
        return Array((line + "\n").utf8)
    }
}

/// Feeds `input` to `decoder` in 1 MiB chunks, as `fixstream decode` reads files, handing each batch of fixes
/// (the last one after `finish`) to `body`.
func decodeInChunks(_ input: [UInt8], with decoder: inout FixDecoder, _ body: ([Fix]) -> Void) {
    var fixes: [Fix] = []
    fixes.reserveCapacity(16_384)
    input.withUnsafeBytes { all in
        var start = 0
        while start < all.count {
            let end = min(start + (1 << 20), all.count)
            decoder.decode(UnsafeRawBufferPointer(rebasing: all[start ..< end]), into: &fixes)
            body(fixes)
            fixes.removeAll(keepingCapacity: true)
            start = end
        }
    }
    decoder.finish(into: &fixes)
    body(fixes)
}

/// Decodes a whole input; returns the number of fixes.
func decodeAll(_ input: [UInt8], format: InputFormat) -> Int {
    var decoder = FixDecoder(format: format, vehicle: VehicleID("bench"))
    var total = 0
    decodeInChunks(input, with: &decoder) { total += $0.count }
    return total
}

/// Decodes and writes JSON lines, discarding the bytes; returns the bytes written.
func decodeAndWrite(_ input: [UInt8]) -> Int {
    var decoder = FixDecoder(format: .auto, vehicle: VehicleID("bench"))
    var out: [UInt8] = []
    out.reserveCapacity(1 << 21)
    var written = 0
    decodeInChunks(input, with: &decoder) { fixes in
        for fix in fixes { FixJSONWriter.append(fix, to: &out) }
        written += out.count
        out.removeAll(keepingCapacity: true)
    }
    return written
}
