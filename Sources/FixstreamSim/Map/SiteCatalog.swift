import FixstreamEval
import FixstreamGeo
import FixstreamRoads

/// Chooses the depot and the customer sites: the middle of road pieces long enough for the fence to lie along
/// that one road with its junctions 30 m beyond the fence, with no other road (nor the same one curving back)
/// inside the fence (plus a margin), in
/// the largest strongly connected part of the graph, and far enough from each other that no two fences or stop
/// radii overlap.
///
/// That keeps the truth unambiguous: a vehicle crosses a fence along the road through its centre, and a stop is
/// only reached along its own road.
struct SiteCatalog {
    var depot: Site
    var customers: [Site]

    /// The most customer sites kept.
    static let maximumCustomers = 4_000

    init(map: SimMap, config: SimulationConfig, random: inout SeededRandom) throws(SimulationError) {
        let graph = map.graph
        var edges: [Int] = []
        for edge in 0 ..< graph.edgeCount {
            guard map.connected[graph.tail(edge)], map.connected[graph.head(edge)] else { continue }
            // One of a pair of twins is enough: the site is the same point.
            if let twin = graph.twin(edge), twin < edge { continue }
            edges.append(edge)
        }
        var found: [RoadPosition] = []
        func clear(_ edge: Int, _ point: PlanePoint, radius: Double) -> Bool {
            let position = map.plane.coordinate(point)
            graph.positions(
                nearLatitude: position.latitude,
                longitude: position.longitude,
                radius: radius,
                limit: 8,
                into: &found
            )
            return found.allSatisfy { Int($0.edge) == edge || Int($0.edge) == graph.twin(edge) }
        }
        func site(_ edge: Int, radius: Double, clearance: Double) -> Site? {
            // The junctions at the road piece's ends (where vehicles wait at lights) at least 30 m beyond the
            // fence: no vehicle lingers near its hysteresis boundary.
            let length = map.length(edge)
            guard length >= 2 * (radius + 30) else { return nil }
            let spot = RoadSpot(edge: edge, offset: length / 2)
            let point = map.position(edge: edge, offset: spot.offset)
            guard clear(edge, point, radius: radius + clearance) else { return nil }
            // Nor may the road piece itself come back near the site (a hairpin): away from the site along the
            // road, it stays beyond the fence plus the clearance.
            var along = 0.0
            while along <= length {
                if abs(along - spot.offset) > radius + clearance + 5,
                    map.position(edge: edge, offset: along).distance(to: point) < radius + clearance
                {
                    return nil
                }
                along += 5
            }
            return Site(id: "", name: "", spot: spot, point: point, fenceRadius: radius)
        }

        // The depot: the suitable road piece nearest the middle of the map (a smaller fence if none fits).
        var depot: Site?
        for radius in [config.depotFenceRadius, config.customerFenceRadius] where depot == nil {
            var best = Double.infinity
            for edge in edges {
                let middle = map.position(edge: edge, offset: map.length(edge) / 2)
                let distance = middle.distance(to: PlanePoint(x: 0, y: 0))
                guard distance < best, let candidate = site(edge, radius: radius, clearance: 10) else { continue }
                best = distance
                depot = candidate
            }
        }
        guard var depot else {
            throw SimulationError(.unsuitableMap, "no road piece of the map is long and clear enough for the depot")
        }
        depot.id = "depot"
        depot.name = "Depot"
        self.depot = depot

        // Customers, in a seeded random order of the road pieces.
        for index in stride(from: edges.count - 1, to: 0, by: -1) {
            edges.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        let cell = config.siteSeparation
        var taken: [Int64: [PlanePoint]] = [:]
        func key(_ row: Int64, _ column: Int64) -> Int64 { row << 32 | (column & 0xFFFF_FFFF) }
        func isFree(_ point: PlanePoint, from other: PlanePoint, _ separation: Double) -> Bool {
            point.distance(to: other) >= separation
        }
        var customers: [Site] = []
        for edge in edges where customers.count < Self.maximumCustomers {
            guard let candidate = site(edge, radius: config.customerFenceRadius, clearance: 25) else { continue }
            let point = candidate.point
            guard isFree(point, from: depot.point, depot.fenceRadius + config.customerFenceRadius + 80) else {
                continue
            }
            let row = Int64((point.y / cell).rounded(.down))
            let column = Int64((point.x / cell).rounded(.down))
            var free = true
            for r in row - 1 ... row + 1 {
                for c in column - 1 ... column + 1 {
                    for other in taken[key(r, c)] ?? [] where !isFree(point, from: other, config.siteSeparation) {
                        free = false
                    }
                }
            }
            guard free else { continue }
            taken[key(row, column), default: []].append(point)
            customers.append(candidate)
        }
        guard !customers.isEmpty else {
            throw SimulationError(.unsuitableMap, "no road piece of the map is long and clear enough for a customer")
        }
        // Numbered in a stable order: by position, so ids do not depend on the shuffle's accidents.
        customers.sort { ($0.point.y, $0.point.x) < ($1.point.y, $1.point.x) }
        let width = max(3, String(customers.count).count)
        for index in customers.indices {
            let number = String(index + 1)
            customers[index].id = "site-" + String(repeating: "0", count: width - number.count) + number
            customers[index].name = "Customer \(index + 1)"
        }
        self.customers = customers
    }
}
