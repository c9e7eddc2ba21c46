public import FixstreamWire

/// Checkpoints: each vehicle's state as one blob, so a restarted server carries on where it stopped.
///
/// A vehicle's blob holds, after a format version, what the engine itself needs to go on: the last fix (the jump
/// filter's anchor and the stages' `lastFix`), the event time of the last fix released to the stages and the
/// seconds seen in the minute before it (a backlog resent after the restart is recognised as duplicates), and the
/// jump filter's candidate; from version 2 the shard's clock at the checkpoint. Then, inside one section (so a blob cut short anywhere is refused), one section per
/// stage that keeps something, named by its ``PipelineStage/checkpointName``: a restore gives each section to the
/// stage of that name and skips the sections of stages that no longer run; stages without a section start afresh
/// for the vehicle. Not kept: fixes still
/// held for reordering (a graceful stop releases them first) and the vehicle's disorder history (it is learnt
/// again).
extension ShardEngine {
    /// Checkpoints of every vehicle (with `dirtyOnly`, only those that changed since their last checkpoint), and
    /// marks them clean.
    /// - Returns: each vehicle's id and blob, in slot order.
    /// - Complexity: O(vehicles) plus the size of the state written.
    public func checkpoint(dirtyOnly: Bool) -> [(VehicleID, [UInt8])] {
        var cursor = 0
        return checkpoint(dirtyOnly: dirtyOnly, from: &cursor, limit: .max)
    }

    /// Checkpoints of the vehicles in the `limit` slots from `cursor` on (with `dirtyOnly`, only those that
    /// changed since their last checkpoint), and marks them clean: one bounded step of a round over all vehicles,
    /// which a shard interleaves with fixes.
    /// - Parameters:
    ///   - dirtyOnly: skip vehicles that have not changed since their last checkpoint.
    ///   - cursor: the slot to start from; moved past the last slot looked at. The round is over once it reaches
    ///     ``vehicleCount``.
    ///   - limit: the most slots to look at in this step (so the step's time is bounded whether or not the
    ///     vehicles changed).
    /// - Returns: each vehicle's id and blob, in slot order.
    public func checkpoint(dirtyOnly: Bool, from cursor: inout Int, limit: Int) -> [(VehicleID, [UInt8])] {
        var rows: [(VehicleID, [UInt8])] = []
        let end = cursor + min(limit, vehicles.count - cursor)
        while cursor < end {
            let slot = cursor
            cursor += 1
            guard !dirtyOnly || vehicles[slot].dirty else { continue }
            vehicles[slot].dirty = false
            rows.append((vehicles[slot].id, checkpoint(slot: slot)))
        }
        return rows
    }

    /// Creates `vehicle` from its checkpoint and gives each stage its section, with the clock at `now` so that
    /// stages re-arm their timers from there. Raises no alerts.
    ///
    /// A corrupt blob never traps. When the engine's part or the framing of the sections is bad, nothing is
    /// created. When one stage's section is bad, that stage starts afresh for the vehicle (as a stage added since
    /// the checkpoint would) and the others keep what they restored; the first such error is thrown after every
    /// stage was tried.
    /// - Parameters:
    ///   - vehicle: the vehicle the blob belongs to; it must be new to this engine.
    ///   - blob: what ``checkpoint(dirtyOnly:)`` returned for it.
    ///   - now: the shard clock at the restart. With the event-time clock a vehicle's timers count from the shard's
    ///     clock at the checkpoint instead (no event time passed while the server was down; a vehicle behind the
    ///     shard's clock, as a backlog is, had its timers counted from there), or from its own last released fix
    ///     in a version 1 checkpoint, `now` only when it has neither.
    /// - Throws: ``CheckpointError`` as described; ``CheckpointError/stage`` names the stage at fault.
    public func restore(_ vehicle: VehicleID, _ blob: [UInt8], now: Timestamp) throws(CheckpointError) {
        guard slot(of: vehicle) == nil else {
            throw CheckpointError(.malformed, "vehicle \(vehicle) is known already", offset: 0)
        }
        var reader = CheckpointReader(blob)
        let format = try reader.readVersion(1 ... 2)
        var state = VehicleState(id: vehicle)
        state.last = try reader.readOptional { reader throws(CheckpointError) in try reader.readFix(vehicle: vehicle) }
        if let released = try reader.readOptionalInt64() {
            state.released = released
            state.newest = released
        }
        state.seenSeconds = try reader.readBits()
        state.seenAnchor = try reader.readOptionalInt64() ?? .min
        state.jumpRejects = try reader.readInt()
        guard state.jumpRejects >= 0 else { throw reader.failure(.malformed, "a negative jump reject count") }
        state.jumpCandidate = try reader.readOptional { reader throws(CheckpointError) in
            VehicleState.JumpCandidate(
                latitude: try reader.readDouble(),
                longitude: try reader.readDouble(),
                time: try reader.readInt64()
            )
        }
        // A clock is never ahead of the wall clock (a corrupt one is ignored: this vehicle's clock then stands in).
        let savedClock = (format >= 2 ? try reader.readOptionalInt64() : nil).flatMap { saved in
            (0 ... now.millisecondsSinceEpoch &+ config.futureTolerance).contains(saved) ? saved : nil
        }
        var parts = try reader.readSection()
        try reader.expectEnd()
        var sections: [(stage: Int, reader: CheckpointReader)] = []
        while !parts.isAtEnd {
            let name = try parts.readString()
            let section = try parts.readSection()
            // Matched by name, in order: a stage gone since the checkpoint leaves its section unread.
            let stage = stages.indices.first { index in
                stageNames[index] == name && !sections.contains { $0.stage == index }
            }
            if let stage { sections.append((stage, section)) }
        }

        let slot = slot(for: vehicle)
        vehicles[slot] = state
        // The shard's clock goes on from where it was (never back): a timer due before then fires with the next fix.
        if let savedClock, savedClock > clock { clock = savedClock }
        var output = PipelineOutput()
        var restartedAt = now.millisecondsSinceEpoch
        if case .eventTime = clockMode, let saved = savedClock ?? (state.released != .min ? state.released : nil) {
            restartedAt = max(saved, state.released)
        }
        var context = makeContext(slot, &output, at: restartedAt)
        var failure: CheckpointError?
        for var section in sections {
            context.timerBase = timerBases[section.stage]
            do {
                try stages[section.stage].restore(slot: slot, from: &section.reader, context: &context)
            } catch {
                var error = error
                error.stage = stageNames[section.stage]
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// The blob of the vehicle in `slot`.
    private func checkpoint(slot: Int) -> [UInt8] {
        var writer = CheckpointWriter()
        swap(&writer, &checkpointScratch)
        defer {
            writer.removeAll()
            swap(&writer, &checkpointScratch)
        }
        let state = vehicles[slot]
        writer.writeVersion(2)
        writer.write(state.last) { $0.write($1) }
        writer.write(state.released == .min ? nil : state.released)
        writer.write(bits: state.seenSeconds)
        writer.write(state.seenAnchor == .min ? nil : state.seenAnchor)
        writer.write(state.jumpRejects)
        writer.write(state.jumpCandidate) { writer, candidate in
            writer.write(candidate.latitude)
            writer.write(candidate.longitude)
            writer.write(candidate.time)
        }
        writer.write(clock == .min ? nil : clock)
        writer.section { writer in
            for index in stages.indices {
                let start = writer.count
                writer.write(stageNames[index])
                let length = writer.section { stages[index].checkpoint(slot: slot, into: &$0) }
                if length == 0 { writer.truncate(to: start) }
            }
        }
        return Array(writer.bytes[...])
    }
}
