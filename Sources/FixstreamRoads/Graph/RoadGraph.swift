public import FixstreamGeo

/// A road network as a directed graph: junctions as nodes, the road pieces between them as edges with their
/// shape, length, travel speed, speed limit, OSM way id, name and road class, and a grid index of edges by
/// position.
///
/// Immutable and shared by every thread that matches or routes. It is a view over one block of memory laid out as
/// ``RoadGraphLayout`` describes, the same bytes the graph file holds: ``load(path:)`` maps the file and checks it,
/// with nothing to parse. Node and shape positions are kept as 1e-7 degrees (OpenStreetMap's own precision).
public final class RoadGraph: @unchecked Sendable {
    /// How many nodes (junctions and dead ends).
    public let nodeCount: Int
    /// How many directed edges (a two-way road piece is two).
    public let edgeCount: Int
    /// How many shape points all edges have together.
    public let shapePointCount: Int

    let layout: RoadGraphLayout
    let base: UnsafeRawPointer
    private let release: @Sendable (UnsafeRawPointer) -> Void

    let nodeLatitudes: UnsafePointer<Int32>
    let nodeLongitudes: UnsafePointer<Int32>
    let firstOut: UnsafePointer<UInt32>
    let tails: UnsafePointer<UInt32>
    let heads: UnsafePointer<UInt32>
    let lengths: UnsafePointer<Float>
    let speeds: UnsafePointer<Float>
    let speedLimits: UnsafePointer<Float>
    let ways: UnsafePointer<Int64>
    let names: UnsafePointer<UInt32>
    let refs: UnsafePointer<UInt32>
    let twins: UnsafePointer<UInt32>
    let classes: UnsafePointer<UInt8>
    let firstShapePoint: UnsafePointer<UInt32>
    let shapeLatitudes: UnsafePointer<Int32>
    let shapeLongitudes: UnsafePointer<Int32>
    let stringStarts: UnsafePointer<UInt32>
    let stringBytes: UnsafePointer<UInt8>
    let cellStarts: UnsafePointer<UInt32>
    let cellEntries: UnsafePointer<UInt32>
    let grid: GridGeometry

    /// Wraps memory laid out as `layout` says, already checked; `release` frees it when the graph goes.
    init(layout: RoadGraphLayout, base: UnsafeRawPointer, release: @escaping @Sendable (UnsafeRawPointer) -> Void) {
        self.layout = layout
        self.base = base
        self.release = release
        nodeCount = layout.nodeCount
        edgeCount = layout.edgeCount
        shapePointCount = layout.shapePointCount
        grid = layout.grid
        func at<T>(_ offset: Int, _: T.Type) -> UnsafePointer<T> {
            (base + offset).assumingMemoryBound(to: T.self)
        }
        nodeLatitudes = at(layout.nodeLatitude, Int32.self)
        nodeLongitudes = at(layout.nodeLongitude, Int32.self)
        firstOut = at(layout.firstOut, UInt32.self)
        tails = at(layout.edgeTail, UInt32.self)
        heads = at(layout.edgeHead, UInt32.self)
        lengths = at(layout.edgeLength, Float.self)
        speeds = at(layout.edgeSpeed, Float.self)
        speedLimits = at(layout.edgeSpeedLimit, Float.self)
        ways = at(layout.edgeWay, Int64.self)
        names = at(layout.edgeName, UInt32.self)
        refs = at(layout.edgeRef, UInt32.self)
        twins = at(layout.edgeTwin, UInt32.self)
        classes = at(layout.edgeClass, UInt8.self)
        firstShapePoint = at(layout.firstShapePoint, UInt32.self)
        shapeLatitudes = at(layout.shapeLatitude, Int32.self)
        shapeLongitudes = at(layout.shapeLongitude, Int32.self)
        stringStarts = at(layout.stringStart, UInt32.self)
        stringBytes = at(layout.stringBytes, UInt8.self)
        cellStarts = at(layout.cellStart, UInt32.self)
        cellEntries = at(layout.cellEntries, UInt32.self)
    }

    deinit {
        release(base)
    }

    /// The file image: the bytes ``write(toFile:)`` writes.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: layout.totalSize)
    }

    // MARK: Nodes

    /// Where node `node` is.
    @inlinable
    public func coordinate(ofNode node: Int) -> Coordinate {
        Coordinate(latitude: nodeLatitude(node), longitude: nodeLongitude(node))
    }

    @usableFromInline
    func nodeLatitude(_ node: Int) -> Double { Double(nodeLatitudes[node]) * 1e-7 }

    @usableFromInline
    func nodeLongitude(_ node: Int) -> Double { Double(nodeLongitudes[node]) * 1e-7 }

    /// The edges leaving `node`.
    @inline(__always)
    public func outgoing(_ node: Int) -> Range<Int> {
        Int(firstOut[node]) ..< Int(firstOut[node + 1])
    }

    // MARK: Edges

    /// The node edge `edge` leaves.
    @inline(__always)
    public func tail(_ edge: Int) -> Int { Int(tails[edge]) }

    /// The node edge `edge` leads to.
    @inline(__always)
    public func head(_ edge: Int) -> Int { Int(heads[edge]) }

    /// The edge's length along its shape, metres.
    @inline(__always)
    public func length(_ edge: Int) -> Double { Double(lengths[edge]) }

    /// The speed for travel times on the edge, metres per second.
    @inline(__always)
    public func speed(_ edge: Int) -> Double { Double(speeds[edge]) }

    /// The tagged speed limit, metres per second, or nil when the way has none.
    public func speedLimit(_ edge: Int) -> Double? {
        let limit = speedLimits[edge]
        return limit > 0 ? Double(limit) : nil
    }

    /// The OSM way the edge is part of.
    @inline(__always)
    public func wayID(_ edge: Int) -> Int64 { ways[edge] }

    /// The road's name, or empty.
    public func name(_ edge: Int) -> String { string(Int(names[edge])) }

    /// The road's number (`ref`), or empty.
    public func ref(_ edge: Int) -> String { string(Int(refs[edge])) }

    /// The road's class.
    public func roadClass(_ edge: Int) -> RoadClass { RoadClass(rawValue: classes[edge]) ?? .unclassified }

    /// The same road piece driven the other way, on a two-way road.
    @inline(__always)
    public func twin(_ edge: Int) -> Int? {
        let twin = twins[edge]
        return twin == UInt32.max ? nil : Int(twin)
    }

    /// The indices of the edge's shape points (tail first, head last) for ``shapePoint(_:)``.
    @inline(__always)
    public func shape(_ edge: Int) -> Range<Int> {
        Int(firstShapePoint[edge]) ..< Int(firstShapePoint[edge + 1])
    }

    /// A shape point, degrees.
    @inline(__always)
    public func shapePoint(_ index: Int) -> Coordinate {
        Coordinate(latitude: Double(shapeLatitudes[index]) * 1e-7, longitude: Double(shapeLongitudes[index]) * 1e-7)
    }

    /// The string at `index` of the string table (0 is the empty string).
    func string(_ index: Int) -> String {
        let start = Int(stringStarts[index])
        let end = Int(stringStarts[index + 1])
        return String(decoding: UnsafeBufferPointer(start: stringBytes + start, count: end - start), as: UTF8.self)
    }
}
