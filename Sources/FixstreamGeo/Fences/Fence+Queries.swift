extension Fence {
    /// Signed distance in metres from a position to the fence boundary: negative inside, positive outside.
    ///
    /// Inside, the value is minus the distance to the nearest boundary; outside, the distance to it; on the
    /// boundary, 0. Polygons: even-odd rule over every ring (a point in a hole is outside) and the nearest edge of
    /// any ring. Circles: distance from the centre minus the radius. Corridors: distance to the polyline minus the
    /// buffer. Computed in the fence's local plane (see the module docs on accuracy). Hysteresis is not applied.
    ///
    /// - Parameters:
    ///   - latitude: degrees.
    ///   - longitude: degrees.
    /// - Returns: metres; NaN for NaN input.
    /// - Complexity: O(edges); allocates nothing.
    public func signedDistance(latitude: Double, longitude: Double) -> Double {
        let point = geometry.projection.project(latitude: latitude, longitude: longitude)
        return geometry.signedDistance(x: point.x, y: point.y)
    }

    /// Whether some point of the straight segment between two positions lies inside the fence by more than
    /// `depth` metres (its ``signedDistance(latitude:longitude:)`` is below `-depth`).
    ///
    /// Meant for a fast vehicle whose two consecutive fixes are both outside: did it cross the fence in between?
    /// The segment is straight in the fence's local plane (equivalently, in latitude/longitude degrees), which
    /// for fixes seconds apart is the path within centimetres.
    ///
    /// Exact, not sampled. Circles: the distance from the centre to the segment is below `radius - depth`.
    /// Corridors: the distance between the segment and some polyline edge is below `buffer - depth`. Polygons:
    /// the points of the segment within `depth` of each edge form one parameter interval; the gaps between those
    /// intervals are each wholly inside or wholly outside, and the answer is whether some gap's midpoint is
    /// inside. Touching the `-depth` level only (grazing) is `false`.
    ///
    /// - Parameters:
    ///   - fromLatitude: start, degrees.
    ///   - fromLongitude: start, degrees.
    ///   - toLatitude: end, degrees.
    ///   - toLongitude: end, degrees.
    ///   - depth: metres, normally the fence's ``hysteresis``; negative values count as 0.
    /// - Returns: whether the segment reaches deeper than `depth` into the fence.
    /// - Complexity: O(edges) for circles and corridors; O(k log k + g·edges) for polygons, where k is the number
    ///   of edges near the segment and g the number of gaps tested (usually 1 to 3). Allocates nothing for
    ///   polygons of up to several thousand edges (a stack buffer of 16 bytes per edge).
    public func segmentReachesInside(
        fromLatitude: Double,
        fromLongitude: Double,
        toLatitude: Double,
        toLongitude: Double,
        depth: Double
    ) -> Bool {
        let a = geometry.projection.project(latitude: fromLatitude, longitude: fromLongitude)
        let b = geometry.projection.project(latitude: toLatitude, longitude: toLongitude)
        return geometry.segmentReachesInside(ax: a.x, ay: a.y, bx: b.x, by: b.y, depth: depth > 0 ? depth : 0)
    }
}
