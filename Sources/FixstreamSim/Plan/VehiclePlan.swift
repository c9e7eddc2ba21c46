/// What the dispatcher planned for one vehicle, and what the driver will do differently (decided up front from
/// the vehicle's own random stream, so a vehicle behaves the same whatever the size of the fleet).
struct VehiclePlan: Sendable {
    /// One customer stop.
    struct Stop: Sendable {
        /// The customer's site (index into the catalog's customers).
        var site: Int
        /// Planned service, seconds.
        var plannedService: Double
        /// Real service, seconds.
        var service: Double
        /// Whether the driver skips it.
        var skipped: Bool
        /// Planned arrival, seconds since the simulation's start.
        var plannedArrival: Double
        /// The promised window, seconds since the simulation's start.
        var windowStart: Double
        var windowEnd: Double
    }

    var index: Int
    var vehicle: String
    var trip: String
    /// Tracker on, seconds since the simulation's start.
    var on: Double
    /// Loading at the depot before setting off, seconds.
    var loading: Double
    /// Where this vehicle parks at the depot.
    var depotSpot: RoadSpot
    /// The customers in planned order.
    var stops: [Stop]
    /// The planned path of each leg: leg 0 from the depot to the first customer, leg i from customer i-1 to i.
    var legs: [DrivePath]
}
