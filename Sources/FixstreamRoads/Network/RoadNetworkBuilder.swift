import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

/// Builds a ``RoadGraph`` from OpenStreetMap nodes and routable ways, in any order.
///
/// Ways are cut into edges at junctions (nodes that two ways share, or one way visits twice) and at their ends;
/// the nodes between stay as shape points. A one-way road gives one directed edge per piece, a two-way road two
/// (twins). A way that refers to nodes without a position is split around them, as clipped extracts do at their
/// border.
public struct RoadNetworkBuilder {
    /// Node positions in 1e-7 degrees by OSM id.
    private var positions: [Int64: (latitude: Int32, longitude: Int32)] = [:]
    private var roadWays: [RoadWay] = []

    /// Node references that had no position (dropped at build).
    public private(set) var missingNodeReferences = 0
    /// Ways left with fewer than two positioned nodes (dropped at build).
    public private(set) var droppedWays = 0

    /// An empty network.
    public init() {}

    /// Adds the position of an OSM node. Nodes no way uses are ignored at build.
    public mutating func addNode(id: Int64, latitude: Double, longitude: Double) {
        positions[id] = (Int32((latitude * 1e7).rounded()), Int32((longitude * 1e7).rounded()))
    }

    /// Adds a routable way.
    public mutating func addWay(_ way: RoadWay) {
        roadWays.append(way)
    }

    /// Builds the graph.
    /// - Complexity: O(n log n) in the number of way nodes.
    public mutating func build() -> RoadGraph {
        var draft = Draft()
        let pieces = splitAtMissingNodes()
        var uses: [Int64: Int32] = [:]
        for piece in pieces {
            for (index, node) in piece.nodes.enumerated() {
                let isEnd = index == 0 || index == piece.nodes.count - 1
                uses[node, default: 0] += isEnd ? 2 : 1
            }
        }
        var nodeIndex: [Int64: UInt32] = [:]
        func junction(_ id: Int64) -> UInt32 {
            if let index = nodeIndex[id] { return index }
            let index = UInt32(draft.nodeLatitudes.count)
            let position = positions[id]!
            draft.nodeLatitudes.append(position.latitude)
            draft.nodeLongitudes.append(position.longitude)
            nodeIndex[id] = index
            return index
        }
        for piece in pieces {
            let name = draft.intern(piece.way.name)
            let ref = draft.intern(piece.way.ref)
            var start = 0
            for index in 1 ..< piece.nodes.count where uses[piece.nodes[index]]! >= 2 {
                let shape = piece.nodes[start ... index].map { positions[$0]! }
                draft.addRoad(
                    tail: junction(piece.nodes[start]),
                    head: junction(piece.nodes[index]),
                    shape: shape,
                    way: piece.way,
                    name: name,
                    ref: ref
                )
                start = index
            }
        }
        return draft.finish()
    }

    /// The ways cut into runs of consecutive positioned nodes, repeated nodes in a row merged; runs of fewer than
    /// two nodes dropped.
    private mutating func splitAtMissingNodes() -> [(way: RoadWay, nodes: [Int64])] {
        var pieces: [(way: RoadWay, nodes: [Int64])] = []
        for way in roadWays {
            var run: [Int64] = []
            var kept = false
            func flush() {
                if run.count >= 2 {
                    pieces.append((way, run))
                    kept = true
                }
                run.removeAll()
            }
            for node in way.nodes {
                guard positions[node] != nil else {
                    missingNodeReferences += 1
                    flush()
                    continue
                }
                if run.last != node { run.append(node) }
            }
            flush()
            if !kept { droppedWays += 1 }
        }
        return pieces
    }
}

/// The graph's arrays while they are being built, edges in creation order.
private struct Draft {
    var nodeLatitudes: [Int32] = []
    var nodeLongitudes: [Int32] = []
    var tails: [UInt32] = []
    var heads: [UInt32] = []
    var lengths: [Float] = []
    var speeds: [Float] = []
    var speedLimits: [Float] = []
    var ways: [Int64] = []
    var names: [UInt32] = []
    var refs: [UInt32] = []
    var twins: [UInt32] = []
    var classes: [UInt8] = []
    var shapeStarts: [UInt32] = [0]
    var shapeLatitudes: [Int32] = []
    var shapeLongitudes: [Int32] = []
    var strings: [String] = [""]
    var stringIndex: [String: UInt32] = ["": 0]

    mutating func intern(_ string: String) -> UInt32 {
        if let index = stringIndex[string] { return index }
        let index = UInt32(strings.count)
        strings.append(string)
        stringIndex[string] = index
        return index
    }

    /// Adds the directed edges of one road piece.
    mutating func addRoad(
        tail: UInt32,
        head: UInt32,
        shape: [(latitude: Int32, longitude: Int32)],
        way: RoadWay,
        name: UInt32,
        ref: UInt32
    ) {
        var length = 0.0
        for index in 1 ..< shape.count {
            length += GreatCircle.shortDistance(
                latitude1: Double(shape[index - 1].latitude) * 1e-7,
                longitude1: Double(shape[index - 1].longitude) * 1e-7,
                latitude2: Double(shape[index].latitude) * 1e-7,
                longitude2: Double(shape[index].longitude) * 1e-7
            )
        }
        let forward = way.direction != .backward ? addEdge(tail, head, shape, length, way, name, ref) : nil
        let backward =
            way.direction != .forward ? addEdge(head, tail, shape.reversed(), length, way, name, ref) : nil
        if let forward, let backward {
            twins[forward] = UInt32(backward)
            twins[backward] = UInt32(forward)
        }
    }

    private mutating func addEdge(
        _ tail: UInt32,
        _ head: UInt32,
        _ shape: [(latitude: Int32, longitude: Int32)],
        _ length: Double,
        _ way: RoadWay,
        _ name: UInt32,
        _ ref: UInt32
    ) -> Int {
        tails.append(tail)
        heads.append(head)
        lengths.append(Float(length))
        speeds.append(way.travelSpeed)
        speedLimits.append(way.speedLimit ?? 0)
        ways.append(way.id)
        names.append(name)
        refs.append(ref)
        twins.append(UInt32.max)
        classes.append(way.roadClass.rawValue)
        for point in shape {
            shapeLatitudes.append(point.latitude)
            shapeLongitudes.append(point.longitude)
        }
        shapeStarts.append(UInt32(shapeLatitudes.count))
        return tails.count - 1
    }

    /// Orders the edges by tail node, indexes them and lays everything out as the graph file's image.
    func finish() -> RoadGraph {
        let nodeCount = nodeLatitudes.count
        let edgeCount = tails.count
        // Counting sort of the edges by tail, stable: `order[new] = old`.
        var firstOut = [UInt32](repeating: 0, count: nodeCount + 1)
        for tail in tails { firstOut[Int(tail) + 1] += 1 }
        for node in 0 ..< nodeCount { firstOut[node + 1] += firstOut[node] }
        var next = firstOut
        var order = [Int](repeating: 0, count: edgeCount)
        var renumbered = [UInt32](repeating: 0, count: edgeCount)
        for edge in 0 ..< edgeCount {
            let slot = Int(next[Int(tails[edge])])
            next[Int(tails[edge])] += 1
            order[slot] = edge
            renumbered[edge] = UInt32(slot)
        }
        var shapeStartsSorted: [UInt32] = [0]
        var shapeLatitudesSorted: [Int32] = []
        var shapeLongitudesSorted: [Int32] = []
        shapeLatitudesSorted.reserveCapacity(shapeLatitudes.count)
        shapeLongitudesSorted.reserveCapacity(shapeLongitudes.count)
        for old in order {
            for point in Int(shapeStarts[old]) ..< Int(shapeStarts[old + 1]) {
                shapeLatitudesSorted.append(shapeLatitudes[point])
                shapeLongitudesSorted.append(shapeLongitudes[point])
            }
            shapeStartsSorted.append(UInt32(shapeLatitudesSorted.count))
        }
        let (grid, cellStarts, cellEntries) = EdgeGridBuilder.build(
            edgeCount: edgeCount,
            shapeStarts: shapeStartsSorted,
            latitudes: shapeLatitudesSorted,
            longitudes: shapeLongitudesSorted
        )
        var stringStarts: [UInt32] = [0]
        var stringBytes: [UInt8] = []
        for string in strings {
            stringBytes.append(contentsOf: string.utf8)
            stringStarts.append(UInt32(stringBytes.count))
        }
        let layout = RoadGraphLayout(
            nodeCount: nodeCount,
            edgeCount: edgeCount,
            shapePointCount: shapeLatitudesSorted.count,
            stringCount: strings.count,
            stringByteCount: stringBytes.count,
            grid: grid,
            gridEntryCount: cellEntries.count
        )
        let image = UnsafeMutableRawBufferPointer.allocate(byteCount: layout.totalSize, alignment: 8)
        defer { image.deallocate() }
        image.initializeMemory(as: UInt8.self, repeating: 0)
        image.copyBytes(from: RoadGraphLayout.magic)
        for (index, word) in layout.headerWords.enumerated() {
            image.storeBytes(of: word, toByteOffset: 8 + index * 4, as: UInt32.self)
        }
        func put<T>(_ values: [T], at offset: Int) {
            values.withUnsafeBytes { source in
                guard let address = source.baseAddress else { return }
                (image.baseAddress! + offset).copyMemory(from: address, byteCount: source.count)
            }
        }
        func sorted<T>(_ values: [T]) -> [T] { order.map { values[$0] } }
        put(nodeLatitudes, at: layout.nodeLatitude)
        put(nodeLongitudes, at: layout.nodeLongitude)
        put(firstOut, at: layout.firstOut)
        put(sorted(tails), at: layout.edgeTail)
        put(sorted(heads), at: layout.edgeHead)
        put(sorted(lengths), at: layout.edgeLength)
        put(sorted(speeds), at: layout.edgeSpeed)
        put(sorted(speedLimits), at: layout.edgeSpeedLimit)
        put(sorted(ways), at: layout.edgeWay)
        put(sorted(names), at: layout.edgeName)
        put(sorted(refs), at: layout.edgeRef)
        put(sorted(twins).map { $0 == UInt32.max ? $0 : renumbered[Int($0)] }, at: layout.edgeTwin)
        put(sorted(classes), at: layout.edgeClass)
        put(shapeStartsSorted, at: layout.firstShapePoint)
        put(shapeLatitudesSorted, at: layout.shapeLatitude)
        put(shapeLongitudesSorted, at: layout.shapeLongitude)
        put(stringStarts, at: layout.stringStart)
        put(stringBytes, at: layout.stringBytes)
        put(cellStarts, at: layout.cellStart)
        put(cellEntries, at: layout.cellEntries)
        do {
            return try RoadGraph(image: UnsafeRawBufferPointer(image))
        } catch {
            preconditionFailure("the builder laid out a graph its own check refuses: \(error)")
        }
    }
}
