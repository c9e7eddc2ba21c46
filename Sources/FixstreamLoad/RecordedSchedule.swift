public import FixstreamWire

/// The order and timing of a replay of fixes as recorded: in the order given (a delivery order, as
/// `fixstream simulate` writes it), with their own event times, each due when the replay clock reaches the newest
/// event time given so far. So fixes go out paced by their times, and fixes recorded as delivered late (a backlog
/// after a network outage, a straggler) go out late too, as a server would have received them.
///
/// Vehicles are numbered in order of first appearance (vehicle `k` uses connection `k % connections`).
public struct RecordedSchedule {
    private let fixes: [Fix]
    private let vehicles: [Int]
    private let speed: Double
    private var position = 0
    private var newest: Int64
    private var pending: ReplaySchedule.Event?
    /// Event time of the first fix: due time 0.
    private let origin: Int64

    /// Plans a replay of `fixes` in their order at `speed` (nil: as fast as possible).
    public init(fixes: [Fix], speed: Double?) {
        self.fixes = fixes
        self.speed = speed ?? 1
        var numbers: [VehicleID: Int] = [:]
        vehicles = fixes.map { fix in
            if let number = numbers[fix.vehicle] { return number }
            numbers[fix.vehicle] = numbers.count
            return numbers.count - 1
        }
        newest = fixes.first?.time.millisecondsSinceEpoch ?? 0
        origin = newest
    }

    /// The next fix to send, or nil after the last.
    public mutating func next() -> ReplaySchedule.Event? {
        if let event = pending {
            pending = nil
            return event
        }
        guard position < fixes.count else { return nil }
        let fix = fixes[position]
        newest = max(newest, fix.time.millisecondsSinceEpoch)
        let due = UInt64(Double(newest - origin) / speed * 1_000_000)
        defer { position += 1 }
        return ReplaySchedule.Event(fix: fix, vehicle: vehicles[position], due: due)
    }

    /// Puts back an event taken by ``next()`` that could not be sent yet; it comes out next again.
    public mutating func pushBack(_ event: ReplaySchedule.Event) {
        pending = event
    }
}

extension RecordedSchedule: ReplayEvents {}
