public import FixstreamPipeline
import FixstreamWire

/// Checkpoints: the vehicle's current cluster (candidate or halt), its recent fixes and how far it has left.
///
/// A halt in progress goes on after a restart: its end carries its real start and duration. A candidate that
/// reaches the duration after the restart raises `idle.start` dated at its real start; its timer is re-armed for
/// the time the candidate still needs, counted from the restart (the server being down is no evidence that the
/// vehicle stood still).
extension IdleStage {
    /// `idle`.
    public var checkpointName: String { "idle" }

    /// Version 1: the plane's origin, the recent fixes (oldest first, times as differences), the cluster.
    public func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        guard slot < states.count, let state = states[slot] else { return }
        writer.writeVersion(1)
        writer.write(state.originLatitude)
        writer.write(state.originLongitude)
        writer.write(count: state.recent.count)
        var previous: Int64 = 0
        for position in state.recent.indices {
            let point = state.recent[(state.recentNext + position) % state.recent.count]
            writer.write(point.time - previous)
            writer.write(point.x)
            writer.write(point.y)
            previous = point.time
        }
        writer.write(state.sumX)
        writer.write(state.sumY)
        writer.write(state.sumSquares)
        writer.write(state.count)
        writer.write(state.start)
        writer.write(state.latest)
        writer.write(state.idle)
        writer.write(state.outside)
        writer.write(state.firstOutside)
        writer.write(state.departure)
    }

    /// Restores the cluster and re-arms the timer of a candidate halt.
    public func restore(
        slot: Int,
        from reader: inout CheckpointReader,
        context: inout StageContext
    ) throws(CheckpointError) {
        _ = try reader.readVersion(1 ... 1)
        var state = State(originLatitude: try reader.readDouble(), originLongitude: try reader.readDouble())
        let points = try reader.readCount(minimumSize: 9)
        guard points <= Self.recentCapacity else {
            throw reader.failure(.malformed, "\(points) recent fixes, more than \(Self.recentCapacity)")
        }
        var time: Int64 = 0
        for _ in 0 ..< points {
            time += try reader.readInt64()
            guard abs(time) <= CheckpointReader.integerLimit else {
                throw reader.failure(.malformed, "a recent fix's time out of range")
            }
            state.recent.append(Point(time: time, x: try reader.readFloat(), y: try reader.readFloat()))
        }
        state.sumX = try reader.readDouble()
        state.sumY = try reader.readDouble()
        state.sumSquares = try reader.readDouble()
        state.count = try reader.readInt()
        state.start = try reader.readInt64()
        state.latest = try reader.readInt64()
        state.idle = try reader.readBool()
        state.outside = try reader.readInt()
        state.firstOutside = try reader.readInt64()
        state.departure = try reader.readOptionalInt64()
        try reader.expectEnd()
        guard state.count >= 0, state.outside >= 0, state.count == 0 || !state.recent.isEmpty else {
            throw reader.failure(.malformed, "an impossible cluster")
        }
        if states.count <= slot {
            states.append(contentsOf: repeatElement(nil, count: slot + 1 - states.count))
        }
        // As `update` left it: armed while a candidate has no fix outside.
        if !state.idle, state.outside == 0, state.count > 0, after != .max, let newest = state.recent.last {
            let remaining = max(0, state.start + after - newest.time)
            context.setTimer(0, at: Timestamp(millisecondsSinceEpoch: context.now.millisecondsSinceEpoch + remaining))
        }
        states[slot] = state
    }
}
