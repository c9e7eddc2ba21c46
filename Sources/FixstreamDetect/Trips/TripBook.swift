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
    /// The vehicle of each trip, by trip id.
    public let vehicleOfTrip: [String: VehicleID]
    /// Where each tracking number is: its trip, vehicle and stop (the first, should two stops share one).
    public let tracking: [String: (trip: String, vehicle: VehicleID, stop: String)]

    /// A book of `trips`.
    public init(_ trips: [Trip]) {
        var byVehicle: [VehicleID: [Trip]] = [:]
        var vehicleOfTrip: [String: VehicleID] = [:]
        var tracking: [String: (trip: String, vehicle: VehicleID, stop: String)] = [:]
        for trip in trips {
            byVehicle[trip.vehicle, default: []].append(trip)
            vehicleOfTrip[trip.id] = trip.vehicle
            for stop in trip.stops {
                if let number = stop.tracking, tracking[number] == nil {
                    tracking[number] = (trip.id, trip.vehicle, stop.id)
                }
            }
        }
        self.byVehicle = byVehicle
        self.vehicleOfTrip = vehicleOfTrip
        self.tracking = tracking
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
