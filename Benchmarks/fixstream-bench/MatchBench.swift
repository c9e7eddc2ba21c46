import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamRoads
import FixstreamTrips
import FixstreamWire
@preconcurrency import Foundation

/// The map stages in one shard's pipeline on a synthetic town: a grid of two-way residential streets 100 m apart
/// (every tenth street a 50 km/h primary road), vehicles driving random turns at 8 to 14 m/s, a fix a second with
/// 5 m of GPS noise, interleaved by time as a shard sees them.
///
/// - `pipeline.match`: the matching stage alone.
/// - `pipeline.match.detect`: matching, GPS loss and idle.
/// - `pipeline.match.trips`: matching, GPS loss, idle and trips: each vehicle has a trip without a route through
///   four stops on its way (a route taken from the map, ETAs over the roads).
/// - `pipeline.match.trips.nomap`: GPS loss, idle and the same trips without the map (straight lines).
/// - `match.bytes_per_vehicle`: resident memory per vehicle of a shard with the matching stage.
struct MatchBench {
    let graph: RoadGraph
    let fixes: [Fix]
    let trips: TripBook
    let vehicles: Int

    static let originLatitude = 47.0
    static let originLongitude = 8.0
    static let spacing = 100.0

    /// A `size` × `size` grid, `vehicles` vehicles driving for `seconds`.
    init(size: Int = 100, vehicles: Int = 1_000, seconds: Int = 300) {
        self.vehicles = vehicles
        graph = Self.town(size: size)
        var random = SplitMix64(seed: 0x6D61_7463_6862_656E)
        var drives: [[Fix]] = []
        var planned: [Trip] = []
        for vehicle in 0 ..< vehicles {
            let id = VehicleID("van-\(vehicle)")!
            let path = Self.drive(size: size, seconds: seconds, random: &random)
            var fixes: [Fix] = []
            fixes.reserveCapacity(seconds)
            for (second, point) in path.enumerated() {
                let (dx, dy) = Self.gaussianPair(sigma: 5, random: &random)
                fixes.append(
                    Fix(
                        vehicle: id,
                        time: Timestamp(
                            millisecondsSinceEpoch: 1_795_000_000_000 + Int64(second) * 1000 + Int64(vehicle)
                        ),
                        latitude: Self.latitude(north: point.north + dy),
                        longitude: Self.longitude(east: point.east + dx),
                        source: .json
                    )
                )
            }
            drives.append(fixes)
            // Stops where the vehicle will be after 1, 2, 3 and 4 minutes (or sooner on a short drive).
            let stops = (1 ... 4).map { minute in
                let point = path[min(path.count - 1, minute * seconds / 5)]
                return Trip.Stop(
                    id: "S\(minute)",
                    latitude: Self.latitude(north: point.north),
                    longitude: Self.longitude(east: point.east),
                    radius: 30
                )
            }
            planned.append(Trip(id: "T\(vehicle)", vehicle: id, stops: stops))
        }
        var interleaved: [Fix] = []
        interleaved.reserveCapacity(vehicles * seconds)
        for second in 0 ..< seconds {
            for vehicle in 0 ..< vehicles { interleaved.append(drives[vehicle][second]) }
        }
        fixes = interleaved
        trips = TripBook(planned)
    }

    static func latitude(north: Double) -> Double { originLatitude + north / 111_195 }

    static func longitude(east: Double) -> Double {
        originLongitude + east / (111_195 * cos(originLatitude * .pi / 180))
    }

    /// The grid: one way per row and per column, every tenth a primary road.
    static func town(size: Int) -> RoadGraph {
        var builder = RoadNetworkBuilder()
        func node(_ row: Int, _ column: Int) -> Int64 { Int64(row * size + column + 1) }
        for row in 0 ..< size {
            for column in 0 ..< size {
                builder.addNode(
                    id: node(row, column),
                    latitude: latitude(north: Double(row) * spacing),
                    longitude: longitude(east: Double(column) * spacing)
                )
            }
        }
        for line in 0 ..< size {
            let roadClass: RoadClass = line % 10 == 5 ? .primary : .residential
            builder.addWay(
                RoadWay(
                    id: Int64(100_000 + line),
                    nodes: (0 ..< size).map { node(line, $0) },
                    direction: .both,
                    roadClass: roadClass,
                    name: "Row \(line)"
                )
            )
            builder.addWay(
                RoadWay(
                    id: Int64(200_000 + line),
                    nodes: (0 ..< size).map { node($0, line) },
                    direction: .both,
                    roadClass: roadClass,
                    name: "Column \(line)"
                )
            )
        }
        return builder.build()
    }

    /// One vehicle's true positions, a second apart: from a random corner, straight on or turning at random at
    /// each corner (never back), at a speed drawn per block.
    static func drive(size: Int, seconds: Int, random: inout SplitMix64) -> [(east: Double, north: Double)] {
        var row = random.next(below: size)
        var column = random.next(below: size)
        var heading = random.next(below: 4)  // 0 east, 1 north, 2 west, 3 south
        let steps = [(1, 0), (0, 1), (-1, 0), (0, -1)]
        var points: [(east: Double, north: Double)] = []
        var along = 0.0
        var speed = random.uniform(8, 14)
        while points.count < seconds {
            // Choose a way on from this corner that stays on the grid and does not turn back.
            var choices: [Int] = []
            for turn in [0, 1, 3] {
                let next = (heading + turn) % 4
                let (dc, dr) = steps[next]
                if (0 ..< size).contains(column + dc) && (0 ..< size).contains(row + dr) { choices.append(next) }
            }
            heading = choices.isEmpty ? (heading + 2) % 4 : choices[random.next(below: choices.count)]
            let (dc, dr) = steps[heading]
            while along < spacing && points.count < seconds {
                points.append(
                    (
                        (Double(column) + Double(dc) * along / spacing) * spacing,
                        (Double(row) + Double(dr) * along / spacing) * spacing
                    )
                )
                along += speed
            }
            along -= spacing
            column += dc
            row += dr
            speed = random.uniform(8, 14)
        }
        return points
    }

    static func gaussianPair(sigma: Double, random: inout SplitMix64) -> (Double, Double) {
        let u1 = max(random.uniform(0, 1), 1e-12)
        let u2 = random.uniform(0, 1)
        let radius = sigma * (-2 * log(u1)).squareRoot()
        return (radius * cos(2 * .pi * u2), radius * sin(2 * .pi * u2))
    }

    /// Offers every fix to a fresh engine running `stages`; returns the fixes matched to a road.
    func run(_ stages: [any PipelineStage]) -> (matched: Int, stats: PipelineStats) {
        let engine = ShardEngine(config: PipelineConfig(), clock: .external, stages: stages)
        var output = PipelineOutput()
        for fix in fixes {
            engine.offer(fix, now: fix.time, into: &output)
            if !output.alerts.isEmpty { output.removeAll() }
        }
        return (engine.stats.map.matched, engine.stats)
    }

    static func run(_ suite: inout BenchSuite, filter: String?) {
        guard
            filter == nil || "pipeline.match".contains(filter!) || filter!.hasPrefix("pipeline.match")
                || "match.bytes_per_vehicle".contains(filter!)
        else { return }
        let bench = MatchBench()
        let count = Double(bench.fixes.count)
        var searches = 0
        var fallbacks = 0
        suite.run("pipeline.match", work: { bench.run([RoadMatchStage(graph: bench.graph)]).matched }) {
            matched,
            seconds in
            [("fixes/s", count / seconds), ("matched %", Double(matched) / count * 100)]
        }
        suite.run(
            "pipeline.match.detect",
            work: { bench.run(Detectors.stages(DetectorConfig(), roads: bench.graph)).matched }
        ) { _, seconds in
            [("fixes/s", count / seconds)]
        }
        suite.run(
            "pipeline.match.trips",
            work: {
                let result = bench.run(Detectors.stages(DetectorConfig(), trips: bench.trips, roads: bench.graph))
                searches = result.stats.map.routeSearches
                fallbacks = result.stats.map.etaFallbacks
                return result.matched
            }
        ) { _, seconds in
            [
                ("fixes/s", count / seconds), ("route searches", Double(searches)),
                ("eta fallbacks", Double(fallbacks)),
            ]
        }
        // The same trips without the map (straight lines), for comparison.
        suite.run(
            "pipeline.match.trips.nomap",
            work: { bench.run(Detectors.stages(DetectorConfig(), trips: bench.trips)).stats.processed }
        ) { _, seconds in
            [("fixes/s", count / seconds)]
        }
        if filter == nil || "match.bytes_per_vehicle".contains(filter!) {
            let cost = bytesPerVehicle(graph: bench.graph, vehicles: 100_000)
            print(#"{"name":"match.bytes_per_vehicle","unit":"bytes","value":\#(Int(cost)),"vehicles":100000}"#)
        }
    }

    /// Resident memory per vehicle of a shard running the matching stage, after each of `vehicles` vehicles sent a
    /// fix a second for 30 s along a street (long enough for the matcher's lag to fill).
    static func bytesPerVehicle(graph: RoadGraph, vehicles: Int) -> Double {
        let before = residentBytes()
        let engine = ShardEngine(config: PipelineConfig(), clock: .external, stages: [RoadMatchStage(graph: graph)])
        var output = PipelineOutput()
        for second in 0 ..< 30 {
            for vehicle in 0 ..< vehicles {
                let row = Double(vehicle % 90) * spacing
                let fix = Fix(
                    vehicle: VehicleID("vehicle-\(vehicle)")!,
                    time: Timestamp(millisecondsSinceEpoch: 1_795_000_000_000 + Int64(second) * 1000),
                    latitude: latitude(north: row + 3),
                    longitude: longitude(east: Double(vehicle % 20) * 150 + Double(second) * 10),
                    source: .json
                )
                engine.offer(fix, now: fix.time, into: &output)
                output.removeAll()
            }
        }
        let resident = Double(residentBytes() - before) / Double(vehicles)
        withExtendedLifetime(engine) {}
        return resident
    }
}
