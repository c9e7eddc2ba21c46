public import FixstreamRoads

/// The road ways an OpenStreetMap file holds, with the positions of the nodes they use, ready for the road
/// network builder.
public struct OSMImport: Sendable {
    /// The kept ways, in file order; each has at least two nodes, all of them in ``nodes``. A way cut around
    /// missing nodes appears once per piece, with the same id.
    public var ways: [RoadWay]
    /// The positions of exactly the nodes the kept ways use, sorted by id.
    public var nodes: OSMNodeTable
    /// What was read, kept and skipped.
    public var statistics: OSMImportStatistics

    /// Creates an import result.
    public init(ways: [RoadWay], nodes: OSMNodeTable, statistics: OSMImportStatistics) {
        self.ways = ways
        self.nodes = nodes
        self.statistics = statistics
    }
}
