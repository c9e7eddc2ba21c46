public import FixstreamPipeline
import FixstreamWire

/// Checkpoints: whether the vehicle is lost (and since when) and its latest fix's time.
///
/// A restored vehicle that was lost stays lost: its next fix raises `gps.restored` with the whole gap. One that was
/// not gets a fresh silence deadline, `lostAfter` from the restart: the time the server was down says nothing of
/// whether the device was sending.
extension GPSLossStage {
    /// `gps-loss`.
    public var checkpointName: String { "gps-loss" }

    /// Version 1: when the loss was announced (optional), the latest fix's event time.
    public func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        guard slot < previousFixTime.count, previousFixTime[slot] != Int64.min else { return }
        writer.writeVersion(1)
        writer.write(lostAt[slot] == Int64.min ? nil : lostAt[slot])
        writer.write(previousFixTime[slot])
    }

    /// Restores the state and, unless the vehicle is lost, arms the silence deadline at the restart plus
    /// `lostAfter`.
    public func restore(
        slot: Int,
        from reader: inout CheckpointReader,
        context: inout StageContext
    ) throws(CheckpointError) {
        _ = try reader.readVersion(1 ... 1)
        let lost = try reader.readOptionalInt64()
        let previous = try reader.readInt64()
        try reader.expectEnd()
        if lostAt.count <= slot {
            lostAt.append(contentsOf: repeatElement(Int64.min, count: slot + 1 - lostAt.count))
            previousFixTime.append(contentsOf: repeatElement(Int64.min, count: slot + 1 - previousFixTime.count))
        }
        lostAt[slot] = lost ?? Int64.min
        previousFixTime[slot] = previous
        if lost == nil {
            context.setTimer(0, at: Timestamp(millisecondsSinceEpoch: context.now.millisecondsSinceEpoch + lostAfter))
        }
    }
}
