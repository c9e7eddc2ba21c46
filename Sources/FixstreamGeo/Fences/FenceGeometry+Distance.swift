extension FenceGeometry {
    /// Signed distance in metres from the plane point (x, y): negative inside, positive outside, 0 on the boundary.
    @inline(__always)
    func signedDistance(x: Double, y: Double) -> Double {
        switch kind {
        case .polygon:
            // Branch-free loop: the crossing parity and the nearest squared distance, edge by edge.
            var crossings: UInt8 = 0
            var best = Double.infinity
            for edge in edges {
                crossings ^= edge.crossingBit(x: x, y: y)
                best = min(best, edge.distanceSquared(x: x, y: y))
            }
            let distance = best.squareRoot()
            return crossings & 1 != 0 ? -distance : distance
        case .circle:
            let dx = x - centerX
            let dy = y - centerY
            return (dx * dx + dy * dy).squareRoot() - radius
        case .corridor:
            var best = Double.infinity
            for edge in edges { best = min(best, edge.distanceSquared(x: x, y: y)) }
            return best.squareRoot() - radius
        }
    }

    /// Whether (x, y) is inside a polygon by the even-odd rule (boundary points may go either way).
    @inline(__always)
    func polygonContains(x: Double, y: Double) -> Bool {
        var inside = false
        for edge in edges where edge.crossesRay(x: x, y: y) { inside.toggle() }
        return inside
    }
}
