import Testing

@testable import FixstreamPipeline

struct TimerQueueTests {
    @Test func movingADeadlineLaterKeepsOneEntry() {
        let queue = TimerQueue(kinds: 2)
        queue.reserve(slot: 0)
        for deadline in Int64(100) ... 10_000 { queue.set(slot: 0, kind: 1, deadline: deadline) }
        #expect(queue.queuedEntries == 1)
        #expect(queue.popDue(now: 9_999) == nil)
        let due = queue.popDue(now: 10_000)
        #expect(due?.slot == 0 && due?.kind == 1 && due?.deadline == 10_000)
        #expect(queue.popDue(now: .max - 1) == nil)
    }

    @Test func movingADeadlineEarlierFiresAtTheEarlierTime() {
        let queue = TimerQueue(kinds: 1)
        queue.reserve(slot: 3)
        queue.set(slot: 3, kind: 0, deadline: 500)
        queue.set(slot: 3, kind: 0, deadline: 200)
        #expect(queue.popDue(now: 200)?.deadline == 200)
        #expect(queue.popDue(now: 1_000) == nil)  // the stale 500 entry is skipped
    }

    @Test func cancelledTimersNeverFire() {
        let queue = TimerQueue(kinds: 1)
        queue.reserve(slot: 1)
        queue.set(slot: 0, kind: 0, deadline: 10)
        queue.set(slot: 1, kind: 0, deadline: 20)
        queue.cancel(slot: 0, kind: 0)
        #expect(queue.deadline(slot: 0, kind: 0) == nil)
        #expect(queue.popDue(now: 100)?.slot == 1)
        #expect(queue.popDue(now: 100) == nil)
    }

    @Test func equalDeadlinesFireBySlotThenKind() {
        let queue = TimerQueue(kinds: 2)
        queue.reserve(slot: 2)
        queue.set(slot: 2, kind: 0, deadline: 5)
        queue.set(slot: 0, kind: 1, deadline: 5)
        queue.set(slot: 0, kind: 0, deadline: 5)
        var order: [String] = []
        while let due = queue.popDue(now: 5) { order.append("\(due.slot).\(due.kind)") }
        #expect(order == ["0.0", "0.1", "2.0"])
    }
}
