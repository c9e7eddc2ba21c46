/// A fence's identity and shape, and the shape prepared for queries: projected to the fence's local plane and
/// flattened to edges.
///
/// Immutable after creation, so sharing it between threads is safe.
final class FenceGeometry: Sendable {
    enum Kind: UInt8, Sendable {
        /// Polygon or multipolygon: `edges` are every ring's edges; inside by the even-odd rule.
        case polygon
        /// Disc of radius `radius` around (`centerX`, `centerY`).
        case circle
        /// Within `radius` of the polyline whose segments are `edges`.
        case corridor
    }

    let id: String
    let name: String?
    let shape: FenceShape
    let kind: Kind
    let projection: LocalProjection
    let edges: ContiguousArray<PlaneEdge>
    /// Circle radius or corridor buffer, metres.
    let radius: Double
    let centerX: Double
    let centerY: Double
    /// The shape's extent in the plane (circles and corridors including the radius or buffer).
    let minX: Double
    let maxX: Double
    let minY: Double
    let maxY: Double

    private init(
        _ identity: Identity,
        kind: Kind,
        projection: LocalProjection,
        edges: ContiguousArray<PlaneEdge>,
        radius: Double,
        center: (x: Double, y: Double)
    ) {
        (id, name, shape) = identity
        self.kind = kind
        self.projection = projection
        self.edges = edges
        self.radius = radius
        centerX = center.x
        centerY = center.y
        if kind == .circle {
            (minX, maxX, minY, maxY) = (center.x - radius, center.x + radius, center.y - radius, center.y + radius)
        } else {
            var box = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
            for edge in edges {
                box.0 = min(box.0, edge.x0, edge.x1)
                box.1 = max(box.1, edge.x0, edge.x1)
                box.2 = min(box.2, edge.y0, edge.y1)
                box.3 = max(box.3, edge.y0, edge.y1)
            }
            let grow = kind == .corridor ? radius : 0
            (minX, maxX, minY, maxY) = (box.0 - grow, box.1 + grow, box.2 - grow, box.3 + grow)
        }
    }

    /// Validates `shape` and prepares it; returns the geometry and the latitude/longitude bounding box.
    typealias Identity = (id: String, name: String?, shape: FenceShape)

    static func prepare(
        _ shape: FenceShape,
        id: String,
        name: String?
    ) throws(FenceError) -> (geometry: FenceGeometry, boundingBox: BoundingBox) {
        let identity = (id, name, shape)
        switch shape {
        case .polygon(let rings):
            try checkPolygon(rings, label: "Polygon")
            return try preparePolygons([rings], identity)
        case .multiPolygon(let polygons):
            guard !polygons.isEmpty else { throw FenceError(.invalidGeometry, "MultiPolygon has no polygons") }
            for (index, rings) in polygons.enumerated() {
                try checkPolygon(rings, label: "MultiPolygon polygon \(index)")
            }
            return try preparePolygons(polygons, identity)
        case .circle(let center, let radius):
            try checkPosition(center)
            guard radius.isFinite, radius > 0 else {
                throw FenceError(.invalidProperty, "circle radius must be a finite number of metres > 0, got \(radius)")
            }
            let scale = LocalProjection.metresPerDegree(atLatitude: center.latitude)
            let dLat = radius / scale.latitude
            let farthest = min(90, abs(center.latitude) + dLat)
            let dLon = radius / LocalProjection.metresPerDegree(atLatitude: farthest).longitude
            let box = BoundingBox(
                minLatitude: center.latitude - dLat,
                minLongitude: center.longitude - dLon,
                maxLatitude: center.latitude + dLat,
                maxLongitude: center.longitude + dLon
            )
            try checkLongitudeSpan(box)
            let projection = LocalProjection(latitude: center.latitude, longitude: center.longitude)
            let geometry = FenceGeometry(
                identity,
                kind: .circle,
                projection: projection,
                edges: [],
                radius: radius,
                center: (0, 0)
            )
            return (geometry, box)
        case .corridor(let path, let buffer):
            guard path.count >= 2 else {
                throw FenceError(
                    .invalidGeometry,
                    "LineString has \(path.count) position\(path.count == 1 ? "" : "s"); a corridor needs at least 2"
                )
            }
            for position in path { try checkPosition(position) }
            guard buffer.isFinite, buffer > 0 else {
                throw FenceError(
                    .invalidProperty,
                    "corridor buffer must be a finite number of metres > 0, got \(buffer)"
                )
            }
            let pathBox = BoundingBox.enclosing(path)!
            let dLat = buffer / LocalProjection.metresPerDegree(atLatitude: pathBox.minLatitude).latitude
            let farthest = min(90, max(abs(pathBox.minLatitude), abs(pathBox.maxLatitude)) + dLat)
            let dLon = buffer / LocalProjection.metresPerDegree(atLatitude: farthest).longitude
            let box = BoundingBox(
                minLatitude: max(-90, pathBox.minLatitude - dLat),
                minLongitude: pathBox.minLongitude - dLon,
                maxLatitude: min(90, pathBox.maxLatitude + dLat),
                maxLongitude: pathBox.maxLongitude + dLon
            )
            try checkLongitudeSpan(box)
            let projection = reference(of: pathBox)
            var edges = ContiguousArray<PlaneEdge>()
            edges.reserveCapacity(path.count - 1)
            appendEdges(of: path, projection: projection, to: &edges)
            let geometry = FenceGeometry(
                identity,
                kind: .corridor,
                projection: projection,
                edges: edges,
                radius: buffer,
                center: (0, 0)
            )
            return (geometry, box)
        }
    }

    private static func preparePolygons(
        _ polygons: [[[Coordinate]]],
        _ identity: Identity
    ) throws(FenceError) -> (geometry: FenceGeometry, boundingBox: BoundingBox) {
        let box = BoundingBox.enclosing(polygons.lazy.flatMap { $0.lazy.flatMap { $0 } })!
        try checkLongitudeSpan(box)
        let projection = reference(of: box)
        var edges = ContiguousArray<PlaneEdge>()
        edges.reserveCapacity(polygons.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count - 1 } })
        for rings in polygons {
            for ring in rings { appendEdges(of: ring, projection: projection, to: &edges) }
        }
        let geometry = FenceGeometry(
            identity,
            kind: .polygon,
            projection: projection,
            edges: edges,
            radius: 0,
            center: (0, 0)
        )
        return (geometry, box)
    }

    private static func reference(of box: BoundingBox) -> LocalProjection {
        LocalProjection(
            latitude: (box.minLatitude + box.maxLatitude) / 2,
            longitude: (box.minLongitude + box.maxLongitude) / 2
        )
    }

    private static func appendEdges(
        of positions: [Coordinate],
        projection: LocalProjection,
        to edges: inout ContiguousArray<PlaneEdge>
    ) {
        var previous = projection.project(latitude: positions[0].latitude, longitude: positions[0].longitude)
        for position in positions.dropFirst() {
            let next = projection.project(latitude: position.latitude, longitude: position.longitude)
            if next != previous {
                edges.append(PlaneEdge(x0: previous.x, y0: previous.y, x1: next.x, y1: next.y))
            }
            previous = next
        }
    }

    private static func checkPolygon(_ rings: [[Coordinate]], label: String) throws(FenceError) {
        guard !rings.isEmpty else { throw FenceError(.invalidGeometry, "\(label) has no rings") }
        for (index, ring) in rings.enumerated() {
            guard ring.count >= 4 else {
                throw FenceError(
                    .invalidGeometry,
                    "\(label) ring \(index) has \(ring.count) position\(ring.count == 1 ? "" : "s"); a closed ring needs at least 4"
                )
            }
            for position in ring { try checkPosition(position) }
            guard ring.first == ring.last else {
                throw FenceError(
                    .invalidGeometry,
                    "\(label) ring \(index) is not closed: its first position \(describe(ring.first!)) differs from its last \(describe(ring.last!))"
                )
            }
        }
    }

    private static func checkPosition(_ position: Coordinate) throws(FenceError) {
        guard position.isValid else {
            throw FenceError(
                .coordinateOutOfRange,
                "position \(describe(position)) is out of range (longitude -180...180, latitude -90...90)"
            )
        }
    }

    private static func checkLongitudeSpan(_ box: BoundingBox) throws(FenceError) {
        let span = box.maxLongitude - box.minLongitude
        guard span <= 180, box.minLongitude >= -180, box.maxLongitude <= 180 else {
            throw FenceError(
                .crossesAntimeridian,
                "the fence spans longitudes \(box.minLongitude) to \(box.maxLongitude); fences crossing the antimeridian are not supported: split it at ±180° into separate fences"
            )
        }
    }

    /// `[longitude, latitude]`, GeoJSON order.
    static func describe(_ position: Coordinate) -> String { "[\(position.longitude), \(position.latitude)]" }
}
