public import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

/// How far a matched route is from the true one, after Newson & Krumm (2009): the true route's length not
/// matched (d−) plus the matched length not on the true route (d+), over the true length (d0).
///
/// Both are compared as geometry: each is cut into points about 2 m apart, and a point counts as on the other
/// route when it lies within ``tolerance`` metres of it. This scores any matcher's output the same way, whatever
/// map version or edge ids it used.
public struct RouteMismatch: Sendable, Equatable {
    /// Length of the true route, metres (d0).
    public var trueLength: Double
    /// True length farther than the tolerance from the match (d−).
    public var missed: Double
    /// Matched length farther than the tolerance from the truth (d+).
    public var extra: Double

    /// The distance within which a point counts as on the other route, metres.
    public static let tolerance = 10.0
    /// The spacing of the points compared, metres.
    public static let spacing = 2.0

    /// (d− + d+) / d0.
    public var error: Double { trueLength > 0 ? (missed + extra) / trueLength : 0 }

    /// A score from its parts (for sums over many traces).
    public init(trueLength: Double, missed: Double, extra: Double) {
        self.trueLength = trueLength
        self.missed = missed
        self.extra = extra
    }

    /// Scores `matched` (pieces of lines) against `truth` (pieces of lines).
    public init(truth: [[Coordinate]], matched: [[Coordinate]]) {
        let truthIndex = SegmentIndex(truth)
        let matchedIndex = SegmentIndex(matched)
        (trueLength, missed) = Self.measure(truth, against: matchedIndex)
        extra = Self.measure(matched, against: truthIndex).away
    }

    /// The length of `lines` and how much of it lies farther than the tolerance from `other`.
    private static func measure(_ lines: [[Coordinate]], against other: SegmentIndex) -> (length: Double, away: Double)
    {
        var length = 0.0
        var away = 0.0
        for line in lines {
            for index in line.indices.dropFirst() {
                let a = line[index - 1]
                let b = line[index]
                let piece = GreatCircle.shortDistance(
                    latitude1: a.latitude,
                    longitude1: a.longitude,
                    latitude2: b.latitude,
                    longitude2: b.longitude
                )
                length += piece
                let steps = max(1, Int((piece / spacing).rounded(.up)))
                for step in 0 ..< steps {
                    let t = (Double(step) + 0.5) / Double(steps)
                    let point = Coordinate(
                        latitude: a.latitude + t * (b.latitude - a.latitude),
                        longitude: a.longitude + t * (b.longitude - a.longitude)
                    )
                    if !other.isWithin(tolerance, of: point) { away += piece / Double(steps) }
                }
            }
        }
        return (length, away)
    }
}

/// Straight pieces of lines in a coarse grid, for "is this point near the line" questions.
private struct SegmentIndex {
    private var cells: [Int64: [(Coordinate, Coordinate)]] = [:]
    private static let cellDegrees = 0.001

    init(_ lines: [[Coordinate]]) {
        for line in lines {
            if line.count == 1 { add(line[0], line[0]) }
            for index in line.indices.dropFirst() { add(line[index - 1], line[index]) }
        }
    }

    private mutating func add(_ a: Coordinate, _ b: Coordinate) {
        let rows = Self.cell(min(a.latitude, b.latitude)) ... Self.cell(max(a.latitude, b.latitude))
        let columns = Self.cell(min(a.longitude, b.longitude)) ... Self.cell(max(a.longitude, b.longitude))
        for row in rows {
            for column in columns { cells[row << 32 | (column & 0xFFFF_FFFF), default: []].append((a, b)) }
        }
    }

    private static func cell(_ degrees: Double) -> Int64 { Int64((degrees / cellDegrees).rounded(.down)) }

    func isWithin(_ metres: Double, of point: Coordinate) -> Bool {
        let row = Self.cell(point.latitude)
        let column = Self.cell(point.longitude)
        let scaleY = 111_195.0
        let scaleX = 111_195.0 * cos(point.latitude * .pi / 180)
        for r in row - 1 ... row + 1 {
            for c in column - 1 ... column + 1 {
                for (a, b) in cells[r << 32 | (c & 0xFFFF_FFFF)] ?? [] {
                    let ax = (a.longitude - point.longitude) * scaleX
                    let ay = (a.latitude - point.latitude) * scaleY
                    let dx = (b.longitude - a.longitude) * scaleX
                    let dy = (b.latitude - a.latitude) * scaleY
                    let squared = dx * dx + dy * dy
                    let t = squared > 0 ? max(0, min(1, -(ax * dx + ay * dy) / squared)) : 0
                    let x = ax + t * dx
                    let y = ay + t * dy
                    if x * x + y * y <= metres * metres { return true }
                }
            }
        }
        return false
    }
}
