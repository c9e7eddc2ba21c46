import FixstreamWire

/// Writes a fix as a native JSON line or an OsmAnd request, into a reused byte buffer.
enum ReplayEncoder {
    /// `{"id":"…","t":<epoch ms>,"lat":…,"lon":…,…}` and a line feed.
    static func appendJSONLine(_ fix: Fix, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":""#.utf8)
        fix.vehicle.withUnsafeBytes { out.append(contentsOf: $0) }
        out.append(contentsOf: #"","t":"#.utf8)
        FixJSONWriter.appendInteger(fix.time.millisecondsSinceEpoch, to: &out)
        out.append(contentsOf: #","lat":"#.utf8)
        FixJSONWriter.appendFixed(fix.latitude, decimals: 7, to: &out)
        out.append(contentsOf: #","lon":"#.utf8)
        FixJSONWriter.appendFixed(fix.longitude, decimals: 7, to: &out)
        if let speed = fix.speed {
            out.append(contentsOf: #","speed":"#.utf8)
            FixJSONWriter.appendFixed(Double(speed), decimals: 2, to: &out)
        }
        if let course = fix.course {
            out.append(contentsOf: #","course":"#.utf8)
            FixJSONWriter.appendFixed(Double(course), decimals: 1, to: &out)
        }
        if let altitude = fix.altitude {
            out.append(contentsOf: #","alt":"#.utf8)
            FixJSONWriter.appendFixed(altitude, decimals: 1, to: &out)
        }
        if let accuracy = fix.accuracy {
            out.append(contentsOf: #","acc":"#.utf8)
            FixJSONWriter.appendFixed(Double(accuracy), decimals: 1, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// `GET /?id=…&timestamp=<ms>&lat=…&lon=…&speed=<knots>… HTTP/1.1` with a Host header.
    static func appendOsmAndRequest(_ fix: Fix, host: String, to out: inout [UInt8]) {
        out.append(contentsOf: "GET /?id=".utf8)
        fix.vehicle.withUnsafeBytes { id in
            for byte in id {
                // Id bytes are printable ASCII; escape the few that mean something in a query.
                if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "%")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "?")
                {
                    out.append(UInt8(ascii: "%"))
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0xF))
                } else {
                    out.append(byte)
                }
            }
        }
        out.append(contentsOf: "&timestamp=".utf8)
        FixJSONWriter.appendInteger(fix.time.millisecondsSinceEpoch, to: &out)
        out.append(contentsOf: "&lat=".utf8)
        FixJSONWriter.appendFixed(fix.latitude, decimals: 7, to: &out)
        out.append(contentsOf: "&lon=".utf8)
        FixJSONWriter.appendFixed(fix.longitude, decimals: 7, to: &out)
        if let speed = fix.speed {
            out.append(contentsOf: "&speed=".utf8)
            FixJSONWriter.appendFixed(Double(speed) * 3600 / 1852, decimals: 3, to: &out)
        }
        if let course = fix.course {
            out.append(contentsOf: "&bearing=".utf8)
            FixJSONWriter.appendFixed(Double(course), decimals: 1, to: &out)
        }
        if let altitude = fix.altitude {
            out.append(contentsOf: "&altitude=".utf8)
            FixJSONWriter.appendFixed(altitude, decimals: 1, to: &out)
        }
        if let accuracy = fix.accuracy {
            out.append(contentsOf: "&accuracy=".utf8)
            FixJSONWriter.appendFixed(Double(accuracy), decimals: 1, to: &out)
        }
        out.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        out.append(contentsOf: host.utf8)
        out.append(contentsOf: "\r\n\r\n".utf8)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
