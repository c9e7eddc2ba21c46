public import FixstreamWire

/// The order and timing of a replay: every vehicle's fixes, each with the moment (relative to the start) it is
/// due to be sent and the event time it carries.
///
/// Vehicle `k` plays trace `k % traces` with the id `<trace id>-<k>` (the trace id alone when there is one vehicle
/// per trace), starts `k × window / vehicles` later (window: the shorter of 60 s and the trace), is shifted by
/// up to about 100 m (the second and later copies of a trace) so the fleet does not sit on one spot, and loops when a duration asks for more than one pass:
/// odd passes drive the trace backwards, so a looping vehicle never teleports from the end back to the start.
public struct ReplaySchedule {
    /// One fix due to be sent.
    public struct Event {
        /// The fix as it goes on the wire (new id, time and position).
        public var fix: Fix
        /// The vehicle number, 0 ..< vehicles.
        public var vehicle: Int
        /// When it is due, nanoseconds after the start at the replay speed (ignored at full speed).
        public var due: UInt64
    }

    private struct Cursor {
        var due: UInt64
        var vehicle: Int32
        var index: Int32
        var cycle: Int32
    }

    private let traces: [[Fix]]
    private let spans: [Int64]
    private let cycles: [Int64]
    private let ids: [VehicleID]
    private let staggers: [Int64]
    private let speed: Double
    private let loops: Bool
    /// Event time of relative time 0.
    private let base: Int64
    private var heap: [Cursor] = []
    private var pending: Event?

    /// The longest span (ms) of event time a vehicle covers in one pass, stagger included.
    public let passSpan: Int64

    /// Plans a replay.
    /// - Parameters:
    ///   - traces: the fixes of each source vehicle, in time order (at least one, each non-empty).
    ///   - vehicles: how many vehicles to play.
    ///   - speed: the replay speed (nil: as fast as possible).
    ///   - loops: whether vehicles start over at the end (for a duration longer than the traces).
    ///   - eventSpan: how much event time (ms) the whole replay may cover: event times end near `now`.
    ///   - now: the wall clock at the start (epoch ms).
    ///   - staggerWindow: vehicles start spread over this many milliseconds (at most the longest trace).
    public init(
        traces: [[Fix]],
        vehicles: Int,
        speed: Double?,
        loops: Bool,
        eventSpan: Int64,
        now: Int64,
        staggerWindow: Int64 = 60_000
    ) {
        precondition(!traces.isEmpty && traces.allSatisfy { !$0.isEmpty } && vehicles > 0)
        self.traces = traces
        spans = traces.map { $0.last!.time.millisecondsSinceEpoch - $0.first!.time.millisecondsSinceEpoch }
        // A pass, then a pause of one typical interval before the next.
        cycles = zip(traces, spans).map { trace, span in
            span + max(1000, trace.count > 1 ? span / Int64(trace.count - 1) : 1000)
        }
        let window = min(staggerWindow, spans.max()!)
        staggers = (0 ..< vehicles).map { Int64($0) * window / Int64(vehicles) }
        ids = (0 ..< vehicles).map { k in
            let source = traces[k % traces.count][0].vehicle.description
            let id = vehicles <= traces.count ? source : String(source.prefix(VehicleID.capacity - 8)) + "-\(k)"
            return VehicleID(id) ?? VehicleID("vehicle-\(k)")!
        }
        self.speed = speed ?? 1
        self.loops = loops
        passSpan = window + spans.max()!
        // Event times end near `now` (never in the future); at real-time speed they start at `now` (live).
        base = speed == 1 ? now : now - max(eventSpan, passSpan)
        for vehicle in 0 ..< vehicles {
            heap.append(
                Cursor(due: due(vehicle: vehicle, index: 0, cycle: 0), vehicle: Int32(vehicle), index: 0, cycle: 0)
            )
        }
        heap.sort { Self.precedes($0, $1) }
    }

    /// The event-time offset (ms) of fix `index` of `vehicle`'s trace in `cycle`.
    private func offset(vehicle: Int, index: Int, cycle: Int) -> Int64 {
        let trace = vehicle % traces.count
        let position = self.position(index, trace: trace, cycle: cycle)
        var relative =
            traces[trace][position].time.millisecondsSinceEpoch - traces[trace][0].time.millisecondsSinceEpoch
        if cycle % 2 == 1 { relative = spans[trace] - relative }
        return staggers[vehicle] + Int64(cycle) * cycles[trace] + relative
    }

    /// Which fix of the trace the `index`-th of a pass is: forwards on even passes, backwards on odd ones.
    private func position(_ index: Int, trace: Int, cycle: Int) -> Int {
        cycle % 2 == 0 ? index : traces[trace].count - 1 - index
    }

    private func due(vehicle: Int, index: Int, cycle: Int) -> UInt64 {
        UInt64(Double(offset(vehicle: vehicle, index: index, cycle: cycle)) / speed * 1_000_000)
    }

    private static func precedes(_ a: Cursor, _ b: Cursor) -> Bool {
        a.due != b.due ? a.due < b.due : a.vehicle < b.vehicle
    }

    /// The next fix to send, or nil when every vehicle has finished its pass (never, when looping).
    public mutating func next() -> Event? {
        if let event = pending {
            pending = nil
            return event
        }
        guard let top = heap.first else { return nil }
        let vehicle = Int(top.vehicle)
        let index = Int(top.index)
        let cycle = Int(top.cycle)
        let trace = vehicle % traces.count
        var fix = traces[trace][position(index, trace: trace, cycle: cycle)]
        if cycle % 2 == 1, let course = fix.course { fix.course = (course + 180).truncatingRemainder(dividingBy: 360) }
        fix.vehicle = ids[vehicle]
        fix.time = Timestamp(millisecondsSinceEpoch: base + offset(vehicle: vehicle, index: index, cycle: cycle))
        // Copies of a trace are shifted apart; each trace's first vehicle drives it where it was recorded (a
        // simulated fleet's vehicles stay on their roads, at their stops and in their fences).
        let copy = vehicle / traces.count
        fix.latitude += Double(copy % 10) * 0.000_09
        fix.longitude += Double(copy / 10 % 10) * 0.000_13
        // Advance this vehicle's cursor and restore the heap.
        var nextIndex = index + 1
        var nextCycle = cycle
        if nextIndex == traces[trace].count {
            nextIndex = 0
            nextCycle += 1
        }
        if nextCycle > cycle && !loops {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        } else {
            heap[0] = Cursor(
                due: due(vehicle: vehicle, index: nextIndex, cycle: nextCycle),
                vehicle: top.vehicle,
                index: Int32(nextIndex),
                cycle: Int32(nextCycle)
            )
        }
        siftDown()
        return Event(fix: fix, vehicle: vehicle, due: top.due)
    }

    /// Puts back an event taken by ``next()`` that could not be sent yet; it comes out next again.
    public mutating func pushBack(_ event: Event) {
        pending = event
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count && Self.precedes(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard Self.precedes(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
