/// What an import read, kept and skipped (by reason).
public struct OSMImportStatistics: Sendable, Equatable {
    /// Bytes of the file read.
    public var bytes = 0
    /// `<node>` elements read.
    public var nodes = 0
    /// Nodes refused for an id or a position that does not parse or is out of range (they count as missing for
    /// the ways that use them).
    public var nodesRejected = 0
    /// `<way>` elements read.
    public var ways = 0
    /// Ways kept as roads (whole or in pieces).
    public var waysKept = 0
    /// Kept ways cut into pieces around nodes without a position (a clipped extract's border).
    public var waysCut = 0
    /// References of kept ways to nodes without a position (missing from the file, or rejected).
    public var missingNodeReferences = 0
    /// `<relation>` elements read (not used: turn restrictions are not imported yet).
    public var relations = 0
    /// Distinct nodes used by the kept ways: the graph's nodes before the builder merges or drops any.
    public var usedNodes = 0
    /// Skipped ways by reason (reasons with no way are absent).
    public var skipped: [OSMSkipReason: Int] = [:]

    /// Creates empty statistics.
    public init() {}

    /// All skipped ways.
    public var waysSkipped: Int { skipped.values.reduce(0, +) }

    /// `not_a_road 1500, no_access 12`: the reasons with a count, in ``OSMSkipReason`` order; `none` when
    /// nothing was skipped.
    public var skippedSummary: String {
        let parts = OSMSkipReason.allCases.compactMap { reason in
            skipped[reason].map { "\(reason) \($0)" }
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// Counts one skipped way.
    mutating func skip(_ reason: OSMSkipReason) {
        skipped[reason, default: 0] += 1
    }
}
