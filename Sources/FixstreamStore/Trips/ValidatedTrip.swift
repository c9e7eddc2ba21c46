public import FixstreamJSON

/// A trip that passed ``TripValidator``: its key fields, and the whole JSON value as given.
public struct ValidatedTrip: Sendable, Equatable {
    /// The trip's `id`.
    public var id: String
    /// The vehicle that drives it (a valid vehicle id).
    public var vehicle: String
    /// How many stops it has (at least one).
    public var stopCount: Int
    /// The trip object as given, unknown members included.
    public var value: JSONValue

    /// Creates a validated trip; ``TripValidator`` is the way to get one from input.
    public init(id: String, vehicle: String, stopCount: Int, value: JSONValue) {
        self.id = id
        self.vehicle = vehicle
        self.stopCount = stopCount
        self.value = value
    }
}
