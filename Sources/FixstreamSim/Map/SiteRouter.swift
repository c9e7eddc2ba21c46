import FixstreamRoads

/// Shortest paths (by length) between points on roads, over ``RouteSearch``.
///
/// A vehicle standing on a two-way road may set off either way (a delivery van turns round), and may stop on
/// either side of a two-way road; on a one-way road it goes with the traffic.
final class SiteRouter {
    let map: SimMap
    private let search: RouteSearch
    private var targets: [Int32] = []

    init(map: SimMap) {
        self.map = map
        search = RouteSearch(graph: map.graph)
    }

    /// One way of setting off: along `edge` from `start` to its head.
    private struct Departure {
        var edge: Int
        var start: Double
    }

    /// One way of arriving: along `edge` from its tail to `end`.
    private struct Arrival {
        var edge: Int
        var end: Double
    }

    private func departures(_ spot: RoadSpot) -> [Departure] {
        var options = [Departure(edge: spot.edge, start: spot.offset)]
        if let twin = map.graph.twin(spot.edge) {
            options.append(Departure(edge: twin, start: map.length(spot.edge) - spot.offset))
        }
        return options
    }

    private func arrivals(_ spot: RoadSpot) -> [Arrival] {
        var options = [Arrival(edge: spot.edge, end: spot.offset)]
        if let twin = map.graph.twin(spot.edge) {
            options.append(Arrival(edge: twin, end: map.length(spot.edge) - spot.offset))
        }
        return options
    }

    /// Route lengths from `from` to each of `spots` (infinity where unreachable).
    func distances(from: RoadSpot, to spots: [RoadSpot]) -> [Double] {
        var best = [Double](repeating: .infinity, count: spots.count)
        targets.removeAll(keepingCapacity: true)
        for spot in spots {
            for arrival in arrivals(spot) { targets.append(Int32(map.graph.tail(arrival.edge))) }
        }
        for departure in departures(from) {
            let head = map.graph.head(departure.edge)
            let lead = map.length(departure.edge) - departure.start
            targets.withUnsafeBufferPointer { search.search(from: head, bound: .infinity, targets: $0) }
            for (index, spot) in spots.enumerated() {
                for arrival in arrivals(spot) {
                    if arrival.edge == departure.edge && arrival.end >= departure.start {
                        best[index] = min(best[index], arrival.end - departure.start)
                    }
                    if let middle = search.distance(to: map.graph.tail(arrival.edge)) {
                        best[index] = min(best[index], lead + middle + arrival.end)
                    }
                }
            }
        }
        return best
    }

    /// The shortest path from `from` to `to`, or nil when there is none.
    func route(from: RoadSpot, to: RoadSpot) -> DrivePath? {
        var bestCost = Double.infinity
        var best: (departure: Departure, arrival: Arrival, direct: Bool)?
        var bestEdges: [Int32] = []
        targets.removeAll(keepingCapacity: true)
        for arrival in arrivals(to) { targets.append(Int32(map.graph.tail(arrival.edge))) }
        for departure in departures(from) {
            for arrival in arrivals(to) where arrival.edge == departure.edge && arrival.end >= departure.start {
                let cost = arrival.end - departure.start
                if cost < bestCost {
                    bestCost = cost
                    best = (departure, arrival, true)
                }
            }
            let head = map.graph.head(departure.edge)
            let lead = map.length(departure.edge) - departure.start
            targets.withUnsafeBufferPointer { search.search(from: head, bound: .infinity, targets: $0) }
            for arrival in arrivals(to) {
                guard let middle = search.distance(to: map.graph.tail(arrival.edge)) else { continue }
                let cost = lead + middle + arrival.end
                if cost < bestCost {
                    bestCost = cost
                    best = (departure, arrival, false)
                    bestEdges.removeAll(keepingCapacity: true)
                    search.path(to: map.graph.tail(arrival.edge), into: &bestEdges)
                }
            }
        }
        guard let best else { return nil }
        if best.direct {
            var path = DrivePath()
            append(
                edge: best.departure.edge,
                from: best.departure.start,
                to: best.arrival.end,
                junction: nil,
                to: &path
            )
            return path
        }
        var path = DrivePath()
        append(
            edge: best.departure.edge,
            from: best.departure.start,
            to: map.length(best.departure.edge),
            junction: nil,
            to: &path
        )
        for edge in bestEdges {
            append(edge: Int(edge), from: 0, to: map.length(Int(edge)), junction: map.graph.tail(Int(edge)), to: &path)
        }
        append(
            edge: best.arrival.edge,
            from: 0,
            to: best.arrival.end,
            junction: map.graph.tail(best.arrival.edge),
            to: &path
        )
        if path.points.isEmpty { return DrivePath(at: map.position(edge: to.edge, offset: to.offset)) }
        return path
    }

    /// Appends the stretch of `edge` from `from` to `to` metres along it.
    private func append(edge: Int, from: Double, to: Double, junction node: Int?, to path: inout DrivePath) {
        var stretch = [map.position(edge: edge, offset: from)]
        for index in map.shape(edge) where map.along(index) > from && map.along(index) < to {
            stretch.append(map.point(index))
        }
        stretch.append(map.position(edge: edge, offset: to))
        path.append(
            stretch,
            speed: map.graph.speed(edge),
            junctionDegree: node.map { map.degree[$0] },
            edge: edge,
            offset: from
        )
    }
}
