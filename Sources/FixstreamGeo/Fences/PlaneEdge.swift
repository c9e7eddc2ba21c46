/// A segment in a fence's local plane (metres), with the factors its queries need precomputed.
struct PlaneEdge: Sendable {
    /// Start, metres east and north of the fence's reference.
    let x0: Double
    let y0: Double
    /// End minus start.
    let dx: Double
    let dy: Double
    /// 1 / (dx² + dy²), or 0 for a zero-length edge (then its distance is to the start).
    let inverseLengthSquared: Double
    /// dx / dy, used by the crossing test only when the edge spans the query's `y` (so `dy != 0`).
    let dxOverDy: Double

    init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0
        self.y0 = y0
        dx = x1 - x0
        dy = y1 - y0
        let lengthSquared = dx * dx + dy * dy
        inverseLengthSquared = lengthSquared > 0 ? 1 / lengthSquared : 0
        dxOverDy = dy != 0 ? dx / dy : 0
    }

    var x1: Double { x0 + dx }
    var y1: Double { y0 + dy }

    /// Squared distance from (px, py) to the segment.
    @inline(__always)
    func distanceSquared(x px: Double, y py: Double) -> Double {
        let rx = px - x0
        let ry = py - y0
        let t = min(1, max(0, (rx * dx + ry * dy) * inverseLengthSquared))
        let ex = rx - t * dx
        let ey = ry - t * dy
        return ex * ex + ey * ey
    }

    /// 1 if a ray from (px, py) towards +x crosses the edge, else 0; computed without branches.
    @inline(__always)
    func crossingBit(x px: Double, y py: Double) -> UInt8 {
        let above0: UInt8 = y0 > py ? 1 : 0
        let above1: UInt8 = y0 + dy > py ? 1 : 0
        let left: UInt8 = px < x0 + (py - y0) * dxOverDy ? 1 : 0
        return (above0 ^ above1) & left
    }

    /// Whether a ray from (px, py) towards +x crosses the edge (half-open in y, for the even-odd rule).
    @inline(__always)
    func crossesRay(x px: Double, y py: Double) -> Bool {
        (y0 > py) != (y0 + dy > py) && px < x0 + (py - y0) * dxOverDy
    }
}
