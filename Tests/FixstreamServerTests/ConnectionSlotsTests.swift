import Testing

@testable import FixstreamServer

struct ConnectionSlotsTests {
    @Test func aReusedSlotDoesNotAnswerToTheOldToken() {
        var slots = ConnectionSlots<String>()
        let first = slots.reserve()
        slots.fill(first.slot, with: "a")
        #expect(slots.slot(for: first.token) == first.slot)
        slots.release(first.slot)
        #expect(slots.slot(for: first.token) == nil)
        let second = slots.reserve()
        slots.fill(second.slot, with: "b")
        #expect(second.slot == first.slot)  // reused
        #expect(second.token != first.token)
        #expect(slots.slot(for: first.token) == nil)  // an event still in flight for "a" never reaches "b"
        #expect(slots.slot(for: second.token) == second.slot)
        #expect(slots.token(second.slot) == second.token)
        #expect(second.token >= ConnectionSlots<String>.firstToken)
    }

    @Test func tokensOutsideTheTableAreRefused() {
        var slots = ConnectionSlots<Int>()
        let reserved = slots.reserve()
        #expect(slots.slot(for: reserved.token) == nil)  // reserved, not filled
        #expect(slots.slot(for: 3) == nil)
        #expect(slots.slot(for: UInt64.max) == nil)
        slots[reserved.slot] = 7
        slots[reserved.slot]! += 1
        #expect(slots[reserved.slot] == 8)
    }
}
