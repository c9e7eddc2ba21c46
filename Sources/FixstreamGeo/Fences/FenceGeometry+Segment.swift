extension FenceGeometry {
    /// Whether some point of the plane segment a→b has a signed distance below `-depth` (exact, see
    /// ``Fence/segmentReachesInside(fromLatitude:fromLongitude:toLatitude:toLongitude:depth:)``).
    func segmentReachesInside(ax: Double, ay: Double, bx: Double, by: Double, depth: Double) -> Bool {
        let dx = bx - ax
        let dy = by - ay
        let lengthSquared = dx * dx + dy * dy
        if !(lengthSquared > 0) { return signedDistance(x: ax, y: ay) < -depth }
        // The segment must come within the shape's extent shrunk by `depth`.
        if max(ax, bx) <= minX + depth || min(ax, bx) >= maxX - depth || max(ay, by) <= minY + depth
            || min(ay, by) >= maxY - depth
        {
            return false
        }
        switch kind {
        case .circle:
            let t = min(1, max(0, ((centerX - ax) * dx + (centerY - ay) * dy) / lengthSquared))
            let ex = ax + t * dx - centerX
            let ey = ay + t * dy - centerY
            return (ex * ex + ey * ey).squareRoot() < radius - depth
        case .corridor:
            let limit = radius - depth
            guard limit > 0 else { return false }
            for edge in edges where Self.segmentDistanceSquared(ax, ay, dx, dy, edge) < limit * limit {
                return true
            }
            return false
        case .polygon:
            return polygonSegmentReachesInside(ax: ax, ay: ay, dx: dx, dy: dy, depth: depth)
        }
    }

    /// Exact test for polygons.
    ///
    /// The points of the segment within `depth` of one edge form one interval of the segment's parameter (the
    /// segment's line meets the edge's capsule, a convex set, in an interval). Outside the union of these
    /// intervals every point is farther than `depth` from the boundary, and no such gap can contain a boundary
    /// point, so each gap lies wholly inside or wholly outside: the segment reaches deeper than `depth` exactly
    /// when the midpoint of some gap is inside. The intervals live in a stack buffer (`withUnsafeTemporaryAllocation`;
    /// the runtime falls back to the heap only for polygons with tens of thousands of edges near the segment).
    private func polygonSegmentReachesInside(ax: Double, ay: Double, dx: Double, dy: Double, depth: Double) -> Bool {
        let segmentMinX = min(ax, ax + dx) - depth
        let segmentMaxX = max(ax, ax + dx) + depth
        let segmentMinY = min(ay, ay + dy) - depth
        let segmentMaxY = max(ay, ay + dy) + depth
        return withUnsafeTemporaryAllocation(of: (Double, Double).self, capacity: max(1, edges.count)) { intervals in
            var count = 0
            for edge in edges {
                if max(edge.x0, edge.x1) < segmentMinX || min(edge.x0, edge.x1) > segmentMaxX
                    || max(edge.y0, edge.y1) < segmentMinY || min(edge.y0, edge.y1) > segmentMaxY
                {
                    continue
                }
                guard let (low, high) = Self.capsuleInterval(ax, ay, dx, dy, edge, depth) else { continue }
                let lo = max(0, low)
                let hi = min(1, high)
                if lo <= hi {
                    intervals[count] = (lo, hi)
                    count += 1
                }
            }
            Self.heapSortByStart(intervals, count: count)
            // Sweep the union of the intervals; test the midpoint of each gap, [0, first) and (last, 1] included.
            var covered = 0.0
            for index in 0 ..< count {
                let (lo, hi) = intervals[index]
                if lo > covered {
                    let t = (covered + lo) / 2
                    if polygonContains(x: ax + t * dx, y: ay + t * dy) { return true }
                }
                covered = max(covered, hi)
            }
            if covered < 1 {
                let t = (covered + 1) / 2
                if polygonContains(x: ax + t * dx, y: ay + t * dy) { return true }
            }
            return false
        }
    }

    /// The parameters t (unbounded) for which a + t·d lies within `r` of the edge, or `nil` if none.
    private static func capsuleInterval(
        _ ax: Double,
        _ ay: Double,
        _ dx: Double,
        _ dy: Double,
        _ edge: PlaneEdge,
        _ r: Double
    ) -> (Double, Double)? {
        var low = Double.infinity
        var high = -Double.infinity
        let a = dx * dx + dy * dy
        // The discs at both ends.
        func disc(_ cx: Double, _ cy: Double) {
            let fx = ax - cx
            let fy = ay - cy
            let b = dx * fx + dy * fy
            let c = fx * fx + fy * fy - r * r
            let discriminant = b * b - a * c
            if discriminant >= 0 {
                let root = discriminant.squareRoot()
                low = min(low, (-b - root) / a)
                high = max(high, (-b + root) / a)
            }
        }
        disc(edge.x0, edge.y0)
        disc(edge.x1, edge.y1)
        // The rectangle: projection onto the edge within [0, 1] and perpendicular distance within r.
        if edge.inverseLengthSquared > 0 {
            let rx = ax - edge.x0
            let ry = ay - edge.y0
            let length = (1 / edge.inverseLengthSquared).squareRoot()
            var slabLow = -Double.infinity
            var slabHigh = Double.infinity
            // σ(t) = (rx·ex + ry·ey + t·(d·e)) / |e|² ∈ [0, 1]
            let along = (rx * edge.dx + ry * edge.dy) * edge.inverseLengthSquared
            let alongRate = (dx * edge.dx + dy * edge.dy) * edge.inverseLengthSquared
            // h(t) = (e × r + t·(e × d)) / |e| ∈ [-r, r]
            let across = (edge.dx * ry - edge.dy * rx) / length
            let acrossRate = (edge.dx * dy - edge.dy * dx) / length
            func constrain(_ value: Double, _ rate: Double, _ lower: Double, _ upper: Double) {
                if rate == 0 {
                    if value < lower || value > upper {
                        slabLow = .infinity
                        slabHigh = -.infinity
                    }
                } else {
                    let t1 = (lower - value) / rate
                    let t2 = (upper - value) / rate
                    slabLow = max(slabLow, min(t1, t2))
                    slabHigh = min(slabHigh, max(t1, t2))
                }
            }
            constrain(along, alongRate, 0, 1)
            constrain(across, acrossRate, -r, r)
            if slabLow <= slabHigh {
                low = min(low, slabLow)
                high = max(high, slabHigh)
            }
        }
        return low <= high ? (low, high) : nil
    }

    /// Squared distance between the segment a→a+d and an edge.
    private static func segmentDistanceSquared(
        _ ax: Double,
        _ ay: Double,
        _ dx: Double,
        _ dy: Double,
        _ edge: PlaneEdge
    ) -> Double {
        let bx = ax + dx
        let by = ay + dy
        let o1 = dx * (edge.y0 - ay) - dy * (edge.x0 - ax)
        let o2 = dx * (edge.y1 - ay) - dy * (edge.x1 - ax)
        let o3 = edge.dx * (ay - edge.y0) - edge.dy * (ax - edge.x0)
        let o4 = edge.dx * (by - edge.y0) - edge.dy * (bx - edge.x0)
        if (o1 < 0) != (o2 < 0) && (o3 < 0) != (o4 < 0) && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
            return 0
        }
        let other = PlaneEdge(x0: ax, y0: ay, x1: bx, y1: by)
        return min(
            edge.distanceSquared(x: ax, y: ay),
            edge.distanceSquared(x: bx, y: by),
            other.distanceSquared(x: edge.x0, y: edge.y0),
            other.distanceSquared(x: edge.x1, y: edge.y1)
        )
    }

    /// In-place heap sort of the first `count` intervals by start.
    private static func heapSortByStart(_ intervals: UnsafeMutableBufferPointer<(Double, Double)>, count: Int) {
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while true {
                var child = 2 * root + 1
                if child >= end { return }
                if child + 1 < end && intervals[child + 1].0 > intervals[child].0 { child += 1 }
                if intervals[root].0 >= intervals[child].0 { return }
                intervals.swapAt(root, child)
                root = child
            }
        }
        guard count > 1 else { return }
        for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
        for end in stride(from: count - 1, to: 0, by: -1) {
            intervals.swapAt(0, end)
            siftDown(0, end)
        }
    }
}
