extension DeliveryLoop {
    /// Starts a replay when the lane has none under way and a dead letter of its endpoint asks for one (looked
    /// for every ``replayPoll``, and right after a replay ends).
    func startReplay(_ lane: EndpointLane, now: Int64) {
        guard lane.replay == nil, now >= lane.nextReplayCheck else { return }
        lane.nextReplayCheck = now + Self.replayPoll
        let next: (letter: DeadLetter, body: [UInt8])?
        do {
            next = try store.nextReplay(for: lane.endpoint.name)
        } catch {
            lane.metrics.lastError = "cannot read the dead letters: \(error)"
            return
        }
        guard let next else { return }
        lane.replay = EndpointLane.Replay(
            letter: next.letter,
            request: EndpointLane.Request(
                task: lane.session.post(next.body, signature: lane.session.sign(next.body)),
                deadline: now + lane.endpoint.timeout.milliseconds
            )
        )
        inFlight += 1
    }

    /// Ends a replay: a delivered dead letter is deleted; a failed one stays, with one more attempt, the error,
    /// and its replay request cleared (ask again to retry).
    func finishReplay(_ lane: EndpointLane, _ letter: DeadLetter, failure: String?, now: Int64) {
        lane.nextReplayCheck = now
        do {
            if let failure {
                lane.metrics.lastError = "replay of dead letter \(letter.id): \(failure)"
                try store.replayFailed(letter.id, error: failure, at: options.clock())
            } else {
                lane.metrics.replayed += Int64(letter.alerts)
                try store.deleteDeadLetter(letter.id)
            }
        } catch {
            lane.metrics.lastError = "cannot update dead letter \(letter.id): \(error)"
        }
    }
}
