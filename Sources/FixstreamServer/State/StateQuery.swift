import FixstreamDetect
import FixstreamPipeline
import FixstreamWire

/// A question the HTTP thread asks a shard about the vehicles it owns, answered on the shard's thread between
/// fixes (the shard alone may read its vehicles' state).
enum StateQuery: Sendable {
    /// One vehicle's view.
    case vehicle(VehicleID)
    /// A page of views, ids after `after`, in id order.
    case vehicles(after: VehicleID?, limit: Int)
    /// Where trip `id` of `vehicle` stands, and the vehicle's last fix.
    case trip(id: String, vehicle: VehicleID)
}

/// A shard's answer.
enum StateAnswer: Sendable {
    case views([VehicleView])
    case trip(TripReport?, lastFix: Fix?)

    /// Computes the answer to `query` from `engine` (on the shard's thread).
    init(_ query: StateQuery, engine: ShardEngine) {
        switch query {
        case .vehicle(let vehicle):
            self = .views(engine.view(of: vehicle).map { [$0] } ?? [])
        case .vehicles(let after, let limit):
            self = .views(engine.views(after: after, limit: limit))
        case .trip(let id, let vehicle):
            let slot = engine.slot(of: vehicle)
            let report = engine.stage(TripStage.self)?.report(trip: id, vehicle: vehicle, slot: slot)
            self = .trip(report, lastFix: engine.view(of: vehicle)?.lastFix)
        }
    }
}
