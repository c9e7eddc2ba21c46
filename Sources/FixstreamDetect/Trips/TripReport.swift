public import FixstreamWire

/// Where a trip stands, for the state API: every stop with its status, current ETA and actual times.
public struct TripReport: Sendable, Equatable {
    /// One stop.
    public struct Stop: Sendable, Equatable {
        /// The stop's id.
        public var id: String
        /// `pending`, `approaching`, `arrived`, `departed` or `skipped`.
        public var status: String
        /// The current estimate of the arrival, while pending.
        public var eta: Timestamp?
        /// Distance still to drive to it, metres, while pending.
        public var distance: Double?
        /// When the vehicle arrived.
        public var arrived: Timestamp?
        /// When it left.
        public var departed: Timestamp?
        /// The shipment's tracking number.
        public var tracking: String?
        /// Start of the customer's time window.
        public var windowStart: Timestamp?
        /// End of the window.
        public var windowEnd: Timestamp?
    }

    /// The trip.
    public var trip: String
    /// Its vehicle.
    public var vehicle: VehicleID
    /// `planned` (no fix seen on it yet), `active` or `finished`.
    public var status: String
    /// The stops in planned order.
    public var stops: [Stop]
}
