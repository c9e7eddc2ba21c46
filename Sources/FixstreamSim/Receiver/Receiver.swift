import FixstreamEval

#if canImport(Glibc)
    import Glibc
#endif

/// One simulated fix as delivered: its event time, when the server receives it, and what it says.
struct SimulatedFix: Sendable {
    /// The vehicle's index in the fleet.
    var vehicle: Int32
    /// Per-vehicle sequence number (ties in delivery time go by it).
    var sequence: Int32
    /// Event time, milliseconds since the epoch.
    var time: Int64
    /// Delivery time, milliseconds since the epoch.
    var delivery: Int64
    var latitude: Double
    var longitude: Double
    /// m/s.
    var speed: Float
    /// Degrees true, when moving.
    var course: Float?
    /// Reported accuracy, metres.
    var accuracy: Float
}

/// A vehicle's tracker: turns true positions into fixes with noise (Gaussian, correlated over
/// ``SimulationConfig/noiseCorrelation``), multipath bursts, GPS dropouts, and delivers them with network outages
/// (kept and sent in a burst at the end), duplicates, small reorderings and late fixes.
struct Receiver {
    /// Silences of the receiver or of the network, seconds since the simulation's start.
    struct Outages {
        var gps: [(start: Double, end: Double)] = []
        var network: [(start: Double, end: Double)] = []
        /// The long ones (GPS outages and network outages), around which nothing is delayed or duplicated.
        var long: [(start: Double, end: Double)] = []
    }

    let outages: Outages
    private let config: SimulationConfig
    private var random: SeededRandom
    private var noiseEast = 0.0
    private var noiseNorth = 0.0
    private var lastTime: Double?
    private var multipathLeft = 0
    private var multipathOffset = PlanePoint(x: 0, y: 0)

    /// A receiver switched on at `on` (seconds since the start), with its outages drawn up to `horizon`.
    init(config: SimulationConfig, random: SeededRandom, on: Double, horizon: Double) {
        self.config = config
        var random = random
        var outages = Outages()
        func schedule(perHour: Double, length: ClosedRange<Double>) -> [(start: Double, end: Double)] {
            guard perHour > 0 else { return [] }
            var list: [(start: Double, end: Double)] = []
            var time = on + 120
            while true {
                time += -log(max(random.uniform(), 1e-12)) * 3600 / perHour
                guard time < horizon else { break }
                let end = time + length.lowerBound + random.uniform() * (length.upperBound - length.lowerBound)
                list.append((time, end))
                time = end + 60
            }
            return list
        }
        let short = schedule(perHour: config.shortDropoutsPerHour, length: 5 ... 40)
        let long = schedule(perHour: config.longOutagesPerHour, length: 180 ... 480)
        outages.network = schedule(perHour: config.networkOutagesPerHour, length: 150 ... 420)
        outages.gps = (short + long).sorted { $0.start < $1.start }
        outages.long = (long + outages.network).sorted { $0.start < $1.start }
        self.outages = outages
        self.random = random
    }

    private static func contains(
        _ list: [(start: Double, end: Double)],
        _ time: Double,
        before: Double = 0,
        after: Double = 0
    )
        -> (start: Double, end: Double)?
    {
        for interval in list where time >= interval.start - before && time < interval.end + after {
            return interval
        }
        return nil
    }

    /// The fixes recorded at `time` for a vehicle at `point` moving at `speed` along `direction` (none during a
    /// GPS dropout; two when the fix is sent twice), with their delivery times.
    mutating func record(
        at time: Double,
        point: PlanePoint,
        speed: Double,
        direction: PlanePoint?,
        plane: CityPlane,
        into fixes: inout [(point: PlanePoint, speed: Float, course: Float?, accuracy: Float, delivery: Double)]
    ) {
        fixes.removeAll(keepingCapacity: true)
        if Self.contains(outages.gps, time) != nil { return }
        // Noise: a first-order autoregressive process per axis with the configured standard deviation.
        let correlation = Double(config.noiseCorrelation) / 1000
        let rho = correlation > 0 && lastTime != nil ? exp(-(time - lastTime!) / correlation) : 0
        let fresh = (1 - rho * rho).squareRoot() * config.noise
        noiseEast = rho * noiseEast + fresh * random.gaussian()
        noiseNorth = rho * noiseNorth + fresh * random.gaussian()
        lastTime = time
        var measured = PlanePoint(x: point.x + noiseEast, y: point.y + noiseNorth)
        if multipathLeft == 0 && random.uniform() < config.multipathChance {
            multipathLeft = 1 + Int(random.next() % 3)
            let angle = 2 * Double.pi * random.uniform()
            let distance = 50 + 150 * random.uniform()
            multipathOffset = PlanePoint(x: distance * cos(angle), y: distance * sin(angle))
        }
        if multipathLeft > 0 {
            multipathLeft -= 1
            measured.x += multipathOffset.x
            measured.y += multipathOffset.y
        }
        let reportedSpeed = Float(max(0, speed + 0.15 * random.gaussian()))
        var course: Float?
        if let direction, speed >= 1 {
            var degrees = atan2(direction.x, direction.y) * 180 / .pi + 2 * random.gaussian()
            if degrees < 0 { degrees += 360 }
            if degrees >= 360 { degrees -= 360 }
            course = Float(degrees)
        }
        let accuracy = Float(((config.noise * (0.9 + 0.3 * random.uniform())) * 10).rounded() / 10)

        var delivery = time
        let nearLong = Self.contains(outages.long, time, before: 150, after: 30) != nil
        if let outage = Self.contains(outages.network, time) {
            // Kept while the network is down, sent in one burst (in order) when it is back, before any new fix.
            delivery = outage.end
        } else if !nearLong {
            let draw = random.uniform()
            if draw < config.reorderChance {
                delivery = time + 1.2 + 2.3 * random.uniform()
            } else if draw < config.reorderChance + config.lateChance {
                delivery = time + 8 + 52 * random.uniform()
            }
        }
        fixes.append((measured, reportedSpeed, course, accuracy, delivery))
        if !nearLong && Self.contains(outages.network, time) == nil && random.uniform() < config.duplicateChance {
            fixes.append((measured, reportedSpeed, course, accuracy, delivery + 2 + 28 * random.uniform()))
        }
    }
}
