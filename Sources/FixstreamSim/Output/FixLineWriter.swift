import FixstreamWire

/// Writes a simulated fix as a native JSON line:
/// `{"id":"sim-001","t":"2026-06-01T06:00:01.000Z","lat":43.7301234,"lon":7.4201234,"speed":8.31,"course":91.2,"acc":5.1}`.
enum FixLineWriter {
    static func append(_ fix: SimulatedFix, vehicle: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":""#.utf8)
        out.append(contentsOf: vehicle)
        out.append(contentsOf: #"","t":""#.utf8)
        FixJSONWriter.appendTime(Timestamp(millisecondsSinceEpoch: fix.time), to: &out)
        out.append(contentsOf: #"","lat":"#.utf8)
        FixJSONWriter.appendFixed(fix.latitude, decimals: 7, to: &out)
        out.append(contentsOf: #","lon":"#.utf8)
        FixJSONWriter.appendFixed(fix.longitude, decimals: 7, to: &out)
        out.append(contentsOf: #","speed":"#.utf8)
        FixJSONWriter.appendFixed(Double(fix.speed), decimals: 2, to: &out)
        if let course = fix.course {
            out.append(contentsOf: #","course":"#.utf8)
            FixJSONWriter.appendFixed(Double(course), decimals: 1, to: &out)
        }
        out.append(contentsOf: #","acc":"#.utf8)
        FixJSONWriter.appendFixed(Double(fix.accuracy), decimals: 1, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }
}
