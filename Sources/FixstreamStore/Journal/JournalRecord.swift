/// One alert as the journal stores it: the fields the feeds filter on, and the alert's JSON without its id.
///
/// The store knows nothing of the pipeline's `Alert`; the server maps each alert to a record. The journal
/// assigns the id (see ``AlertJournal/append(_:)``) and never writes it into ``body``: readers splice it in front
/// with ``JournalEntry/appendJSON(to:)``, so the id lives in exactly one place, the row's primary key.
public struct JournalRecord: Sendable, Equatable {
    /// The alert type's dotted name, `geofence.enter`, `gps.lost`, …
    public var type: String
    /// The vehicle id.
    public var vehicle: String
    /// The fence the alert is about, for geofence alerts.
    public var fence: String?
    /// The trip the alert is about, for trip, stop and ETA alerts.
    public var trip: String?
    /// Event time in milliseconds since the Unix epoch (the fix's time, or the timer's deadline).
    public var time: Int64
    /// The alert as one compact JSON object in UTF-8 without an `id` member: it starts with `{` and ends with
    /// `}` (no line feed after it).
    public var body: [UInt8]

    /// Creates a record.
    public init(type: String, vehicle: String, fence: String? = nil, trip: String? = nil, time: Int64, body: [UInt8]) {
        self.type = type
        self.vehicle = vehicle
        self.fence = fence
        self.trip = trip
        self.time = time
        self.body = body
    }
}
