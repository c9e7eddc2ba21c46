/// One journalled alert as read back: its id, the columns the feeds filter on, and its JSON body.
public struct JournalEntry: Sendable, Equatable {
    /// The id the journal assigned: strictly increasing, never reused.
    public var id: Int64
    /// The alert type's dotted name.
    public var type: String
    /// The vehicle id.
    public var vehicle: String
    /// The fence id, when the alert names one.
    public var fence: String?
    /// The trip id, when the alert names one.
    public var trip: String?
    /// Event time in milliseconds since the Unix epoch.
    public var time: Int64
    /// Wall-clock time of the append in milliseconds since the Unix epoch (what age retention looks at).
    public var recordedAt: Int64
    /// The alert's JSON object without its id, as appended.
    public var body: [UInt8]

    /// Creates an entry.
    public init(
        id: Int64,
        type: String,
        vehicle: String,
        fence: String?,
        trip: String?,
        time: Int64,
        recordedAt: Int64,
        body: [UInt8]
    ) {
        self.id = id
        self.type = type
        self.vehicle = vehicle
        self.fence = fence
        self.trip = trip
        self.time = time
        self.recordedAt = recordedAt
        self.body = body
    }

    /// Appends the alert as consumers see it: the body with `"id":N` as its first member
    /// (`{"type":…}` becomes `{"id":7,"type":…}`), no line feed.
    ///
    /// - Parameter out: the buffer to append to.
    /// - Complexity: O(body); one copy of the body.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        Self.appendDecimal(id, to: &out)
        // The body is `{…}`, checked on append: its members follow the id, or it closes right away when empty.
        let members = body.dropFirst()
        if members.first != UInt8(ascii: "}") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: members)
    }

    /// The alert as consumers see it (see ``appendJSON(to:)``).
    public var json: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 24)
        appendJSON(to: &out)
        return out
    }

    /// Appends `value` in decimal without building a String.
    static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var width = 1
        var scale: UInt64 = 10
        while width < 20, magnitude >= scale {
            width += 1
            scale = scale &* 10
        }
        let end = out.count + width
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var index = end - 1
        while magnitude > 0 {
            out[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        }
    }
}
