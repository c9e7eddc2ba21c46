import FixstreamEval
import FixstreamGeo
import FixstreamJSON
import FixstreamRoads
import FixstreamSim
import FixstreamTrips
import FixstreamWire
import Testing

/// The fleet simulator on the synthetic grid city: reproducible, and its documents and truth hang together.
struct FleetSimulationTests {
    static let city = GridCity.build(rows: 10, columns: 10)

    /// A short run: the fix lines, the truth and the documents.
    struct Run {
        var fixes: [UInt8] = []
        var truth: [TruthEvent] = []
        var truthBytes: [UInt8] = []
        var trips: [UInt8] = []
        var fences: [UInt8] = []
        var summary = FleetSimulation.Summary()
    }

    static func run(_ configure: (inout SimulationConfig) -> Void = { _ in }) throws -> Run {
        var config = SimulationConfig()
        config.vehicles = 6
        config.duration = 3_600_000
        configure(&config)
        let simulation = try FleetSimulation(graph: city, config: config)
        var run = Run()
        run.trips = simulation.tripsDocument()
        run.fences = simulation.fencesDocument()
        simulation.run { run.fixes.append(contentsOf: $0) }
        run.truth = simulation.truth
        run.truthBytes = simulation.truthDocument()
        run.summary = simulation.summary
        return run
    }

    /// (vehicle, event time in ms, latitude, longitude) of every fix line, in file order.
    static func fixes(_ bytes: [UInt8]) throws -> [(vehicle: String, time: Int64, latitude: Double, longitude: Double)]
    {
        try bytes.split(separator: UInt8(ascii: "\n")).map { line in
            let value = try JSONValue.parse(line)
            var text = value["t"]!.string!
            let time = text.withUTF8 { TimestampParser.rfc3339(UnsafeRawBufferPointer($0))! }
            return (value["id"]!.string!, time.millisecondsSinceEpoch, value["lat"]!.number!, value["lon"]!.number!)
        }
    }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws {
        let first = try Self.run()
        let second = try Self.run()
        // Compared as Booleans: a failure should not print megabytes.
        let sameFixes = first.fixes == second.fixes
        let sameTruth = first.truthBytes == second.truthBytes
        let sameTrips = first.trips == second.trips
        let sameFences = first.fences == second.fences
        #expect(sameFixes && sameTruth && sameTrips && sameFences)
        let other = try Self.run { $0.seed = 2 }
        let otherFixes = other.fixes != first.fixes
        let otherTrips = other.trips != first.trips
        // The sites (fences) depend on the map alone, so one fence file serves every seed.
        let otherFences = other.fences == first.fences
        #expect(otherFixes && otherTrips && otherFences)
    }

    @Test func aVehicleDrivesTheSameWayWhateverTheFleetSize() throws {
        let small = try Self.fixes(try Self.run { $0.vehicles = 2 }.fixes).filter { $0.vehicle == "sim-001" }
        let large = try Self.fixes(try Self.run { $0.vehicles = 7 }.fixes).filter { $0.vehicle == "sim-001" }
        #expect(small.count > 1_000)
        #expect(small.map(\.time) == large.map(\.time))
        #expect(small.map(\.latitude) == large.map(\.latitude))
    }

    @Test func documentsAreWhatTheDetectorsRead() throws {
        let run = try Self.run()
        let trips = try TripParser.parseDocument(run.trips)
        #expect(trips.count == 6)
        #expect(trips.map(\.vehicle.description) == (1 ... 6).map { "sim-00\($0)" })
        for trip in trips {
            #expect(trip.stops.first?.id == "depot")
            #expect(trip.stops.count >= 2)
            #expect(trip.route != nil)
            #expect(trip.stops.dropFirst().allSatisfy { $0.windowEnd != nil && $0.service > 0 })
        }
        let fences = try GeoJSONFences.parse(run.fences)
        #expect(fences.first?.id == "depot")
        #expect(fences.count > 20)
        #expect(fences.dropFirst().allSatisfy { $0.dwell == 120_000 })
    }

    @Test func fixesStayWithinEachTrackersOnTimeAndMostlyInOrder() throws {
        let run = try Self.run()
        let fixes = try Self.fixes(run.fixes)
        #expect(fixes.count == run.summary.fixes)
        var power: [String: (on: Int64, off: Int64)] = [:]
        for case .power(let line) in run.truth { power[line.vehicle] = (line.on, line.off) }
        #expect(power.count == 6)
        var newest: [String: Int64] = [:]
        var behind = 0
        for fix in fixes {
            let span = power[fix.vehicle]!
            #expect(fix.time >= span.on && fix.time <= span.off)
            if fix.time <= newest[fix.vehicle, default: .min] { behind += 1 }
            newest[fix.vehicle] = max(newest[fix.vehicle, default: .min], fix.time)
        }
        // Duplicates, reordered and late fixes: about 1 % with the defaults, never none.
        #expect(behind > 0)
        #expect(Double(behind) < 0.03 * Double(fixes.count))
    }

    @Test func everyVehicleLeavesTheDepotAndServesItsStopsInOrder() throws {
        let run = try Self.run()
        var stops: [String: [TruthEvent.Stop]] = [:]
        var skips = 0
        for event in run.truth {
            if case .stop(let stop) = event { stops[stop.vehicle, default: []].append(stop) }
            if case .skip = event { skips += 1 }
        }
        #expect(stops.count == 6)
        for (_, list) in stops {
            #expect(list.first?.stop == "depot")
            #expect(list.first?.initial == true)
            for (previous, stop) in zip(list, list.dropFirst()) {
                #expect(previous.departed != nil)
                #expect(stop.legStart == previous.departed)
                #expect(stop.arrived > stop.legStart)
                if let departed = stop.departed { #expect(departed > stop.arrived) }
            }
        }
        #expect(run.summary.stopsServed + skips <= run.summary.stopsPlanned)
    }

    @Test func visitsBeginAtTheDepotAndMatchServedStops() throws {
        let run = try Self.run()
        var depotVisits = 0
        var served: Set<String> = []
        for event in run.truth {
            if case .stop(let stop) = event, !stop.initial { served.insert(stop.vehicle + stop.stop) }
        }
        var visited: Set<String> = []
        for case .visit(let visit) in run.truth {
            if visit.fence == "depot" { depotVisits += 1 }
            visited.insert(visit.vehicle + visit.fence)
            if let enter = visit.enter, let exit = visit.exit { #expect(exit > enter) }
            #expect(visit.maxDepth > 0)
        }
        #expect(depotVisits >= 6)
        // A served stop is inside its customer's fence.
        #expect(served.isSubset(of: visited))
    }

    @Test func noiseHasTheConfiguredSpreadWhileParked() throws {
        let run = try Self.run {
            $0.vehicles = 3
            $0.multipathChance = 0
            $0.noiseCorrelation = 0
            $0.shortDropoutsPerHour = 0
            $0.longOutagesPerHour = 0
            $0.networkOutagesPerHour = 0
        }
        let fixes = try Self.fixes(run.fixes)
        // Loading at the depot: between the tracker coming on and the departure, the vehicle stands still.
        for case .stop(let stop) in run.truth where stop.initial {
            let parked = fixes.filter {
                $0.vehicle == stop.vehicle && $0.time >= stop.arrived && $0.time < stop.departed! - 10_000
            }
            #expect(parked.count > 100)
            let meanLatitude = parked.map(\.latitude).reduce(0, +) / Double(parked.count)
            let deviations = parked.map { ($0.latitude - meanLatitude) * 111_195 }
            let sigma = (deviations.map { $0 * $0 }.reduce(0, +) / Double(parked.count)).squareRoot()
            #expect(sigma > 4 && sigma < 6)
        }
        // No outages configured: only the power-off silences.
        let silences = run.truth.filter { if case .outage = $0 { return true } else { return false } }
        #expect(silences.count == 3)
    }

    @Test func outagesLeaveSilencesInTheFixesAndTheTruthSaysWhere() throws {
        let run = try Self.run {
            $0.vehicles = 4
            $0.longOutagesPerHour = 3
            $0.networkOutagesPerHour = 3
        }
        let fixes = try Self.fixes(run.fixes)
        var causes: Set<String> = []
        for case .outage(let outage) in run.truth {
            causes.insert(outage.cause)
            guard let first = outage.firstFix else { continue }
            // Nothing of the vehicle was recorded strictly inside a GPS silence.
            if outage.cause == "gps" {
                #expect(!fixes.contains { $0.vehicle == outage.vehicle && $0.time > outage.lastFix && $0.time < first })
            }
            #expect((outage.resumed ?? 0) - outage.last >= 20_000)
        }
        #expect(causes == ["gps", "network", "power"])
    }

    @Test func badOptionsAreRefused() {
        var config = SimulationConfig()
        config.rate = 100
        #expect(throws: SimulationError.self) { try FleetSimulation(graph: Self.city, config: config) }
        config = SimulationConfig()
        config.duration = 60_000
        #expect(throws: SimulationError.self) { try FleetSimulation(graph: Self.city, config: config) }
        // Two streets meeting at a corner: no road long enough for a depot.
        #expect(throws: SimulationError.self) {
            try FleetSimulation(graph: GridCity.build(rows: 2, columns: 2, spacing: 50), config: SimulationConfig())
        }
    }
}
