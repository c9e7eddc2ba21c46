import FixstreamGeo
import FixstreamRoads

#if canImport(Glibc)
    import Glibc
#endif

/// The road graph as the simulation uses it: every edge's shape on the city plane with the distance along it to
/// each shape point, which nodes are junctions, and which edges belong to the largest strongly connected part
/// (where every site can reach every other).
final class SimMap {
    let graph: RoadGraph
    let plane: CityPlane
    /// Per edge, the index of its first point in `points`/`along` (and one past the last edge's end).
    private let firstPoint: [Int]
    /// Every edge's shape on the plane, edge after edge.
    private let points: [PlanePoint]
    /// Distance along its edge to each point, metres (on the plane).
    private let along: [Double]
    /// Per node, how many distinct neighbouring nodes it has (either direction).
    let degree: [Int]
    /// Per node, whether it belongs to the largest strongly connected component.
    let connected: [Bool]

    init(graph: RoadGraph) {
        self.graph = graph
        var latitude = 0.0
        var longitude = 0.0
        for node in 0 ..< graph.nodeCount {
            let position = graph.coordinate(ofNode: node)
            latitude += position.latitude
            longitude += position.longitude
        }
        let count = Double(max(1, graph.nodeCount))
        plane = CityPlane(latitude: latitude / count, longitude: longitude / count)
        var firstPoint: [Int] = []
        var points: [PlanePoint] = []
        var along: [Double] = []
        firstPoint.reserveCapacity(graph.edgeCount + 1)
        points.reserveCapacity(graph.shapePointCount)
        along.reserveCapacity(graph.shapePointCount)
        for edge in 0 ..< graph.edgeCount {
            firstPoint.append(points.count)
            var total = 0.0
            for index in graph.shape(edge) {
                let point = plane.point(graph.shapePoint(index))
                if let last = points.last, points.count > firstPoint[edge] { total += last.distance(to: point) }
                points.append(point)
                along.append(total)
            }
        }
        firstPoint.append(points.count)
        self.firstPoint = firstPoint
        self.points = points
        self.along = along
        var neighbours = [Set<Int>](repeating: [], count: graph.nodeCount)
        for edge in 0 ..< graph.edgeCount {
            neighbours[graph.tail(edge)].insert(graph.head(edge))
            neighbours[graph.head(edge)].insert(graph.tail(edge))
        }
        degree = neighbours.map(\.count)
        connected = StrongComponents.largest(of: graph)
    }

    /// The edge's length on the plane, metres.
    @inline(__always)
    func length(_ edge: Int) -> Double { along[firstPoint[edge + 1] - 1] }

    /// The edge's shape points on the plane, tail first.
    @inline(__always)
    func shape(_ edge: Int) -> Range<Int> { firstPoint[edge] ..< firstPoint[edge + 1] }

    @inline(__always)
    func point(_ index: Int) -> PlanePoint { points[index] }

    @inline(__always)
    func along(_ index: Int) -> Double { along[index] }

    /// The point `offset` metres along `edge` from its tail.
    func position(edge: Int, offset: Double) -> PlanePoint {
        let range = shape(edge)
        let target = max(0, min(offset, length(edge)))
        var low = range.lowerBound
        var high = range.upperBound - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if along[middle] <= target { low = middle } else { high = middle }
        }
        let span = along[high] - along[low]
        return points[low].interpolated(to: points[high], span > 0 ? (target - along[low]) / span : 0)
    }

    /// The direction of travel at `offset` along `edge`, as a unit vector.
    func direction(edge: Int, offset: Double) -> PlanePoint {
        let range = shape(edge)
        let target = max(0, min(offset, length(edge)))
        var index = range.lowerBound
        while index + 2 < range.upperBound && along[index + 1] < target { index += 1 }
        let a = points[index]
        let b = points[index + 1]
        let length = a.distance(to: b)
        return length > 0 ? PlanePoint(x: (b.x - a.x) / length, y: (b.y - a.y) / length) : PlanePoint(x: 1, y: 0)
    }
}
