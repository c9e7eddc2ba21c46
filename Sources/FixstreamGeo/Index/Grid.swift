/// The uniform grid under ``FenceIndex``: extent, cell side and cell arithmetic, in degrees.
struct Grid: Sendable {
    let minLatitude: Double
    let maxLatitude: Double
    let minLongitude: Double
    let maxLongitude: Double
    let columns: Int
    let rows: Int
    /// Cells per degree.
    let scale: Double

    var cellCount: Int { columns * rows }

    /// Chooses the extent (all boxes) and the cell side (median box extent, at least 0.0001°, raised so there
    /// are at most max(4 × boxes, 4096) cells). `extents` is reordered.
    init(boxes: ContiguousArray<IndexBox>, extents: inout [Double]) {
        guard !boxes.isEmpty else {
            (minLatitude, maxLatitude, minLongitude, maxLongitude) = (0, 0, 0, 0)
            (columns, rows, scale) = (1, 1, 1)
            return
        }
        var bounds = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
        for box in boxes {
            bounds.0 = min(bounds.0, box.minLatitude)
            bounds.1 = max(bounds.1, box.maxLatitude)
            bounds.2 = min(bounds.2, box.minLongitude)
            bounds.3 = max(bounds.3, box.maxLongitude)
        }
        (minLatitude, maxLatitude, minLongitude, maxLongitude) = bounds
        let height = bounds.1 - bounds.0
        let width = bounds.3 - bounds.2
        let middle = extents.count / 2
        extents.withUnsafeMutableBufferPointer { buffer in
            _ = buffer.partitionAround(middle)
        }
        var side = max(extents[middle], 0.0001)
        let maximumCells = Double(max(4 * boxes.count, 4096))
        if (width / side + 1) * (height / side + 1) > maximumCells {
            // Smallest side s with (w/s + 1)(h/s + 1) <= maximumCells, from the quadratic in 1/s.
            let a = width * height
            let b = width + height
            let c = 1 - maximumCells
            let inverse = a > 0 ? (-b + (b * b - 4 * a * c).squareRoot()) / (2 * a) : -c / max(b, 1e-12)
            side = max(side, 1 / inverse)
        }
        scale = 1 / side
        columns = max(1, min(Int(width * scale) + 1, Int(maximumCells)))
        rows = max(1, min(Int(height * scale) + 1, Int(maximumCells)))
    }

    /// The column holding `longitude`, clamped to the grid (NaN gives 0).
    @inline(__always)
    func column(_ longitude: Double) -> Int {
        let value = (longitude - minLongitude) * scale
        guard value > 0 else { return 0 }
        return value < Double(columns - 1) ? Int(value) : columns - 1
    }

    /// The row holding `latitude`, clamped to the grid (NaN gives 0).
    @inline(__always)
    func row(_ latitude: Double) -> Int {
        let value = (latitude - minLatitude) * scale
        guard value > 0 else { return 0 }
        return value < Double(rows - 1) ? Int(value) : rows - 1
    }

    /// The inclusive column and row ranges a box overlaps.
    func cells(of box: IndexBox) -> (x0: Int, x1: Int, y0: Int, y1: Int) {
        (column(box.minLongitude), column(box.maxLongitude), row(box.minLatitude), row(box.maxLatitude))
    }
}

extension UnsafeMutableBufferPointer where Element == Double {
    /// Quickselect: afterwards the element at `k` is the one a full sort would put there.
    fileprivate func partitionAround(_ k: Int) -> Double {
        var low = 0
        var high = count - 1
        while low < high {
            let pivot = self[(low + high) / 2]
            var i = low
            var j = high
            while i <= j {
                while self[i] < pivot { i += 1 }
                while self[j] > pivot { j -= 1 }
                if i <= j {
                    swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                break
            }
        }
        return self[k]
    }
}
