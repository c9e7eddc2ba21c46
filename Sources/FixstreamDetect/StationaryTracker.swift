#if canImport(Glibc)
    import Glibc
#endif

/// Where a vehicle really is while it stands still: the running mean of its fixes since it stopped moving.
///
/// GPS noise of 5 to 15 m makes a parked vehicle's raw fixes wander across any nearby boundary; their mean
/// converges on the true position (its error shrinks with the square root of the count), so decisions taken on it
/// stop flipping. A fix joins the cluster when it is within ``radius`` of the mean. Fixes outside do not join;
/// two or more consecutive ones spanning 10 s start a new cluster (a burst of multipath does not), as does any
/// outside fix while the cluster has fewer than three. ``position(joined:)`` says which position to decide on:
/// the mean once the cluster has lasted ``settle`` (whatever the latest fix did), the mean of a young cluster the
/// fix joined, and otherwise the raw fix (a moving vehicle: clusters of a few fixes, a lag of at most half the
/// radius).
struct StationaryTracker {
    /// Cluster radius, metres.
    static let radius = 25.0
    /// How long a cluster must last before its mean is trusted.
    static let settle: Int64 = 20_000

    var originLatitude = 0.0
    var originLongitude = 0.0
    var metresPerDegreeLongitude = 1.0
    var sumX = 0.0
    var sumY = 0.0
    var sumSquares = 0.0
    var count = 0
    var start: Int64 = 0
    var latest: Int64 = 0
    var outside = 0
    var firstOutside: Int64 = 0

    static let metresPerDegree = 111_195.0

    /// Whether the vehicle has stood within the radius long enough for ``latitude``/``longitude`` to be its place.
    var isStationary: Bool { count >= 3 && latest - start >= Self.settle }

    /// The cluster's mean position.
    var latitude: Double { originLatitude + sumY / Double(count) / Self.metresPerDegree }
    var longitude: Double { originLongitude + sumX / Double(count) / metresPerDegreeLongitude }

    /// Whether the latest fix reported a speed, and whether it was slow (2 m/s or less): Doppler speed is not
    /// disturbed by position noise, so it tells a parked vehicle from a moving one at once.
    var reportedSlow: Bool?

    /// Takes a fix into account; `speed` is the receiver's own speed over ground, when it reports one.
    mutating func add(latitude: Double, longitude: Double, time: Int64, speed: Float? = nil) {
        reportedSlow = speed.map { $0 <= 2 }
        if reportedSlow == false {
            // Moving, says the receiver: no cluster to average.
            return restart(latitude: latitude, longitude: longitude, time: time)
        }
        guard count > 0 else { return restart(latitude: latitude, longitude: longitude, time: time) }
        let x = (longitude - originLongitude) * metresPerDegreeLongitude
        let y = (latitude - originLatitude) * Self.metresPerDegree
        let meanX = sumX / Double(count)
        let meanY = sumY / Double(count)
        let dx = x - meanX
        let dy = y - meanY
        if (dx * dx + dy * dy).squareRoot() <= Self.radius {
            sumX += x
            sumY += y
            sumSquares += x * x + y * y
            count += 1
            latest = max(latest, time)
            outside = 0
            lastJoined = true
            return
        }
        lastJoined = false
        if outside == 0 { firstOutside = time }
        outside += 1
        if outside >= 2 && time - firstOutside >= 10_000 || count < 3 {
            restart(latitude: latitude, longitude: longitude, time: time)
        }
    }

    /// Whether the latest fix joined the cluster (or started it).
    var lastJoined = false

    /// Whether the vehicle may be coming to a stop and the mean is not to be trusted yet: the receiver says it is
    /// slow (or, without a reported speed, the latest fix joined a cluster of two or more) and the cluster has not
    /// lasted ``settle``.
    var isSettling: Bool {
        guard !isStationary else { return false }
        if let reportedSlow { return reportedSlow }
        return lastJoined && count >= 2
    }

    /// The position to take decisions on for the latest fix (`latitude`, `longitude`).
    func position(latitude: Double, longitude: Double) -> (latitude: Double, longitude: Double) {
        if reportedSlow == false { return (latitude, longitude) }
        if isStationary || (count >= 2 && (lastJoined || reportedSlow == true)) {
            return (self.latitude, self.longitude)
        }
        return (latitude, longitude)
    }

    private mutating func restart(latitude: Double, longitude: Double, time: Int64) {
        originLatitude = latitude
        originLongitude = longitude
        metresPerDegreeLongitude = max(1, Self.metresPerDegree * cos(latitude * .pi / 180))
        sumX = 0
        sumY = 0
        sumSquares = 0
        count = 1
        start = time
        latest = time
        outside = 0
        lastJoined = true
    }
}
