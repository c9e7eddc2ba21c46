/// A uniform grid of a plane (metres east and north of some origin) listing items by cell, for "what is near this
/// point": each item is listed in every cell its bounding box touches. Only the cells items touch are stored
/// (sorted keys, then the items of each in one array), so a grid over a long route costs what the route covers,
/// not the area around it: the trip follower keeps one per vehicle.
public struct PlaneCells: Sendable {
    /// Side of a cell, metres.
    public let cell: Double
    private var keys: [Int64] = []
    /// `starts[i] ..< starts[i + 1]` indexes `items` for the cell `keys[i]`.
    private var starts: [Int32] = []
    private var items: [Int32] = []

    /// Cells beyond this many from the origin are not stored (and a point beyond finds nothing): about the
    /// distance to the Moon in metre cells, far past any plane a local projection makes.
    private static let limit = 1_000_000_000.0

    /// A grid of `cell`-metre cells listing each box's index in the cells it touches.
    public init(cell: Double, boxes: [(minX: Double, minY: Double, maxX: Double, maxY: Double)]) {
        self.cell = cell
        var entries: [(key: Int64, item: Int32)] = []
        for (index, box) in boxes.enumerated() {
            guard let x0 = Self.index(box.minX / cell), let x1 = Self.index(box.maxX / cell),
                let y0 = Self.index(box.minY / cell), let y1 = Self.index(box.maxY / cell)
            else { continue }
            for x in x0 ... max(x0, x1) {
                for y in y0 ... max(y0, y1) { entries.append((Self.key(x, y), Int32(index))) }
            }
        }
        entries.sort { ($0.key, $0.item) < ($1.key, $1.item) }
        items.reserveCapacity(entries.count)
        for entry in entries {
            if keys.last != entry.key {
                keys.append(entry.key)
                starts.append(Int32(items.count))
            }
            items.append(entry.item)
        }
        starts.append(Int32(items.count))
    }

    /// Calls `body` with each item listed in the cells within `reach` cells of the cell of (`x`, `y`), cell by cell
    /// and in index order within a cell (an item may come more than once).
    @inline(__always)
    public func forEach(nearX x: Double, y: Double, reach: Int, _ body: (Int) -> Void) {
        guard let column = Self.index(x / cell), let row = Self.index(y / cell) else { return }
        for cy in row - reach ... row + reach {
            for cx in column - reach ... column + reach {
                guard let slot = slot(Self.key(cx, cy)) else { continue }
                for entry in Int(starts[slot]) ..< Int(starts[slot + 1]) { body(Int(items[entry])) }
            }
        }
    }

    /// The cell index of a coordinate in cells, or nil when it is not a number or beyond ``limit``.
    @inline(__always)
    private static func index(_ cells: Double) -> Int? {
        guard cells > -limit && cells < limit else { return nil }
        return Int(cells.rounded(.down))
    }

    @inline(__always)
    private static func key(_ x: Int, _ y: Int) -> Int64 {
        (Int64(truncatingIfNeeded: x) << 32) | Int64(UInt32(truncatingIfNeeded: y))
    }

    private func slot(_ key: Int64) -> Int? {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key ? low : nil
    }
}
