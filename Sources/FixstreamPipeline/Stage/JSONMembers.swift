public import FixstreamWire

/// Writes JSON members for the state API: into an object whose braces are written elsewhere (each top-level member
/// then starts with a comma) and into nested objects it opens. A nil value leaves its member out.
public struct JSONMembers {
    /// What was written.
    public private(set) var bytes: [UInt8]
    /// Per open nested object: whether it has a member yet.
    private var started: [Bool] = []

    /// Appends to `bytes`.
    public init(into bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    /// Opens `"key":{`.
    public mutating func open(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "{"))
        started.append(false)
    }

    /// Closes the innermost open object.
    public mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        started.removeLast()
    }

    /// `"key":"value"` (escaped).
    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        AlertJSONWriter.appendEscaped(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":number` (up to 3 decimals; `null` for NaN).
    public mutating func number(_ key: String, _ value: Double?) {
        guard let value else { return }
        self.key(key)
        AlertJSONWriter.appendNumber(value, to: &bytes)
    }

    /// `"key":degrees` with 7 decimals (about a centimetre), trailing zeros trimmed: for latitudes and longitudes,
    /// which ``number(_:_:)`` would round to 3 decimals (about 100 m).
    public mutating func coordinate(_ key: String, _ value: Double?) {
        guard let value else { return }
        self.key(key)
        guard value.isFinite else { return bytes.append(contentsOf: "null".utf8) }
        let start = bytes.count
        FixJSONWriter.appendFixed(value, decimals: 7, to: &bytes)
        guard bytes[start...].contains(UInt8(ascii: ".")) else { return }
        while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
    }

    /// `"key":"2026-11-22T10:00:00.000Z"`.
    public mutating func time(_ key: String, _ value: Timestamp?) {
        guard let value else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        FixJSONWriter.appendTime(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":true` or `false`.
    public mutating func bool(_ key: String, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `"key":` with the comma it needs.
    private mutating func key(_ key: String) {
        if let last = started.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            started[started.count - 1] = true
        } else {
            bytes.append(UInt8(ascii: ","))
        }
        bytes.append(UInt8(ascii: "\""))
        AlertJSONWriter.appendEscaped(key, to: &bytes)
        bytes.append(contentsOf: "\":".utf8)
    }
}
