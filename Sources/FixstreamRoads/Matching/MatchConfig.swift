/// The map matcher's parameters. The defaults suit delivery vehicles in towns with phone or telematics GPS.
public struct MatchConfig: Sendable, Equatable {
    /// Candidates are the road positions within this many metres of a fix (wider for fixes reporting a poor
    /// accuracy: three standard deviations).
    public var searchRadius: Double = 50
    /// The GPS error's standard deviation, metres, for fixes that report no accuracy.
    public var sigma: Double = 5
    /// The smallest standard deviation believed, whatever a fix reports.
    public var minimumSigma: Double = 3
    /// The largest standard deviation used, whatever a fix reports (a fix reporting kilometres says little, and
    /// its search circle must stay a city block's worth of roads, not a country's).
    public var maximumSigma: Double = 500
    /// Scale, metres, of the exponential in |route distance − straight distance| (Newson & Krumm's β), for fixes
    /// of standard deviation ``sigma`` up to ``betaInterval`` apart; it grows in proportion for less accurate
    /// fixes and for fixes further apart in time (over a longer hop a driver's route strays further from the
    /// straight line: Monaco at 60 s sampling, route error 0.17 → 0.12).
    public var beta: Double = 3
    /// Seconds between lattice fixes up to which ``beta`` holds as given.
    public var betaInterval: Double = 5
    /// How many nearest road positions an accurate fix considers (a two-way road gives two, one per direction);
    /// a fix of standard deviation σ over 10 m considers σ / 10 times as many, up to four times.
    public var maxCandidates: Int = 12
    /// Lattice fixes after which a match is confirmed (0: at once). Fixes that join no lattice (see
    /// ``minimumInterval``) are confirmed with the lattice fix before them.
    public var lag: Int = 5
    /// Seconds between the fixes that enter the lattice, at least: a fix sooner after the last one is placed on
    /// the path between its neighbours instead. Noisy fixes wait longer: until a vehicle at ``townSpeed`` has
    /// moved four standard deviations.
    public var minimumInterval: Double = 5
    /// The speed, metres per second, that spaces the lattice for noisy fixes (see ``minimumInterval``).
    public var townSpeed: Double = 10
    /// What turning round on a road costs, as a log-probability: vans do turn round (a missed address, a dead
    /// end), just rarely between two fixes.
    public var uTurnPenalty: Double = 4
    /// The highest speed believed, metres per second: bounds the route searched between two fixes.
    public var maxSpeed: Double = 50
    /// A silence longer than this many seconds starts a new chain.
    public var maxGap: Double = 180
    /// How far back along the same edge a position may move between fixes (GPS noise while standing or
    /// crawling), metres, at least; three standard deviations when the fixes are less accurate. Going back is
    /// charged as a transition of that length.
    public var backwardTolerance: Double = 10

    /// The defaults.
    public init() {}

    /// Metres of position error per unit of HDOP (the user equivalent range error of a consumer receiver).
    public static let metresPerHDOP = 5.0

    /// The standard deviation to believe for a fix, metres: its reported accuracy, else its HDOP times
    /// ``metresPerHDOP``, else nil (then the matcher uses ``sigma``).
    public static func accuracy(reported: Double?, hdop: Double?) -> Double? {
        if let reported, reported.isFinite, reported > 0 { return reported }
        if let hdop, hdop.isFinite, hdop > 0 { return hdop * metresPerHDOP }
        return nil
    }
}
