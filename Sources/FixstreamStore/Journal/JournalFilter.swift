/// Which journalled alerts a reader wants; every condition given must hold, and an empty filter takes all.
///
/// The conditions are evaluated by SQLite while it scans forward by id (see ``AlertJournal/read(after:limit:filter:scanLimit:)``):
/// there is no secondary index, so a filter that matches rarely costs a scan of the rows it skips.
public struct JournalFilter: Sendable, Hashable {
    /// Only alerts of this vehicle (exact match, byte for byte, like every condition here).
    public var vehicle: String?
    /// Only alerts whose type starts with this text: `geofence.` takes `geofence.enter` and `geofence.exit` but
    /// not `geofencex`; a full name such as `gps.lost` takes that type. Compared byte for byte in UTF-8 (case
    /// sensitive, no wildcards); an empty prefix takes every type.
    public var typePrefix: String?
    /// Only alerts about this fence (exact match).
    public var fence: String?
    /// Only alerts about this trip (exact match).
    public var trip: String?

    /// Creates a filter; leave a condition nil to not filter on it.
    public init(vehicle: String? = nil, typePrefix: String? = nil, fence: String? = nil, trip: String? = nil) {
        self.vehicle = vehicle
        self.typePrefix = typePrefix
        self.fence = fence
        self.trip = trip
    }

    /// Whether the filter takes every alert.
    public var isEmpty: Bool { vehicle == nil && (typePrefix ?? "").isEmpty && fence == nil && trip == nil }

    /// Whether `entry` passes the filter: the rule the journal's SQL applies, on UTF-8 bytes (Swift's `==` on
    /// strings would also equate canonically equivalent spellings, SQLite does not).
    public func matches(_ entry: JournalEntry) -> Bool {
        if let vehicle, !entry.vehicle.utf8.elementsEqual(vehicle.utf8) { return false }
        if let typePrefix, !entry.type.utf8.starts(with: typePrefix.utf8) { return false }
        if let fence, !(entry.fence?.utf8.elementsEqual(fence.utf8) ?? false) { return false }
        if let trip, !(entry.trip?.utf8.elementsEqual(trip.utf8) ?? false) { return false }
        return true
    }
}
