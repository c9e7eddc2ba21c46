public import FixstreamWire

/// A step of the per-vehicle pipeline: map matching, geofences, idle, trips, GPS loss.
///
/// One instance per shard, called only from that shard's thread, so a stage keeps its per-vehicle state in plain
/// arrays indexed by ``StageContext/slot`` without locks. Fixes arrive per vehicle in event-time order and already
/// filtered. A stage raises alerts with ``StageContext/emit(_:)`` and arms timers on the shard clock with
/// ``StageContext/setTimer(_:at:)``.
public protocol PipelineStage: AnyObject {
    /// How many independent timers the stage keeps per vehicle (numbered from 0).
    var timerKinds: Int { get }

    /// Handles a fix that passed the filters, in event-time order per vehicle.
    func process(_ fix: Fix, context: inout StageContext)

    /// Sees a fix older than what was already processed for the vehicle: it may refine history but must not
    /// raise alerts that contradict newer state.
    func late(_ fix: Fix, context: inout StageContext)

    /// Handles the timer `kind` of the context's vehicle coming due.
    func timerFired(_ kind: Int, context: inout StageContext)

    /// Adds what the stage knows of the vehicle in `slot` to its view (the state API). Called on the shard's
    /// thread, between fixes, only when someone asks.
    func describe(slot: Int, into view: inout VehicleView)
}

extension PipelineStage {
    /// No timers by default.
    public var timerKinds: Int { 0 }

    /// Ignores late fixes by default.
    public func late(_ fix: Fix, context: inout StageContext) {}

    /// Nothing to do by default.
    public func timerFired(_ kind: Int, context: inout StageContext) {}

    /// Nothing to tell by default.
    public func describe(slot: Int, into view: inout VehicleView) {}
}
