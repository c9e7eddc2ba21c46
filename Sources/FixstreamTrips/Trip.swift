public import FixstreamGeo
public import FixstreamWire

/// A planned trip: a vehicle, its stops in order and optionally the route it should drive.
public struct Trip: Sendable, Equatable {
    /// One planned stop.
    public struct Stop: Sendable, Equatable {
        /// The stop's id, unique in the trip.
        public var id: String
        /// Where it is.
        public var latitude: Double
        /// Where it is.
        public var longitude: Double
        /// Arrival radius, metres (default 50).
        public var radius: Double
        /// The time window the customer was promised, if any.
        public var windowStart: Timestamp?
        /// End of the window: an ETA past it raises `eta.late`.
        public var windowEnd: Timestamp?
        /// Planned service time at the stop, milliseconds (default 0).
        public var service: Int64
        /// The shipment's tracking number, for the customer tracking page.
        public var tracking: String?

        /// Creates a stop.
        public init(
            id: String,
            latitude: Double,
            longitude: Double,
            radius: Double = 50,
            windowStart: Timestamp? = nil,
            windowEnd: Timestamp? = nil,
            service: Int64 = 0,
            tracking: String? = nil
        ) {
            self.id = id
            self.latitude = latitude
            self.longitude = longitude
            self.radius = radius
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.service = service
            self.tracking = tracking
        }
    }

    /// The trip's id.
    public var id: String
    /// The vehicle driving it.
    public var vehicle: VehicleID
    /// Stops, in the order they are to be visited.
    public var stops: [Stop]
    /// The planned route (a polyline), if one was given.
    public var route: [Coordinate]?

    /// Creates a trip.
    public init(id: String, vehicle: VehicleID, stops: [Stop], route: [Coordinate]? = nil) {
        self.id = id
        self.vehicle = vehicle
        self.stops = stops
        self.route = route
    }
}
