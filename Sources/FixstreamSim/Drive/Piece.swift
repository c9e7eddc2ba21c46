/// One stretch of a vehicle's day: standing at a point, or driving part of a path from standstill to standstill.
/// Times are seconds since the simulation's start.
struct Piece: Sendable {
    /// Why a vehicle stands.
    enum Stand: Sendable, Equatable {
        /// At the depot, loading or back at the end.
        case depot
        /// Serving a customer (index into the plan's stops).
        case service(Int)
        /// An unscheduled halt.
        case halt
        /// A red light or a queue.
        case light
    }

    enum Kind: Sendable {
        case stand(Stand, PlanePoint)
        case drive(DrivePath, from: Double, profile: SpeedProfile)
    }

    var kind: Kind
    var start: Double
    var end: Double
    /// Until when (seconds) the trip is under way during this piece: deviations are watched before it.
    var activeUntil: Double
    /// Why the path may leave the planned route (a detour, a skip, the way home before the trip is over), if it
    /// may.
    var divergence: String?
    /// The stretches of the piece's path (metres along it) that are the planned route itself, with the distance
    /// along the route where each begins.
    var onRoute: [(from: Double, to: Double, along: Double)] = []
    /// The farthest along the planned route the vehicle can be during this piece: the route's point of the stop it
    /// drives to (a vehicle on a detour or a skip that passes a later stretch of its route is not that far along it).
    var progressLimit = Double.infinity

    /// The distance along the planned route of the point `s` metres along the piece's path, when it is on it.
    func routeAlong(atPath s: Double) -> Double? {
        for stretch in onRoute where s >= stretch.from && s <= stretch.to { return stretch.along + (s - stretch.from) }
        return nil
    }

    /// Where the vehicle is at `time`, its speed and its direction of travel (a unit vector; nil when standing).
    func state(at time: Double) -> (point: PlanePoint, speed: Double, direction: PlanePoint?) {
        switch kind {
        case .stand(_, let point):
            return (point, 0, nil)
        case .drive(let path, let from, let profile):
            let (along, speed) = profile.state(at: time - start)
            return (path.position(at: from + along), speed, path.direction(at: from + along))
        }
    }
}
