public import FixstreamTrips
public import FixstreamWire

#if canImport(Glibc)
    import Glibc
#endif

/// Every planned trip, by vehicle: shared read-only by all shards (and by the idle detector, which must not call
/// a planned stop an unscheduled halt).
public final class TripBook: Sendable {
    /// Trips by vehicle, in the order given.
    public let byVehicle: [VehicleID: [Trip]]

    /// A book of `trips`.
    public init(_ trips: [Trip]) {
        var byVehicle: [VehicleID: [Trip]] = [:]
        for trip in trips { byVehicle[trip.vehicle, default: []].append(trip) }
        self.byVehicle = byVehicle
    }

    /// Whether a position is within a stop radius of any of the vehicle's trips.
    public func isAtStop(_ vehicle: VehicleID, latitude: Double, longitude: Double) -> Bool {
        guard let trips = byVehicle[vehicle] else { return false }
        for trip in trips {
            for stop in trip.stops {
                let dLat = (latitude - stop.latitude) * 111_195
                let dLon = (longitude - stop.longitude) * 111_195 * cos(stop.latitude * .pi / 180)
                if (dLat * dLat + dLon * dLon).squareRoot() <= stop.radius { return true }
            }
        }
        return false
    }
}
