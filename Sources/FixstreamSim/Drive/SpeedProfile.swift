#if canImport(Glibc)
    import Glibc
#endif

/// How a vehicle drives a stretch of path from standstill to standstill: the fastest speed profile under the
/// road's speed (times the driver's factor), slow stretches and turn speeds, with limited acceleration and
/// braking. Sampled every `step` metres: the speed there and the time it is reached.
struct SpeedProfile: Sendable {
    /// Metres between samples.
    let step: Double
    /// The stretch's length, metres.
    let length: Double
    /// Speed at each sample, m/s.
    private(set) var speeds: [Double]
    /// Seconds from the start to each sample.
    private(set) var times: [Double]

    /// The driver's habits.
    struct Driver: Sendable {
        /// Times the road speed.
        var speedFactor: Double
        /// m/s².
        var acceleration: Double
        /// m/s².
        var braking: Double
    }

    /// A slow stretch, in metres along the path.
    struct Slowdown: Sendable {
        var from: Double
        var to: Double
        var factor: Double
    }

    /// The fastest speed through a turn of `angle` radians.
    static func turnSpeed(_ angle: Double) -> Double {
        guard angle > 0.35 else { return .infinity }
        return max(2.5, 14 * pow(max(0, 1 - angle / .pi), 1.5))
    }

    /// The profile of `path` from `from` to `to` metres along it.
    init(path: DrivePath, from: Double, to: Double, driver: Driver, slowdowns: [Slowdown]) {
        length = max(0, to - from)
        let count = max(2, Int((length / 1.0).rounded(.up)) + 1)
        step = length / Double(count - 1)
        var limits = [Double](repeating: 0, count: count)
        var stretch = 0
        let stretches = path.speeds
        for index in 0 ..< count {
            let s = from + Double(index) * step
            while stretch + 1 < stretches.count && stretches[stretch + 1].start <= s { stretch += 1 }
            var limit = min(25, (stretches.isEmpty ? 8.33 : stretches[stretch].speed) * driver.speedFactor)
            // A slow stretch never crawls below 2.5 m/s: slower is a standstill by the idle detector's measure.
            for slow in slowdowns where s >= slow.from && s <= slow.to {
                limit = max(min(limit, 2.5), limit * slow.factor)
            }
            limits[index] = limit
        }
        for junction in path.junctions where junction.along > from && junction.along < to {
            let index = Int(((junction.along - from) / step).rounded())
            if index > 0 && index < count - 1 { limits[index] = min(limits[index], Self.turnSpeed(junction.turn)) }
        }
        limits[0] = 0
        limits[count - 1] = 0
        // Forward: as fast as acceleration allows; backward: slow enough to brake for what comes.
        var speeds = limits
        for index in 1 ..< count {
            speeds[index] = min(
                limits[index],
                (speeds[index - 1] * speeds[index - 1] + 2 * driver.acceleration * step).squareRoot()
            )
        }
        for index in stride(from: count - 2, through: 0, by: -1) {
            speeds[index] = min(
                speeds[index],
                (speeds[index + 1] * speeds[index + 1] + 2 * driver.braking * step).squareRoot()
            )
        }
        var times = [Double](repeating: 0, count: count)
        for index in 1 ..< count {
            let mean = (speeds[index - 1] + speeds[index]) / 2
            times[index] = times[index - 1] + (mean > 0 ? step / mean : 0)
        }
        self.speeds = speeds
        self.times = times
    }

    /// How long the stretch takes, seconds.
    var duration: Double { times.last ?? 0 }

    /// Metres from the start and speed `time` seconds after the start (uniform acceleration between samples).
    func state(at time: Double) -> (along: Double, speed: Double) {
        if time <= 0 { return (0, speeds[0]) }
        if time >= duration { return (length, speeds[speeds.count - 1]) }
        var low = 0
        var high = times.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if times[middle] <= time { low = middle } else { high = middle }
        }
        let dt = times[high] - times[low]
        guard dt > 0 else { return (Double(low) * step, speeds[low]) }
        let tau = time - times[low]
        let acceleration = (speeds[high] - speeds[low]) / dt
        let distance = speeds[low] * tau + 0.5 * acceleration * tau * tau
        return (min(Double(low) * step + distance, Double(high) * step), speeds[low] + acceleration * tau)
    }

    /// Seconds from the start until `along` metres are covered.
    func time(at along: Double) -> Double {
        let position = max(0, min(along, length)) / max(step, 1e-9)
        let index = min(times.count - 2, Int(position))
        let fraction = position - Double(index)
        return times[index] + (times[index + 1] - times[index]) * fraction
    }
}
