/// Counters of one shard engine (or several merged): fixes in, processed, set aside by reason.
public struct PipelineStats: Sendable, Equatable {
    /// Fixes offered to the engine.
    public var offered = 0
    /// Fixes that went through the stages in event-time order.
    public var processed = 0
    /// Fixes that arrived after a newer one and were put back in order by the hold buffer.
    public var reordered = 0
    /// Times a vehicle was re-anchored after consecutive jump rejects.
    public var reanchored = 0
    /// Vehicles seen.
    public var vehicles = 0
    /// The map stages' counters (all zero without `--map`).
    public var map = MapStats()
    /// Alerts raised, by type.
    public private(set) var alerts = [Int](repeating: 0, count: AlertType.allCases.count)
    private var filtered = [Int](repeating: 0, count: FilterReason.allCases.count)

    /// Empty counters.
    public init() {}

    /// How many fixes were set aside for `reason`.
    public subscript(reason: FilterReason) -> Int { filtered[Int(reason.rawValue)] }

    /// How many alerts of `type` were raised.
    public subscript(type: AlertType) -> Int { alerts[Int(type.rawValue)] }

    /// All fixes set aside.
    public var rejected: Int { filtered.reduce(0, +) }

    mutating func count(_ reason: FilterReason) { filtered[Int(reason.rawValue)] += 1 }

    mutating func count(_ type: AlertType) { alerts[Int(type.rawValue)] += 1 }

    /// Adds another engine's counters to these.
    public mutating func merge(_ other: PipelineStats) {
        offered += other.offered
        processed += other.processed
        reordered += other.reordered
        reanchored += other.reanchored
        vehicles += other.vehicles
        map.merge(other.map)
        for i in alerts.indices { alerts[i] += other.alerts[i] }
        for i in filtered.indices { filtered[i] += other.filtered[i] }
    }

    /// One human-readable line; zero counts left out.
    public var summary: String {
        var parts = ["\(processed) processed", "\(vehicles) vehicles"]
        let reasons = FilterReason.allCases.filter { self[$0] > 0 }.map { "\($0.name)=\(self[$0])" }
        parts.append("filtered \(rejected)" + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: " ") + ")"))
        if reordered > 0 { parts.append("reordered \(reordered)") }
        if reanchored > 0 { parts.append("reanchored \(reanchored)") }
        if !map.isZero {
            parts.append(
                "map matched \(map.matched) unmatched \(map.unmatched) route_searches \(map.routeSearches)"
                    + " eta_fallbacks \(map.etaFallbacks)"
            )
        }
        let total = alerts.reduce(0, +)
        let types = AlertType.allCases.filter { self[$0] > 0 }.map { "\($0.name)=\(self[$0])" }
        parts.append("alerts \(total)" + (types.isEmpty ? "" : " (" + types.joined(separator: " ") + ")"))
        return parts.joined(separator: "; ")
    }
}
