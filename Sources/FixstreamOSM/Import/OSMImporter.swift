import FixstreamRoads
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads an OpenStreetMap XML file (`.osm`) into road ways and the positions of their nodes.
///
/// Streams the file through FoundationXML's `XMLParser(stream:)` (constant memory for the XML itself: `XMLParser(data:)`
/// fails on documents over about 10 MB), keeping every node position in an ``OSMNodeTable`` (16 bytes a node)
/// and the ways ``OSMTagPolicy`` keeps. Nodes may come before or after the ways that use them. At the end, a kept
/// way with nodes that have no position (cut off by a clipped extract) is cut around them into pieces of two or
/// more positioned nodes, as the road network builder would; a way with no such piece is skipped
/// (``OSMSkipReason/missingNodes``). Only the nodes the kept ways use are returned.
///
/// Bad content never stops an import: each way left out is counted by reason in
/// ``OSMImportStatistics/skipped``, each unreadable node in ``OSMImportStatistics/nodesRejected``. Only a file
/// that cannot be read, is not well-formed XML, or is not an `<osm>` document is an error.
public struct OSMImporter: Sendable {
    /// How often ``importFile(atPath:progress:)`` reports progress while reading.
    public var progressInterval: Duration = .seconds(2)

    /// Creates an importer.
    public init() {}

    /// Imports the OSM XML file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - progress: Called on the calling thread every ``progressInterval`` while reading (not at the end).
    /// - Returns: The kept ways, the positions of their nodes, and the counters.
    /// - Throws: ``OSMImportError`` with ``OSMImportError/Code/io`` (cannot read),
    ///   ``OSMImportError/Code/malformedXML`` (with the line) or ``OSMImportError/Code/notOSM``.
    /// - Complexity: O(n log n) for n node references; memory 16 bytes per node plus the kept ways.
    public func importFile(
        atPath path: String,
        progress: ((OSMImportProgress) -> Void)? = nil
    ) throws(OSMImportError) -> OSMImport {
        let start = ContinuousClock.now
        let stream = try OSMFileStream(path: path)
        let reader = OSMReader(stream: stream, progressInterval: progressInterval, start: start, progress: progress)
        let parser = XMLParser(stream: stream)
        parser.delegate = reader
        let parsed = parser.parse()
        if let failure = stream.failure {
            throw OSMImportError(.io, "cannot read: \(failure)", path: path)
        }
        if let failure = reader.failure {
            throw OSMImportError(failure.code, failure.message, path: path, line: failure.line)
        }
        if !parsed {
            let message = parser.parserError.map(OSMReader.describe) ?? "the XML parser failed"
            throw OSMImportError(.malformedXML, message, path: path, line: parser.lineNumber)
        }
        guard reader.sawRoot else {
            throw OSMImportError(.notOSM, "no <osm> element: the file is empty", path: path)
        }
        var statistics = reader.statistics
        statistics.bytes = stream.bytesRead
        return Self.resolve(ways: reader.ways, nodes: reader.nodes, statistics: statistics)
    }

    /// Checks every kept way's nodes against the table: a way is cut around nodes without a position into runs
    /// of at least two positioned nodes (counted in ``OSMImportStatistics/waysCut``), or skipped and counted when
    /// no run is left. The result holds only the nodes the remaining ways use.
    static func resolve(ways: [RoadWay], nodes: OSMNodeTable, statistics: OSMImportStatistics) -> OSMImport {
        var nodes = nodes
        var statistics = statistics
        nodes.sort()
        var used = [Bool](repeating: false, count: nodes.count)
        var kept: [RoadWay] = []
        kept.reserveCapacity(ways.count)
        var run: [Int64] = []
        var runIndices: [Int] = []
        for way in ways {
            var pieces = 0
            var missing = 0
            func endRun() {
                if run.count >= 2 {
                    var piece = way
                    piece.nodes = run
                    kept.append(piece)
                    pieces += 1
                    for index in runIndices { used[index] = true }
                }
                run.removeAll(keepingCapacity: true)
                runIndices.removeAll(keepingCapacity: true)
            }
            for ref in way.nodes {
                guard let index = nodes.index(of: ref) else {
                    missing += 1
                    endRun()
                    continue
                }
                run.append(ref)
                runIndices.append(index)
            }
            endRun()
            statistics.missingNodeReferences += missing
            if pieces == 0 {
                statistics.skip(.missingNodes)
            } else {
                statistics.waysKept += 1
                if missing > 0 { statistics.waysCut += 1 }
            }
        }
        let usedNodes = nodes.subset(used.indices.lazy.filter { used[$0] })
        statistics.usedNodes = usedNodes.count
        return OSMImport(ways: kept, nodes: usedNodes, statistics: statistics)
    }
}
