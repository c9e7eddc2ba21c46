#if canImport(Glibc)
    import Glibc
#endif

/// Builds the uniform grid that indexes edges by position: each cell lists the edges whose shape passes through
/// it (by the bounding box of each straight piece).
enum EdgeGridBuilder {
    /// The smallest cell side, metres: about a city block, so a 50 m search reads a handful of cells.
    static let minimumCellSize = 100.0
    /// The most cells a grid may have, whatever the area (a sparse country-wide graph gets bigger cells).
    static let maximumCells = 1 << 24

    static func build(
        edgeCount: Int,
        shapeStarts: [UInt32],
        latitudes: [Int32],
        longitudes: [Int32]
    ) -> (GridGeometry, cellStarts: [UInt32], entries: [UInt32]) {
        guard let minLatitude = latitudes.min(), let maxLatitude = latitudes.max(),
            let minLongitude = longitudes.min(), let maxLongitude = longitudes.max()
        else {
            let empty = GridGeometry(
                minLatitude: 0,
                minLongitude: 0,
                cellLatitude: 1,
                cellLongitude: 1,
                columns: 1,
                rows: 1
            )
            return (empty, [0, 0], [])
        }
        let metresPerUnit = 111_195.0 * 1e-7
        let middle = (Double(minLatitude) + Double(maxLatitude)) * 0.5e-7
        let cosine = max(0.01, cos(middle * .pi / 180))
        let height = Double(maxLatitude - minLatitude) * metresPerUnit + 1
        let width = Double(maxLongitude - minLongitude) * metresPerUnit * cosine + 1
        var cell = max(minimumCellSize, (width * height / Double(max(1, edgeCount))).squareRoot())
        while (width / cell + 1) * (height / cell + 1) > Double(maximumCells) { cell *= 1.5 }
        let cellLatitude = Int32(max(1, (cell / metresPerUnit).rounded(.up)))
        let cellLongitude = Int32(max(1, (cell / (metresPerUnit * cosine)).rounded(.up)))
        let grid = GridGeometry(
            minLatitude: minLatitude,
            minLongitude: minLongitude,
            cellLatitude: cellLatitude,
            cellLongitude: cellLongitude,
            columns: Int((Int64(maxLongitude) - Int64(minLongitude)) / Int64(cellLongitude)) + 1,
            rows: Int((Int64(maxLatitude) - Int64(minLatitude)) / Int64(cellLatitude)) + 1
        )
        // (cell << 32 | edge), sorted and deduplicated, then counted per cell.
        var pairs: [UInt64] = []
        pairs.reserveCapacity(latitudes.count * 2)
        for edge in 0 ..< edgeCount {
            for point in Int(shapeStarts[edge]) ..< Int(shapeStarts[edge + 1]) - 1 {
                let row0 = grid.row(Int64(latitudes[point]))
                let row1 = grid.row(Int64(latitudes[point + 1]))
                let column0 = grid.column(Int64(longitudes[point]))
                let column1 = grid.column(Int64(longitudes[point + 1]))
                for row in min(row0, row1) ... max(row0, row1) {
                    for column in min(column0, column1) ... max(column0, column1) {
                        pairs.append(UInt64(row * grid.columns + column) << 32 | UInt64(edge))
                    }
                }
            }
        }
        pairs.sort()
        var cellStarts = [UInt32](repeating: 0, count: grid.cellCount + 1)
        var entries: [UInt32] = []
        entries.reserveCapacity(pairs.count)
        var previous = UInt64.max
        for pair in pairs where pair != previous {
            previous = pair
            cellStarts[Int(pair >> 32) + 1] += 1
            entries.append(UInt32(truncatingIfNeeded: pair))
        }
        for index in 0 ..< grid.cellCount { cellStarts[index + 1] += cellStarts[index] }
        return (grid, cellStarts, entries)
    }
}
