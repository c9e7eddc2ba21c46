/// Fixes due to be sent, in due order: what ``Replayer`` paces and sends (``ReplaySchedule`` for traces fanned
/// out and moved to end near the clock, ``RecordedSchedule`` for fixes as recorded).
protocol ReplayEvents {
    /// The next fix to send, or nil when the replay is over.
    mutating func next() -> ReplaySchedule.Event?
    /// Puts back an event taken by ``next()`` that could not be sent yet; it comes out next again.
    mutating func pushBack(_ event: ReplaySchedule.Event)
}

extension ReplaySchedule: ReplayEvents {}
