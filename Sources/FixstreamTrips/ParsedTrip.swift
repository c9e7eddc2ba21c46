public import FixstreamJSON

/// A trip that ``TripParser`` accepted, together with its JSON value as given: what the control store keeps.
public struct ParsedTrip: Sendable, Equatable {
    /// The trip.
    public var trip: Trip
    /// The trip object as given, unknown members included.
    public var json: JSONValue

    /// Pairs a trip with its JSON value; ``TripParser/parseDocumentWithJSON(_:)`` is the way to get one from input.
    public init(trip: Trip, json: JSONValue) {
        self.trip = trip
        self.json = json
    }
}
