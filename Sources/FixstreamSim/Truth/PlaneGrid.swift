/// A uniform grid over a rectangle of the plane holding item indices per cell (compressed rows), for "what is
/// near this point" questions. Points outside the rectangle find nothing.
struct PlaneGrid: Sendable {
    let minX: Double
    let minY: Double
    let cell: Double
    let columns: Int
    let rows: Int
    private var starts: [Int32]
    private var items: [Int32]

    /// A grid of `cell`-metre cells covering every box of `boxes` (minimum and maximum corners), each item listed
    /// in the cells its box touches.
    init(cell: Double, boxes: [(min: PlanePoint, max: PlanePoint)]) {
        var lowX = Double.infinity
        var lowY = Double.infinity
        var highX = -Double.infinity
        var highY = -Double.infinity
        for box in boxes {
            lowX = min(lowX, box.min.x)
            lowY = min(lowY, box.min.y)
            highX = max(highX, box.max.x)
            highY = max(highY, box.max.y)
        }
        if boxes.isEmpty {
            lowX = 0
            lowY = 0
            highX = 0
            highY = 0
        }
        self.cell = cell
        minX = lowX
        minY = lowY
        let columns = max(1, Int(((highX - lowX) / cell).rounded(.down)) + 1)
        let rows = max(1, Int(((highY - lowY) / cell).rounded(.down)) + 1)
        self.columns = columns
        self.rows = rows
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func cells(_ box: (min: PlanePoint, max: PlanePoint), _ body: (Int) -> Void) {
            let column0 = Int((box.min.x - lowX) / cell)
            let column1 = Int((box.max.x - lowX) / cell)
            let row0 = Int((box.min.y - lowY) / cell)
            let row1 = Int((box.max.y - lowY) / cell)
            for row in row0 ... row1 {
                for column in column0 ... column1 { body(row * columns + column) }
            }
        }
        for box in boxes { cells(box) { counts[$0 + 1] += 1 } }
        for index in 0 ..< columns * rows { counts[index + 1] += counts[index] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[columns * rows]))
        for (index, box) in boxes.enumerated() {
            cells(box) { cell in
                items[Int(fill[cell])] = Int32(index)
                fill[cell] += 1
            }
        }
        starts = counts
        self.items = items
    }

    /// Calls `body` with each item listed in the cells within `reach` cells of `point`'s cell (an item may come
    /// more than once).
    @inline(__always)
    func forEach(near point: PlanePoint, reach: Int, _ body: (Int) -> Void) {
        let column = ((point.x - minX) / cell).rounded(.down)
        let row = ((point.y - minY) / cell).rounded(.down)
        // Far outside the grid (or not a number): nothing near.
        guard column > -Double(reach + 1), column < Double(columns + reach), row > -Double(reach + 1),
            row < Double(rows + reach)
        else { return }
        let row0 = max(0, Int(row) - reach)
        let row1 = min(rows - 1, Int(row) + reach)
        let column0 = max(0, Int(column) - reach)
        let column1 = min(columns - 1, Int(column) + reach)
        guard row0 <= row1, column0 <= column1 else { return }
        for r in row0 ... row1 {
            for c in column0 ... column1 {
                let index = r * columns + c
                for entry in Int(starts[index]) ..< Int(starts[index + 1]) { body(Int(items[entry])) }
            }
        }
    }
}
