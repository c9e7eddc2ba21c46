public import FixstreamGeo

/// The path a vehicle drove, rebuilt from its confirmed matches: the geometry along the roads and the OSM ways in
/// driving order.
///
/// A break in the chain (an unmatched stretch, a long silence) starts a new piece rather than drawing a line
/// across it.
public struct MatchedRoute: Sendable {
    /// The geometry, one array per unbroken piece, in driving order.
    public private(set) var pieces: [[Coordinate]] = []
    /// The OSM ways driven, consecutive repeats merged.
    public private(set) var ways: [Int64] = []
    /// Metres driven along the roads.
    public private(set) var length = 0.0
    private var last: RoadPosition?

    /// An empty route.
    public init() {}

    /// All pieces joined, for formats that want one line.
    public var coordinates: [Coordinate] { pieces.flatMap { $0 } }

    /// Adds a confirmed fix; `path` is the ``MatchOutput/path`` its ``MatchedFix/via`` points into.
    public mutating func append(_ fix: MatchedFix, path: [Int32], graph: RoadGraph) {
        guard let position = fix.position else { return }
        // A fix placed between lattice fixes only moves the route on along the road it is already on (the path
        // to the next lattice fix comes with that fix).
        if fix.isInterpolated && (last?.edge != position.edge || position.offset < last!.offset) { return }
        let edge = Int(position.edge)
        guard let last, !fix.startsChain else {
            pieces.append([Coordinate(latitude: position.latitude, longitude: position.longitude)])
            addWay(graph.wayID(edge))
            self.last = position
            return
        }
        let lastEdge = Int(last.edge)
        if lastEdge == edge && fix.via.isEmpty && position.offset >= last.offset {
            appendShape(graph, edge, from: Double(last.offset), to: Double(position.offset))
        } else if lastEdge == edge && fix.via.isEmpty {
            // Jitter backwards on the same road while standing: nothing driven.
            return
        } else if graph.twin(lastEdge) == edge && fix.via.isEmpty {
            // Turned round on the road: along it to the new position, whichever way that is.
            let length = graph.length(lastEdge)
            let turn = length - Double(position.offset)
            if turn >= Double(last.offset) {
                appendShape(graph, lastEdge, from: Double(last.offset), to: turn)
            } else {
                appendShape(graph, edge, from: length - Double(last.offset), to: Double(position.offset))
            }
            addWay(graph.wayID(edge))
        } else {
            appendShape(graph, lastEdge, from: Double(last.offset), to: graph.length(lastEdge))
            for via in path[fix.via] {
                appendShape(graph, Int(via), from: 0, to: graph.length(Int(via)))
            }
            appendShape(graph, edge, from: 0, to: Double(position.offset))
        }
        self.last = position
    }

    /// Adds the edge's shape between two offsets (the start point is already there).
    private mutating func appendShape(_ graph: RoadGraph, _ edge: Int, from start: Double, to end: Double) {
        addWay(graph.wayID(edge))
        guard end > start else { return }
        length += end - start
        graph.appendShape(
            of: CollectionOfOne(Int32(edge)),
            startOffset: start,
            endOffset: end,
            into: &pieces[pieces.count - 1]
        )
    }

    private mutating func addWay(_ way: Int64) {
        if ways.last != way { ways.append(way) }
    }
}
