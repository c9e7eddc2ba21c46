public import FixstreamWire

/// A step of the per-vehicle pipeline: map matching, geofences, idle, trips, GPS loss.
///
/// One instance per shard, called only from that shard's thread, so a stage keeps its per-vehicle state in plain
/// arrays indexed by ``StageContext/slot`` without locks. Fixes arrive per vehicle in event-time order and already
/// filtered. A stage raises alerts with ``StageContext/emit(_:)`` and arms timers on the shard clock with
/// ``StageContext/setTimer(_:at:)``.
///
/// A stage that keeps per-vehicle state survives restarts by writing it in ``checkpoint(slot:into:)`` and reading
/// it back in ``restore(slot:from:context:)``; the engine frames each stage's part with its ``checkpointName``, so
/// a stage added, removed or reordered since a checkpoint was written is skipped cleanly.
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

    /// Names the stage's part of a vehicle's checkpoint: stable across releases (not a type name that may be
    /// renamed), unique among the stages of one engine.
    var checkpointName: String { get }

    /// Writes what the stage keeps for the vehicle in `slot`, starting with a one-byte format version; writes
    /// nothing when it keeps nothing (then ``restore(slot:from:context:)`` is not called for it). Called on the
    /// shard's thread, between fixes.
    func checkpoint(slot: Int, into writer: inout CheckpointWriter)

    /// Restores the state ``checkpoint(slot:into:)`` wrote, into `slot`, a vehicle the engine has just created
    /// (no fix of it processed yet). Re-arms the stage's timers through `context` (whose `now` is the restart
    /// time) and raises no alerts. Reads everything before changing anything, so a throw leaves the stage as it
    /// was for the slot.
    /// - Throws: ``CheckpointError`` for a truncated or garbage part, or a format version this build does not
    ///   read.
    func restore(slot: Int, from reader: inout CheckpointReader, context: inout StageContext) throws(CheckpointError)
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

    /// The type's name by default.
    public var checkpointName: String { String(describing: Self.self) }

    /// Nothing to keep by default.
    public func checkpoint(slot: Int, into writer: inout CheckpointWriter) {}

    /// Nothing to restore by default (a stage that writes nothing is never asked).
    public func restore(
        slot: Int,
        from reader: inout CheckpointReader,
        context: inout StageContext
    ) throws(CheckpointError) {}
}
