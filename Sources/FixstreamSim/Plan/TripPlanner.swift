import FixstreamEval

/// Plans each vehicle's trip as a dispatcher would: customers of a district (the sites nearest a random one),
/// visited in nearest-neighbour order from the depot by road, as many as fit the shift with room to spare; a customer the
/// route to another one passes by is served on the way (no route drives past a customer it still has to serve).
struct TripPlanner {
    let map: SimMap
    let router: SiteRouter
    let catalog: SiteCatalog
    let config: SimulationConfig

    /// Planning speed: what a van averages in town, stops at junctions included, m/s.
    static let planningSpeed = 6.0

    /// Estimated driving time of a path, seconds.
    static func drivingTime(_ path: DrivePath) -> Double {
        var time = 0.0
        for (index, stretch) in path.speeds.enumerated() {
            let end = index + 1 < path.speeds.count ? path.speeds[index + 1].start : path.length
            time += (end - stretch.start) / (0.7 * max(2, stretch.speed))
        }
        return time + 4 * Double(path.junctions.count) + 20
    }

    func plan(vehicle index: Int, id: String, random: inout SeededRandom) -> VehiclePlan {
        let duration = Double(config.duration) / 1000
        let spread = min(Double(config.startSpread) / 1000, duration / 6)
        let on = (random.uniform() * spread).rounded()
        let loading = 180 + random.uniform() * 540
        let shift = min(Double(config.maximumShift) / 1000, duration - on)
        // Room for surprises: the plan fills 80 % of the shift left after loading, the way home and a last stand.
        let budget = max(0, (shift - loading - 900) * 0.8)
        let depot = catalog.depot
        var depotSpot = depot.spot
        depotSpot.offset += (random.uniform() - 0.5) * 30

        // Candidates: the vehicle's district, the customers nearest a random one, about twice as many as the
        // shift may hold (so that vehicles get different customers, even on a small map).
        let typicalStop = 120 + (Double(config.serviceRange.lowerBound + config.serviceRange.upperBound) / 2000)
        let expected = max(1, min(config.maximumStops, Int((budget / typicalStop).rounded(.up))))
        let sample = min(catalog.customers.count, 2 * expected + 2)
        let anchor = catalog.customers[Int(random.next() % UInt64(catalog.customers.count))].point
        var candidates = catalog.customers.indices.sorted {
            let a = catalog.customers[$0].point.distance(to: anchor)
            let b = catalog.customers[$1].point.distance(to: anchor)
            return a < b || (a == b && $0 < $1)
        }
        candidates.removeSubrange(sample...)

        // Nearest neighbour by road while the shift allows.
        var order: [Int] = []
        var services: [Double] = []
        var current = depot.spot
        var used = 0.0
        while order.count < config.maximumStops && !candidates.isEmpty {
            let distances = router.distances(from: current, to: candidates.map { catalog.customers[$0].spot })
            guard let nearest = distances.indices.min(by: { distances[$0] < distances[$1] }),
                distances[nearest].isFinite
            else { break }
            let site = candidates[nearest]
            let service = plannedService(&random)
            let home = catalog.customers[site].point.distance(to: depot.point) * 1.4 / Self.planningSpeed
            let cost = distances[nearest] / Self.planningSpeed + 30 + service
            if !order.isEmpty && used + cost + home > budget { break }
            used += cost
            order.append(site)
            services.append(service)
            candidates.remove(at: nearest)
            current = catalog.customers[site].spot
        }

        // Serve on the way: a leg passing by a later customer serves that one first.
        var cache: [Int64: DrivePath] = [:]
        func leg(_ from: Int, _ to: Int) -> DrivePath? {
            let key = Int64(from) << 32 | Int64(to)
            if let path = cache[key] { return path }
            let start = from < 0 ? depot.spot : catalog.customers[from].spot
            guard let path = router.route(from: start, to: catalog.customers[to].spot) else { return nil }
            cache[key] = path
            return path
        }
        let passBy = config.stopRadius + 30
        var moves = 0
        var position = 0
        var legs: [DrivePath] = []
        while position < order.count {
            guard let path = leg(position == 0 ? -1 : order[position - 1], order[position]) else {
                order.removeSubrange(position...)
                services.removeSubrange(position...)
                break
            }
            var passed: Int?
            for later in order.indices.dropFirst(position + 1)
            where path.nearest(to: catalog.customers[order[later]].point).distance < passBy {
                passed = later
                break
            }
            if let passed {
                moves += 1
                if moves > 4 * config.maximumStops {
                    order.removeSubrange(position...)
                    services.removeSubrange(position...)
                    break
                }
                order.insert(order.remove(at: passed), at: position)
                services.insert(services.remove(at: passed), at: position)
                continue
            }
            legs.append(path)
            position += 1
        }

        // Times, windows and what the driver will do.
        var stops: [VehiclePlan.Stop] = []
        var clock = on + loading
        for (position, site) in order.enumerated() {
            clock += Self.drivingTime(legs[position])
            let half = Double(config.windowHalfWidth) / 1000
            let start = ((clock - half) / 300).rounded(.down) * 300
            let end = ((clock + half) / 300).rounded(.up) * 300
            let service = max(Double(config.minimumService) / 1000, services[position] * (0.7 + 0.8 * random.uniform()))
            stops.append(
                VehiclePlan.Stop(
                    site: site,
                    plannedService: services[position],
                    service: service,
                    skipped: random.uniform() < config.skipChance,
                    plannedArrival: clock,
                    windowStart: start,
                    windowEnd: end
                )
            )
            clock += services[position]
        }
        return VehiclePlan(
            index: index,
            vehicle: id,
            trip: "trip-" + id,
            on: on,
            loading: loading,
            depotSpot: depotSpot,
            stops: stops,
            legs: legs
        )
    }

    private func plannedService(_ random: inout SeededRandom) -> Double {
        let low = Double(config.serviceRange.lowerBound) / 1000
        let high = Double(config.serviceRange.upperBound) / 1000
        return ((low + random.uniform() * (high - low)) / 30).rounded() * 30
    }
}
