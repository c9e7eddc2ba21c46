import FixstreamJSON
public import FixstreamTrips
import FixstreamWire

/// A trip as stored: its id, vehicle, JSON text, and when it was last written.
public struct StoredTrip: Sendable, Hashable {
    /// The trip's `id`.
    public var id: String
    /// The trip's `vehicle`.
    public var vehicle: String
    /// The trip object as compact JSON text.
    public var trip: String
    /// When the trip was last imported or put, in milliseconds since the Unix epoch.
    public var updatedAt: Int64

    /// Creates a stored trip.
    public init(id: String, vehicle: String, trip: String, updatedAt: Int64) {
        self.id = id
        self.vehicle = vehicle
        self.trip = trip
        self.updatedAt = updatedAt
    }

    /// The trip's JSON parsed and checked again.
    ///
    /// - Returns: the trip with its JSON value.
    /// - Throws: ``StoreError`` with ``StoreError/Code/corruptRow`` naming the trip when the stored text no longer
    ///   parses or validates.
    public func validated() throws(StoreError) -> ParsedTrip {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue.parse(Array(trip.utf8))
        } catch {
            throw StoreError(.corruptRow, "stored trip \"\(id)\" is not valid JSON: \(error)")
        }
        do throws(TripError) {
            let trip = try TripParser.parse(value)
            guard trip.id == id, trip.vehicle.description == vehicle else {
                throw TripError(.idMismatch, "stored under id \"\(id)\" and vehicle \"\(vehicle)\"")
            }
            return ParsedTrip(trip: trip, json: value)
        } catch {
            throw StoreError(.corruptRow, "stored trip \"\(id)\" is invalid: \(error)")
        }
    }
}
