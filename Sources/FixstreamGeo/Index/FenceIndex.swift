/// A spatial index over fences: which fences may matter for a position or a segment.
///
/// **Structure: a uniform grid in degrees, stored flat (compressed rows).** Each fence is listed in every cell
/// its bounding box (grown by its hysteresis) overlaps. The cell side is the median fence extent, so a typical
/// fence sits in 1 to 4 cells and a cell holds about as many fences as overlap there; it is raised if needed
/// so the grid has at most max(4 × fences, 4096) cells. A point query reads one cell (two offsets and a short
/// list of 32-bit indices) and tests each listed fence's box: a handful of nanoseconds, independent of how many
/// fences there are as long as their density is. Building is two counting passes, O(fences + entries): 100,000
/// fences take a few tens of milliseconds. An STR R-tree would adapt better to very uneven densities (a few
/// dense cities in a continent of sparse fences) but costs a tree descent per query; fleets' fences are
/// regional and the grid is the faster and simpler choice. Very large fences among small ones (a 50 km zone
/// among 200 m depots) are listed in many cells: memory, not query time.
///
/// **Margins** are per query: a fence is a candidate when its bounding box grown by `hysteresis + margin`
/// metres (latitude and longitude degrees converted at the fence's latitude, conservatively) meets the query.
/// Each candidate is reported once (a fence listed in several visited cells is reported only from the cell
/// holding the lower-left corner of the overlap), in no particular order.
///
/// **Antimeridian:** fences never cross it (``Fence`` refuses them). A segment query whose longitudes are more
/// than 180° apart is taken to cross it and searched as two boxes.
///
/// Immutable: queries may run concurrently from any number of threads. They allocate nothing once `result`
/// has capacity for the candidates.
public final class FenceIndex: Sendable {
    /// The indexed fences; candidates are indices into this array.
    public let fences: [Fence]

    /// Per fence: bounding box grown by its hysteresis, and degrees per metre at its latitude.
    private let boxes: ContiguousArray<IndexBox>
    /// Largest degrees-per-metre factors of any fence (to widen the cells searched for a margin).
    private let maxLatitudePerMetre: Double
    private let maxLongitudePerMetre: Double
    private let grid: Grid
    /// `cellStart[c] ..< cellStart[c + 1]` are the positions in `entries` of cell c's fences.
    private let cellStart: ContiguousArray<Int32>
    private let entries: ContiguousArray<Int32>

    /// Signed distance from a position to the fence at `position` in ``fences`` (see
    /// ``Fence/signedDistance(latitude:longitude:)``), without copying the fence: the per-candidate call of a
    /// geofence check.
    public func signedDistance(toFence position: Int32, latitude: Double, longitude: Double) -> Double {
        fences.withUnsafeBufferPointer { fences in
            let geometry = fences[Int(position)].geometry
            let point = geometry.projection.project(latitude: latitude, longitude: longitude)
            return geometry.signedDistance(x: point.x, y: point.y)
        }
    }

    /// Builds the index.
    ///
    /// - Parameter fences: the fences; at most `Int32.max` of them (ids are not checked for uniqueness here).
    /// - Complexity: O(n + entries), where entries is the number of (fence, cell) pairs, about 1 to 4 per fence.
    public init(_ fences: [Fence]) {
        precondition(fences.count < Int(Int32.max), "too many fences for 32-bit candidate indices")
        self.fences = fences
        var boxes = ContiguousArray<IndexBox>()
        boxes.reserveCapacity(fences.count)
        var maxLatitudePerMetre = 0.0
        var maxLongitudePerMetre = 0.0
        var extents: [Double] = []
        extents.reserveCapacity(fences.count)
        for fence in fences {
            let box = IndexBox(fence)
            boxes.append(box)
            maxLatitudePerMetre = max(maxLatitudePerMetre, box.latitudePerMetre)
            maxLongitudePerMetre = max(maxLongitudePerMetre, box.longitudePerMetre)
            extents.append(max(box.maxLatitude - box.minLatitude, box.maxLongitude - box.minLongitude))
        }
        self.boxes = boxes
        self.maxLatitudePerMetre = maxLatitudePerMetre
        self.maxLongitudePerMetre = maxLongitudePerMetre
        grid = Grid(boxes: boxes, extents: &extents)

        // Counting sort of (cell, fence) pairs into compressed rows; fences ascend within a cell.
        var counts = ContiguousArray<Int32>(repeating: 0, count: grid.cellCount + 1)
        for box in boxes {
            let (x0, x1, y0, y1) = grid.cells(of: box)
            for y in y0 ... y1 {
                for x in x0 ... x1 { counts[y * grid.columns + x + 1] += 1 }
            }
        }
        for cell in 0 ..< grid.cellCount { counts[cell + 1] += counts[cell] }
        var next = counts
        var entries = ContiguousArray<Int32>(repeating: 0, count: Int(counts[grid.cellCount]))
        for (index, box) in boxes.enumerated() {
            let (x0, x1, y0, y1) = grid.cells(of: box)
            for y in y0 ... y1 {
                for x in x0 ... x1 {
                    let cell = y * grid.columns + x
                    entries[Int(next[cell])] = Int32(index)
                    next[cell] += 1
                }
            }
        }
        cellStart = counts
        self.entries = entries
    }

    /// Collects the fences whose bounding box, grown by their hysteresis plus `margin` metres, contains the
    /// position.
    ///
    /// - Parameters:
    ///   - latitude: degrees.
    ///   - longitude: degrees.
    ///   - margin: extra metres on top of each fence's hysteresis (for example the fix's accuracy); negative
    ///     counts as 0.
    ///   - result: cleared, then filled with indices into ``fences``, each once, in no particular order. Keep
    ///     the array between calls: no allocation once it has grown to the largest candidate count.
    /// - Complexity: O(fences listed in the cells searched); one cell when the margin is smaller than a cell.
    public func candidates(latitude: Double, longitude: Double, margin: Double, into result: inout [Int32]) {
        result.removeAll(keepingCapacity: true)
        search(
            minLatitude: latitude,
            maxLatitude: latitude,
            minLongitude: longitude,
            maxLongitude: longitude,
            margin: margin > 0 ? margin : 0,
            into: &result
        )
    }

    /// Collects the fences whose bounding box, grown by their hysteresis plus `margin` metres, meets the
    /// bounding box of the segment between two positions (a superset of the fences the segment comes near).
    ///
    /// - Parameters:
    ///   - fromLatitude: start, degrees.
    ///   - fromLongitude: start, degrees.
    ///   - toLatitude: end, degrees.
    ///   - toLongitude: end, degrees. When the longitudes are more than 180° apart the segment is taken to
    ///     cross the antimeridian.
    ///   - margin: extra metres on top of each fence's hysteresis; negative counts as 0.
    ///   - result: cleared, then filled with indices into ``fences``, each once, in no particular order.
    /// - Complexity: O(cells covered by the segment's box + fences listed there).
    public func candidates(
        fromLatitude: Double,
        fromLongitude: Double,
        toLatitude: Double,
        toLongitude: Double,
        margin: Double,
        into result: inout [Int32]
    ) {
        result.removeAll(keepingCapacity: true)
        let margin = margin > 0 ? margin : 0
        let minLatitude = min(fromLatitude, toLatitude)
        let maxLatitude = max(fromLatitude, toLatitude)
        let west = min(fromLongitude, toLongitude)
        let east = max(fromLongitude, toLongitude)
        if east - west > 180 {
            // Across the antimeridian: [east, 180] and [-180, west]. No fence lies in both.
            search(
                minLatitude: minLatitude,
                maxLatitude: maxLatitude,
                minLongitude: east,
                maxLongitude: 180,
                margin: margin,
                into: &result
            )
            search(
                minLatitude: minLatitude,
                maxLatitude: maxLatitude,
                minLongitude: -180,
                maxLongitude: west,
                margin: margin,
                into: &result
            )
        } else {
            search(
                minLatitude: minLatitude,
                maxLatitude: maxLatitude,
                minLongitude: west,
                maxLongitude: east,
                margin: margin,
                into: &result
            )
        }
    }

    private func search(
        minLatitude: Double,
        maxLatitude: Double,
        minLongitude: Double,
        maxLongitude: Double,
        margin: Double,
        into result: inout [Int32]
    ) {
        // Cells to visit: the query box widened by the margin at the largest degrees-per-metre of any fence.
        let searchMinLatitude = minLatitude - margin * maxLatitudePerMetre
        let searchMaxLatitude = maxLatitude + margin * maxLatitudePerMetre
        let searchMinLongitude = minLongitude - margin * maxLongitudePerMetre
        let searchMaxLongitude = maxLongitude + margin * maxLongitudePerMetre
        guard
            searchMaxLatitude >= grid.minLatitude, searchMinLatitude <= grid.maxLatitude,
            searchMaxLongitude >= grid.minLongitude, searchMinLongitude <= grid.maxLongitude
        else { return }  // also for NaN
        let x0 = grid.column(searchMinLongitude)
        let x1 = grid.column(searchMaxLongitude)
        let y0 = grid.row(searchMinLatitude)
        let y1 = grid.row(searchMaxLatitude)
        let single = x0 == x1 && y0 == y1
        for y in y0 ... y1 {
            for x in x0 ... x1 {
                let cell = y * grid.columns + x
                for entry in Int(cellStart[cell]) ..< Int(cellStart[cell + 1]) {
                    let index = entries[entry]
                    let box = boxes[Int(index)]
                    let growLatitude = margin * box.latitudePerMetre
                    let growLongitude = margin * box.longitudePerMetre
                    guard
                        box.minLatitude - growLatitude <= maxLatitude, box.maxLatitude + growLatitude >= minLatitude,
                        box.minLongitude - growLongitude <= maxLongitude,
                        box.maxLongitude + growLongitude >= minLongitude
                    else { continue }
                    // Report from one cell only: the one holding the overlap's lower-left corner.
                    if single
                        || (grid.column(max(box.minLongitude, searchMinLongitude)) == x
                            && grid.row(max(box.minLatitude, searchMinLatitude)) == y)
                    {
                        result.append(index)
                    }
                }
            }
        }
    }
}
