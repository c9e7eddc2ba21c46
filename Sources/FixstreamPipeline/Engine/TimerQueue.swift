/// Deadlines per (vehicle slot, timer kind), fired in deadline order on the shard's clock.
///
/// Rules such as "nothing heard for 5 minutes" move their deadline on every fix. Moving a deadline later is O(1):
/// only the stored deadline changes; the heap keeps its earlier entry, and when that entry comes due it is
/// re-queued at the stored deadline. So the heap holds about one entry per armed timer, however often deadlines
/// move. Moving one earlier pushes a new entry (O(log n)); the stale later one is skipped when it surfaces.
final class TimerQueue {
    private struct Entry {
        var deadline: Int64
        var slot: UInt32
        var kind: UInt16
    }

    static let none = Int64.max

    /// Timer kinds per vehicle.
    let kinds: Int
    private var heap: [Entry] = []
    /// The deadline each (slot, kind) wants, or `none`.
    private var wanted: [Int64] = []
    /// The earliest heap entry's deadline for each (slot, kind), or `none`.
    private var queued: [Int64] = []

    init(kinds: Int) {
        self.kinds = kinds
    }

    /// Makes room for vehicle slots up to `slot`.
    func reserve(slot: Int) {
        let needed = (slot + 1) * kinds
        if wanted.count < needed {
            wanted.append(contentsOf: repeatElement(Self.none, count: needed - wanted.count))
            queued.append(contentsOf: repeatElement(Self.none, count: needed - queued.count))
        }
    }

    /// Arms (or moves) the timer `kind` of `slot` to fire at `deadline`.
    func set(slot: Int, kind: Int, deadline: Int64) {
        let index = slot * kinds + kind
        wanted[index] = deadline
        if deadline < queued[index] {
            queued[index] = deadline
            push(Entry(deadline: deadline, slot: UInt32(slot), kind: UInt16(kind)))
        }
    }

    /// Disarms the timer `kind` of `slot`.
    func cancel(slot: Int, kind: Int) {
        wanted[slot * kinds + kind] = Self.none
    }

    /// The deadline `kind` of `slot` is armed for, or nil.
    func deadline(slot: Int, kind: Int) -> Int64? {
        let value = wanted[slot * kinds + kind]
        return value == Self.none ? nil : value
    }

    /// The earliest deadline that may fire, or nil when nothing is queued.
    var nextDeadline: Int64? { heap.first?.deadline }

    /// Removes and returns the next timer due at or before `now`, skipping moved and cancelled entries.
    func popDue(now: Int64) -> (slot: Int, kind: Int, deadline: Int64)? {
        while let top = heap.first, top.deadline <= now {
            popTop()
            let index = Int(top.slot) * kinds + Int(top.kind)
            guard queued[index] == top.deadline else { continue }  // a stale entry: an earlier one superseded it
            queued[index] = Self.none
            let want = wanted[index]
            if want == Self.none { continue }  // cancelled
            if want > top.deadline {  // moved later: queue again at the wanted time
                queued[index] = want
                push(Entry(deadline: want, slot: top.slot, kind: top.kind))
                continue
            }
            wanted[index] = Self.none
            return (Int(top.slot), Int(top.kind), want)
        }
        return nil
    }

    /// Entries in the heap (armed timers plus stale entries not yet surfaced).
    var queuedEntries: Int { heap.count }

    /// Deadline order; ties by slot then kind, so equal deadlines fire in a reproducible order.
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if a.deadline != b.deadline { return a.deadline < b.deadline }
        if a.slot != b.slot { return a.slot < b.slot }
        return a.kind < b.kind
    }

    private func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            var smallest = left
            if right < heap.count && Self.precedes(heap[right], heap[left]) { smallest = right }
            guard Self.precedes(heap[smallest], heap[parent]) else { break }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
