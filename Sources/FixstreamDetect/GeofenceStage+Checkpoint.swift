import FixstreamGeo
public import FixstreamPipeline
import FixstreamWire

/// Checkpoints: the fences the vehicle is in or entering, by fence id, and the stationary tracker.
///
/// A restored vehicle inside a fence gets no second `geofence.enter`, and its exit carries the duration since
/// the real enter. Memberships follow their fence by id into the fences of the restart: a fence deleted since is
/// dropped silently, a reshaped one judges the next fix, and a dwell not yet announced follows the fence's dwell
/// time now. Dwell deadlines are counted from the restart (the event time of the vehicle's last fix is taken as
/// the restart's), like the other detectors' silence rules: the server being down is no evidence that the
/// vehicle stayed.
extension GeofenceStage {
    /// `geofence`.
    public var checkpointName: String { "geofence" }

    /// Version 1: memberships (fence id, inside, dwell announced, enter time, pending change), the tracker, the
    /// last fix's position and time.
    public func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        guard slot < vehicles.count, let state = vehicles[slot] else { return }
        writer.writeVersion(1)
        writer.write(count: state.memberships.count)
        for member in state.memberships {
            writer.write(index.fences[Int(member.fence)].id)
            writer.write(member.inside)
            writer.write(member.dwellFired)
            writer.write(member.entered)
            writer.write(member.pendingTime)
            if member.pendingTime != nil {
                writer.write(member.pendingLatitude)
                writer.write(member.pendingLongitude)
            }
        }
        state.tracker.checkpoint(into: &writer)
        writer.write(state.lastLatitude)
        writer.write(state.lastLongitude)
        writer.write(state.lastTime)
        writer.write(state.seen)
    }

    /// Restores the memberships of fences that still exist and re-arms the earliest dwell.
    public func restore(
        slot: Int,
        from reader: inout CheckpointReader,
        context: inout StageContext
    ) throws(CheckpointError) {
        if control.version != version { adopt(control.snapshot) }
        _ = try reader.readVersion(1 ... 1)
        let count = try reader.readCount(minimumSize: 5)
        var saved: [(id: String, member: Membership)] = []
        saved.reserveCapacity(count)
        for _ in 0 ..< count {
            let id = try reader.readString()
            var member = Membership(fence: 0, inside: try reader.readBool())
            member.dwellFired = try reader.readBool()
            member.entered = try reader.readInt64()
            member.pendingTime = try reader.readOptionalInt64()
            if member.pendingTime != nil {
                member.pendingLatitude = try reader.readDouble()
                member.pendingLongitude = try reader.readDouble()
            }
            saved.append((id, member))
        }
        var state = VehicleFences()
        state.tracker = try StationaryTracker(from: &reader)
        state.lastLatitude = try reader.readDouble()
        state.lastLongitude = try reader.readDouble()
        state.lastTime = try reader.readInt64()
        state.seen = try reader.readBool()
        try reader.expectEnd()

        if restoreLookup?.fences !== index {
            var positions: [[UInt8]: Int32] = [:]
            positions.reserveCapacity(index.fences.count)
            for (position, fence) in index.fences.enumerated() { positions[Array(fence.id.utf8)] = Int32(position) }
            restoreLookup = (index, positions)
        }
        for (id, saved) in saved {
            guard let position = restoreLookup?.positions[Array(id.utf8)],
                !state.memberships.contains(where: { $0.fence == position })
            else { continue }
            var member = saved
            member.fence = position
            if member.inside && !member.dwellFired {
                member.dwellDue = index.fences[Int(position)].dwell.map { member.entered + $0 } ?? .max
            }
            state.memberships.append(member)
        }
        state.clockOffset = context.now.millisecondsSinceEpoch - state.lastTime
        if vehicles.count <= slot {
            vehicles.append(contentsOf: repeatElement(nil, count: slot + 1 - vehicles.count))
        }
        arm(state, context: &context)
        vehicles[slot] = state
    }
}
