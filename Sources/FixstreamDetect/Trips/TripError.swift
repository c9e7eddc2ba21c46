/// Why a trip was refused: one precise line naming the trip, the stop and the problem.
public struct TripError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, e.g. `trip "T1": stop 2 ("S3"): lat 95 out of range`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
