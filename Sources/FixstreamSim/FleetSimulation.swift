public import FixstreamEval
public import FixstreamRoads
import FixstreamWire

/// A delivery fleet driven on a road graph with known truth: the plan (trips and fences, as the detectors read
/// them), the fixes its trackers send (in delivery order) and what really happened (`truth.jsonl` lines).
///
/// Pure: no files. ``run(writingFixes:)`` streams the fix lines through a closure; the documents are bytes. Every
/// vehicle has its own random streams derived from the seed and its number, so a vehicle drives the same way
/// whatever the size of the fleet, and the same seed, map and configuration give the same bytes.
public final class FleetSimulation {
    /// What the run produced.
    public struct Summary: Sendable, Equatable {
        /// Vehicles simulated.
        public var vehicles = 0
        /// Fix lines written, duplicates included.
        public var fixes = 0
        /// Customer stops planned, served and skipped.
        public var stopsPlanned = 0
        /// Customer stops served (arrived at before the tracker went off).
        public var stopsServed = 0
        /// Customer stops skipped.
        public var stopsSkipped = 0
        /// Unscheduled halts.
        public var halts = 0
        /// Stretches off the planned route.
        public var detours = 0
        /// Fence visits.
        public var visits = 0
        /// Silences of 20 s or more (power-off at the end included).
        public var outages = 0
        /// Delivery time of the last fix, milliseconds since the epoch.
        public var end: Int64 = 0

        /// All zero.
        public init() {}
    }

    /// The configuration the fleet was made with.
    public let config: SimulationConfig
    let map: SimMap
    let catalog: SiteCatalog
    let plans: [VehiclePlan]
    let fenceSet: FenceSet
    private var truthEvents: [TruthEvent] = []
    /// Counts of the last run.
    public private(set) var summary = Summary()

    /// Plans the fleet on `graph`.
    /// - Throws: ``SimulationError`` when an option is out of range or the map has no room for sites.
    public init(graph: RoadGraph, config: SimulationConfig) throws(SimulationError) {
        try Self.check(config)
        self.config = config
        map = SimMap(graph: graph)
        // The sites depend on the map alone: one fence file serves every seed.
        var catalogRandom = SeededRandom(seed: Self.seed(0, vehicle: -1, stream: 0))
        catalog = try SiteCatalog(map: map, config: config, random: &catalogRandom)
        let router = SiteRouter(map: map)
        let planner = TripPlanner(map: map, router: router, catalog: catalog, config: config)
        let width = max(3, String(config.vehicles).count)
        var plans: [VehiclePlan] = []
        plans.reserveCapacity(config.vehicles)
        for index in 0 ..< config.vehicles {
            let number = String(index + 1)
            let id = "sim-" + String(repeating: "0", count: width - number.count) + number
            var random = SeededRandom(seed: Self.seed(config.seed, vehicle: index, stream: 1))
            plans.append(planner.plan(vehicle: index, id: id, random: &random))
        }
        self.plans = plans
        var circles = [
            FenceSet.Circle(
                id: catalog.depot.id,
                centre: catalog.depot.point,
                radius: catalog.depot.fenceRadius,
                hysteresis: config.fenceHysteresis,
                dwell: nil
            )
        ]
        for site in catalog.customers {
            circles.append(
                FenceSet.Circle(
                    id: site.id,
                    centre: site.point,
                    radius: site.fenceRadius,
                    hysteresis: config.fenceHysteresis,
                    dwell: config.customerDwell
                )
            )
        }
        fenceSet = FenceSet(circles)
    }

    /// The vehicles' ids, in fleet order.
    public var vehicleIDs: [String] { plans.map(\.vehicle) }

    /// How many customer sites (fences besides the depot) the map offered.
    public var customerSites: Int { catalog.customers.count }

    private static func check(_ config: SimulationConfig) throws(SimulationError) {
        func require(_ condition: Bool, _ message: String) throws(SimulationError) {
            if !condition { throw SimulationError(.invalidOption, message) }
        }
        try require(config.vehicles >= 1 && config.vehicles <= 1_000_000, "vehicles must be 1 to 1,000,000")
        try require(config.duration >= 600_000, "the duration must be at least 10 minutes")
        try require(config.duration <= 7 * 86_400_000, "the duration must be at most a week")
        try require(config.rate >= 0.01 && config.rate <= 10, "the rate must be 0.01 to 10 fixes a second")
        try require(config.maximumStops >= 1, "a trip needs at least one stop")
        try require(config.noise >= 0 && config.noise <= 100, "the noise must be 0 to 100 m")
    }

    /// A seed for one vehicle's stream (`vehicle` -1 for the fleet's own choices).
    static func seed(_ seed: UInt64, vehicle: Int, stream: UInt64) -> UInt64 {
        var mixer = SeededRandom(seed: seed ^ (UInt64(bitPattern: Int64(vehicle + 1)) &* 0x9E37_79B9_7F4A_7C15))
        var value = mixer.next()
        for _ in 0 ... stream { value = mixer.next() ^ (stream &* 0xD6E8_FEB8_6659_FD93) }
        return value
    }

    /// Drives the whole fleet and hands the fix lines (native JSON, in delivery order) to `write` in large chunks.
    /// Afterwards ``truthDocument()`` and ``summary`` describe what happened.
    /// - Throws: what `write` throws.
    public func run(writingFixes write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let router = SiteRouter(map: map)
        var runs: [VehicleRun] = []
        runs.reserveCapacity(plans.count)
        let horizon = Double(config.duration) / 1000
        for plan in plans {
            let driver = VehicleDriver(
                plan: plan,
                map: map,
                router: router,
                catalog: catalog,
                config: config,
                random: SeededRandom(seed: Self.seed(config.seed, vehicle: plan.index, stream: 2))
            )
            let receiver = Receiver(
                config: config,
                random: SeededRandom(seed: Self.seed(config.seed, vehicle: plan.index, stream: 3)),
                on: plan.on,
                horizon: horizon
            )
            runs.append(
                VehicleRun(
                    plan: plan,
                    driver: driver,
                    receiver: receiver,
                    fences: fenceSet,
                    route: plan.legs.flatMap(\.points),
                    plane: map.plane,
                    config: config
                )
            )
        }
        // Merge the vehicles' deliveries: a heap of each vehicle's next fix.
        var heads = DeliveryQueue()
        for run in runs { if let fix = run.next() { heads.insert(fix) } }
        var summary = Summary()
        summary.vehicles = plans.count
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        let ids = plans.map { Array($0.vehicle.utf8) }
        while !heads.isEmpty {
            let fix = heads.removeFirst()
            FixLineWriter.append(fix, vehicle: ids[Int(fix.vehicle)], to: &buffer)
            summary.fixes += 1
            summary.end = max(summary.end, fix.delivery)
            if buffer.count >= 1 << 20 {
                try buffer.withUnsafeBytes(write)
                buffer.removeAll(keepingCapacity: true)
            }
            if let next = runs[Int(fix.vehicle)].next() { heads.insert(next) }
        }
        if !buffer.isEmpty { try buffer.withUnsafeBytes(write) }

        var events: [TruthEvent] = []
        for run in runs {
            let truth = run.truth(catalog: catalog, config: config)
            events.append(contentsOf: truth)
            summary.stopsPlanned += run.plan.stops.count
            for event in truth {
                switch event {
                case .stop(let stop) where !stop.initial: summary.stopsServed += 1
                case .skip: summary.stopsSkipped += 1
                case .halt: summary.halts += 1
                case .detour: summary.detours += 1
                case .visit: summary.visits += 1
                case .outage: summary.outages += 1
                default: break
                }
            }
        }
        truthEvents =
            [
                .run(
                    TruthEvent.Run(
                        seed: config.seed,
                        vehicles: config.vehicles,
                        start: config.start,
                        end: summary.end,
                        fixes: summary.fixes
                    )
                )
            ] + events
        self.summary = summary
    }

    /// `truth.jsonl`: the run line, then each vehicle's events (after ``run(writingFixes:)``).
    public func truthDocument() -> [UInt8] {
        var bytes: [UInt8] = []
        for event in truthEvents { event.appendLine(to: &bytes) }
        return bytes
    }

    /// The truth events of the last run.
    public var truth: [TruthEvent] { truthEvents }
}
