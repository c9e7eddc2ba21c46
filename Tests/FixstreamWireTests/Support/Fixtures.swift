import FixstreamWire
import Foundation

/// Test fixtures in Tests/Fixtures, located from this file so tests run from any working directory.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // FixstreamWireTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// Names of the files in a fixture folder with a given extension, sorted.
    static func names(in folder: String, withExtension ext: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path)
            .filter { $0.hasSuffix("." + ext) }
            .sorted()
    }
}

/// Decodes bytes in one go (or in chunks of `chunkSize`) and returns the fixes and the counters.
func decode(
    _ bytes: [UInt8],
    format: InputFormat = .auto,
    vehicle: String? = "test",
    chunkSize: Int? = nil
) -> (fixes: [Fix], stats: DecodeStats) {
    var decoder = FixDecoder(format: format, vehicle: vehicle.flatMap(VehicleID.init))
    var fixes: [Fix] = []
    bytes.withUnsafeBytes { all in
        let step = chunkSize ?? max(all.count, 1)
        var start = 0
        while start < all.count {
            let end = min(start + step, all.count)
            decoder.decode(UnsafeRawBufferPointer(rebasing: all[start ..< end]), into: &fixes)
            start = end
        }
    }
    decoder.finish(into: &fixes)
    return (fixes, decoder.stats)
}

/// Decodes text (lines joined as given).
func decode(
    _ text: String,
    format: InputFormat = .auto,
    vehicle: String? = "test",
    chunkSize: Int? = nil
) -> (fixes: [Fix], stats: DecodeStats) {
    decode(Array(text.utf8), format: format, vehicle: vehicle, chunkSize: chunkSize)
}

/// Appends a correct `*hh` checksum to a sentence body given with its `$` and without `*`.
func nmea(_ body: String) -> String {
    var sum: UInt8 = 0
    for byte in body.utf8.dropFirst() { sum ^= byte }
    let hex = String(sum, radix: 16, uppercase: true)
    return body + "*" + (hex.count == 1 ? "0" + hex : hex)
}

/// RFC 3339 text of a timestamp, as the JSON writer prints it.
func iso(_ time: Timestamp) -> String {
    var out: [UInt8] = []
    FixJSONWriter.appendTime(time, to: &out)
    return String(decoding: out, as: UTF8.self)
}
