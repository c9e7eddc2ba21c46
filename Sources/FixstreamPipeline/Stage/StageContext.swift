public import FixstreamWire

/// What a stage sees of the engine while it handles one fix or timer: the vehicle, the clock, the alert output
/// and the vehicle's timers.
public struct StageContext {
    /// The vehicle being handled.
    public let vehicle: VehicleID
    /// The vehicle's dense index on this shard (0, 1, 2, ...): stages keep per-vehicle state in arrays by slot.
    public let slot: Int
    /// The shard clock: event time in `process`, wall time in `serve`.
    public let now: Timestamp
    /// The vehicle's latest processed fix (the current one while a fix is being processed), if any.
    public let lastFix: Fix?
    /// Where the map matcher put the fix being processed, for the stages after it; nil without a map, for a fix
    /// that matched no road, and for timers.
    public var roadMatch: RoadMatch?
    /// Counts the map stages add to the engine's ``PipelineStats/map``.
    public var mapStats = MapStats()
    let timers: TimerQueue
    var timerBase: Int
    var alerts: [Alert]
    /// Alerts already in the output before this context: the ones after it are new.
    let initialAlerts: Int

    init(vehicle: VehicleID, slot: Int, now: Timestamp, lastFix: Fix?, timers: TimerQueue, alerts: [Alert]) {
        self.vehicle = vehicle
        self.slot = slot
        self.now = now
        self.lastFix = lastFix
        self.timers = timers
        self.timerBase = 0
        self.alerts = alerts
        self.initialAlerts = alerts.count
    }

    /// Raises an alert.
    public mutating func emit(_ alert: Alert) {
        alerts.append(alert)
    }

    /// Arms the stage's timer `kind` for this vehicle (moving it if armed). Cheap enough to call on every fix.
    public func setTimer(_ kind: Int, at deadline: Timestamp) {
        timers.set(slot: slot, kind: timerBase + kind, deadline: deadline.millisecondsSinceEpoch)
    }

    /// Disarms the stage's timer `kind` for this vehicle.
    public func cancelTimer(_ kind: Int) {
        timers.cancel(slot: slot, kind: timerBase + kind)
    }

    /// When the stage's timer `kind` is due for this vehicle, if armed.
    public func timerDeadline(_ kind: Int) -> Timestamp? {
        timers.deadline(slot: slot, kind: timerBase + kind).map { Timestamp(millisecondsSinceEpoch: $0) }
    }
}
