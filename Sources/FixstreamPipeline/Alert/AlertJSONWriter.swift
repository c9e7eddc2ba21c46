import FixstreamWire

/// Writes alerts as JSON lines: `{"id":7,"type":"gps.lost","vehicle":"van-7","time":"…","lat":…,"lon":…,…}`.
///
/// The common members come first in a fixed order, then the alert's own fields in theirs, so output is stable
/// byte for byte (what `process` promises).
public enum AlertJSONWriter {
    /// Appends one alert and a line feed to `out`.
    /// - Parameters:
    ///   - alert: the alert.
    ///   - id: its id (journal or sink sequence); nil leaves the member out.
    ///   - out: the buffer to append to.
    public static func append(_ alert: Alert, id: Int64?, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let id {
            out.append(contentsOf: "\"id\":".utf8)
            FixJSONWriter.appendInteger(id, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "\"type\":\"".utf8)
        out.append(contentsOf: alert.type.name.utf8)
        out.append(contentsOf: "\",\"vehicle\":\"".utf8)
        alert.vehicle.withUnsafeBytes { out.append(contentsOf: $0) }
        out.append(contentsOf: "\",\"time\":\"".utf8)
        FixJSONWriter.appendTime(alert.time, to: &out)
        out.append(contentsOf: "\",\"lat\":".utf8)
        FixJSONWriter.appendFixed(alert.latitude, decimals: 8, to: &out)
        out.append(contentsOf: ",\"lon\":".utf8)
        FixJSONWriter.appendFixed(alert.longitude, decimals: 8, to: &out)
        for field in alert.fields {
            out.append(contentsOf: ",\"".utf8)
            appendEscaped(field.key, to: &out)
            out.append(contentsOf: "\":".utf8)
            switch field.value {
            case .string(let text):
                out.append(UInt8(ascii: "\""))
                appendEscaped(text, to: &out)
                out.append(UInt8(ascii: "\""))
            case .integer(let value):
                FixJSONWriter.appendInteger(value, to: &out)
            case .number(let value):
                appendNumber(value, to: &out)
            case .time(let time):
                out.append(UInt8(ascii: "\""))
                FixJSONWriter.appendTime(time, to: &out)
                out.append(UInt8(ascii: "\""))
            case .bool(let value):
                out.append(contentsOf: (value ? "true" : "false").utf8)
            }
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// A finite number with up to 3 decimals, trailing zeros trimmed; `null` for NaN and infinities.
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        let start = out.count
        FixJSONWriter.appendFixed(value, decimals: 3, to: &out)
        guard out[start...].contains(UInt8(ascii: ".")) else { return }
        while out.last == UInt8(ascii: "0") { out.removeLast() }
        if out.last == UInt8(ascii: ".") { out.removeLast() }
    }

    /// Appends `text` with JSON string escaping.
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0 ..< 0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            default: out.append(byte)
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
