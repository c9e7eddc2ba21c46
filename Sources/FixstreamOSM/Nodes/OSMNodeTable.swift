/// Node positions by OSM node id, compact: 16 bytes a node (the id, and latitude and longitude as whole
/// ten-millionths of a degree, OSM's own precision) in arrays sorted by id, found by binary search.
///
/// Nodes are appended as read. OSM files list nodes by increasing id, so the arrays are usually sorted already;
/// ``sort()`` puts them in order otherwise (the last position given for a repeated id wins). Lookups need a
/// sorted table.
public struct OSMNodeTable: Sendable {
    /// Node ids, sorted after ``sort()``.
    public private(set) var ids: [Int64] = []
    private var latitudes: [Int32] = []
    private var longitudes: [Int32] = []
    /// Whether the ids are strictly increasing.
    public private(set) var isSorted = true

    /// Stored units per degree.
    static let unitsPerDegree = 1e7

    /// Creates an empty table.
    public init() {}

    /// The number of nodes.
    public var count: Int { ids.count }

    /// Reserves room for `count` nodes.
    public mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        latitudes.reserveCapacity(count)
        longitudes.reserveCapacity(count)
    }

    /// Appends a node; returns false (and stores nothing) when the position is outside -90...90, -180...180.
    @discardableResult
    public mutating func append(id: Int64, latitude: Double, longitude: Double) -> Bool {
        guard (-90 ... 90).contains(latitude), (-180 ... 180).contains(longitude) else { return false }
        if let last = ids.last, id <= last { isSorted = false }
        ids.append(id)
        latitudes.append(Int32((latitude * Self.unitsPerDegree).rounded()))
        longitudes.append(Int32((longitude * Self.unitsPerDegree).rounded()))
        return true
    }

    /// Sorts the table by id if it is not sorted; of several positions for one id, the last appended stays.
    public mutating func sort() {
        if isSorted { return }
        // A stable sort of the positions by id, so equal ids keep their order and the last one can win.
        let order = ids.indices.sorted { ids[$0] < ids[$1] || (ids[$0] == ids[$1] && $0 < $1) }
        var sortedIDs: [Int64] = []
        var sortedLatitudes: [Int32] = []
        var sortedLongitudes: [Int32] = []
        sortedIDs.reserveCapacity(order.count)
        sortedLatitudes.reserveCapacity(order.count)
        sortedLongitudes.reserveCapacity(order.count)
        for index in order {
            if sortedIDs.last == ids[index] {
                sortedLatitudes[sortedLatitudes.count - 1] = latitudes[index]
                sortedLongitudes[sortedLongitudes.count - 1] = longitudes[index]
                continue
            }
            sortedIDs.append(ids[index])
            sortedLatitudes.append(latitudes[index])
            sortedLongitudes.append(longitudes[index])
        }
        ids = sortedIDs
        latitudes = sortedLatitudes
        longitudes = sortedLongitudes
        isSorted = true
    }

    /// The index of node `id`, or nil when absent. The table must be sorted.
    ///
    /// - Complexity: O(log n).
    public func index(of id: Int64) -> Int? {
        precondition(isSorted, "OSMNodeTable.index(of:) needs a sorted table: call sort() first")
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// The latitude of the node at `index`, degrees.
    public func latitude(at index: Int) -> Double { Double(latitudes[index]) / Self.unitsPerDegree }

    /// The longitude of the node at `index`, degrees.
    public func longitude(at index: Int) -> Double { Double(longitudes[index]) / Self.unitsPerDegree }

    /// The position of node `id`, or nil when absent. The table must be sorted.
    public func position(of id: Int64) -> (latitude: Double, longitude: Double)? {
        index(of: id).map { (latitude(at: $0), longitude(at: $0)) }
    }

    /// A table of the nodes at `indices` (ascending), in the same order.
    func subset(_ indices: some Sequence<Int>) -> OSMNodeTable {
        var table = OSMNodeTable()
        for index in indices {
            table.ids.append(ids[index])
            table.latitudes.append(latitudes[index])
            table.longitudes.append(longitudes[index])
        }
        table.isSorted = isSorted
        return table
    }
}
