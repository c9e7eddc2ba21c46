public import FixstreamPipeline
public import FixstreamWire

/// Raises `gps.lost` when a vehicle has sent no valid fix for a while, and `gps.restored` on its next fix.
///
/// Silence is measured on the shard clock from when the last fix was processed (wall time in `serve`, event time
/// in `process`), not from the fix's own time: a device uploading a backlog of old fixes is not silent. The alert
/// carries the time the silence reached the threshold, the last fix's time and position.
public final class GPSLossStage: PipelineStage {
    let lostAfter: Int64
    /// Per vehicle slot: when the loss was announced (shard clock, ms), or `Int64.min` while not lost.
    var lostAt: [Int64] = []

    /// A stage raising `gps.lost` after `lostAfter` milliseconds of silence.
    public init(lostAfter: Int64) {
        self.lostAfter = lostAfter
    }

    /// One timer: the silence deadline.
    public var timerKinds: Int { 1 }

    /// Restores a lost vehicle and moves its silence deadline.
    public func process(_ fix: Fix, context: inout StageContext) {
        if lostAt.count <= context.slot {
            lostAt.append(contentsOf: repeatElement(Int64.min, count: context.slot + 1 - lostAt.count))
            previousFixTime.append(
                contentsOf: repeatElement(Int64.min, count: context.slot + 1 - previousFixTime.count)
            )
        }
        if lostAt[context.slot] != Int64.min {
            let silenceStart = previousFixTime[context.slot]
            context.emit(
                Alert(
                    type: .gpsRestored,
                    vehicle: context.vehicle,
                    time: fix.time,
                    latitude: fix.latitude,
                    longitude: fix.longitude,
                    fields: [
                        AlertField("gap", .number(Double(fix.time.millisecondsSinceEpoch - silenceStart) / 1000)),
                        AlertField("lost_at", .time(Timestamp(millisecondsSinceEpoch: lostAt[context.slot]))),
                    ]
                )
            )
            lostAt[context.slot] = Int64.min
        }
        previousFixTime[context.slot] = fix.time.millisecondsSinceEpoch
        context.setTimer(0, at: Timestamp(millisecondsSinceEpoch: context.now.millisecondsSinceEpoch + lostAfter))
    }

    /// `lost`, since the loss was announced.
    public func describe(slot: Int, into view: inout VehicleView) {
        guard slot < lostAt.count, lostAt[slot] != Int64.min else { return }
        view.report(.lost, since: Timestamp(millisecondsSinceEpoch: lostAt[slot]))
    }

    /// The silence deadline passed: the vehicle is lost.
    public func timerFired(_ kind: Int, context: inout StageContext) {
        guard let last = context.lastFix, lostAt[context.slot] == Int64.min else { return }
        lostAt[context.slot] = context.now.millisecondsSinceEpoch
        context.emit(
            Alert(
                type: .gpsLost,
                vehicle: context.vehicle,
                time: context.now,
                latitude: last.latitude,
                longitude: last.longitude,
                fields: [
                    AlertField("last_fix", .time(last.time)),
                    AlertField("silence", .number(Double(lostAfter) / 1000)),
                ]
            )
        )
    }

    /// Event time of each vehicle's latest fix, for the gap reported on restore.
    var previousFixTime: [Int64] = []
}
