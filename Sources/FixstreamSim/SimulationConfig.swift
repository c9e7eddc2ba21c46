/// What a simulated fleet looks like and how often things go wrong. Durations in milliseconds, distances in
/// metres, speeds in metres per second, rates per vehicle-hour of tracker time; probabilities in [0, 1].
///
/// The defaults describe an urban parcel fleet with a consumer-grade tracker at 1 Hz; the detectors' own defaults
/// (stop margin 10 m, route deviation 100 m) are mirrored here so the truth is measured with the same yardstick.
public struct SimulationConfig: Sendable, Equatable {
    // MARK: Fleet and time

    /// How many vehicles.
    public var vehicles = 10
    /// The span simulated: every tracker is off by then.
    public var duration: Int64 = 3_600_000
    /// Seed of every random choice: the same seed and map give the same files, byte for byte.
    public var seed: UInt64 = 1
    /// Fixes per second each tracker records.
    public var rate = 1.0
    /// When the simulation starts, milliseconds since the epoch (default 2026-06-01T06:00:00Z: in the past, so
    /// `process` does not refuse the fixes as from the future).
    public var start: Int64 = 1_780_293_600_000
    /// Trackers switch on at the depot spread over this span from the start (at most a sixth of the duration).
    public var startSpread: Int64 = 3 * 3_600_000
    /// The longest shift from tracker on to tracker off.
    public var maximumShift: Int64 = 9 * 3_600_000
    /// The most customer stops on one trip.
    public var maximumStops = 40

    // MARK: Sites, fences and stops

    /// Radius of each customer fence.
    public var customerFenceRadius = 40.0
    /// Radius of the depot fence.
    public var depotFenceRadius = 60.0
    /// Dwell time of the customer fences (nil for none).
    public var customerDwell: Int64? = 120_000
    /// Hysteresis written into every fence (the detectors' default).
    public var fenceHysteresis = 10.0
    /// Arrival radius of each stop in the trips (the trip format's default).
    public var stopRadius = 50.0
    /// The trip follower's margin around a stop radius (`TripConfig.margin`).
    public var stopMargin = 10.0
    /// Customer sites are at least this far apart.
    public var siteSeparation = 170.0
    /// Half the width of a customer's promised window around its planned arrival.
    public var windowHalfWidth: Int64 = 20 * 60_000

    // MARK: Driving

    /// Per-vehicle speed factor: a normal distribution of this standard deviation around 1 (kept in 0.85...1.15).
    public var speedSpread = 0.07
    /// Chance a junction with three or more roads holds the vehicle at a red light (5 to 40 s; lights on one
    /// path are 60 m apart at least).
    public var redLightChance = 0.2
    /// Chance a leg has a slow stretch (200 to 600 m at 30 to 60 % of the road speed, never below 2.5 m/s).
    public var slowdownChance = 0.3
    /// Planned service time at a customer: uniform in this range (rounded to 30 s); the real one varies by
    /// 0.7 to 1.5 times, never under `minimumService`.
    public var serviceRange: ClosedRange<Int64> = 180_000 ... 480_000
    /// The shortest real service.
    public var minimumService: Int64 = 160_000

    // MARK: Things going wrong

    /// Chance a leg has an unscheduled halt of 4 to 15 minutes (long enough for `idle.start`).
    public var longHaltChance = 0.12
    /// Chance a leg has a short halt of 10 to 60 s (too short for `idle.start`).
    public var shortHaltChance = 0.2
    /// Chance a leg (other than the first) leaves the planned route for a detour.
    public var detourChance = 0.12
    /// Chance a customer stop is skipped.
    public var skipChance = 0.05
    /// The distance off the route that counts as a deviation (`TripConfig.deviationDistance`).
    public var deviationDistance = 100.0

    // MARK: The receiver and the network

    /// Standard deviation of the position noise, per axis.
    public var noise = 5.0
    /// Correlation time of the noise (0: independent from fix to fix).
    public var noiseCorrelation: Int64 = 5_000
    /// Chance a fix starts a multipath burst (1 to 3 fixes displaced 50 to 200 m).
    public var multipathChance = 0.002
    /// Short GPS dropouts (5 to 40 s) per hour.
    public var shortDropoutsPerHour = 1.5
    /// Long GPS outages (3 to 8 min) per hour.
    public var longOutagesPerHour = 0.25
    /// Network outages (2.5 to 7 min) per hour: fixes are kept and delivered in a burst afterwards.
    public var networkOutagesPerHour = 0.2
    /// Chance a fix is delivered twice (the copy 2 to 30 s later).
    public var duplicateChance = 0.005
    /// Chance a fix is delivered 1.2 to 3.5 s late (behind newer ones).
    public var reorderChance = 0.005
    /// Chance a fix is delivered 8 to 60 s late.
    public var lateChance = 0.002

    /// The defaults.
    public init() {}
}
