public import FixstreamGeo

extension RoadGraph {
    /// Appends the geometry of a path to `points`: from `startOffset` metres along its first edge to
    /// `endOffset` metres along its last (the same edge when it has one), through every shape point between. A
    /// point equal to the last one of `points` is not repeated, so consecutive paths join into one line.
    /// - Parameters:
    ///   - path: edges in driving order (nothing is appended for none).
    ///   - startOffset: where the path starts on its first edge, metres from its tail.
    ///   - endOffset: where it ends on its last edge.
    ///   - points: receives the line.
    public func appendShape(
        of path: some Collection<Int32>,
        startOffset: Double,
        endOffset: Double,
        into points: inout [Coordinate]
    ) {
        guard !path.isEmpty else { return }
        let lastIndex = path.count - 1
        for (index, edge) in path.enumerated() {
            let length = self.length(Int(edge))
            let from = index == 0 ? min(max(0, startOffset), length) : 0
            var to = index == lastIndex ? min(max(0, endOffset), length) : length
            if index == 0 && lastIndex == 0 { to = max(from, to) }
            appendShape(ofEdge: Int(edge), from: from, to: to, into: &points)
        }
    }

    /// Appends the part of `edge` between two offsets (metres from its tail, `from` <= `to`).
    private func appendShape(ofEdge edge: Int, from: Double, to: Double, into points: inout [Coordinate]) {
        let range = shape(edge)
        var shapeLength = 0.0
        var previous = shapePoint(range.lowerBound)
        for index in range.dropFirst() {
            let point = shapePoint(index)
            shapeLength += GreatCircleLength.metres(previous, point)
            previous = point
        }
        // Offsets are in the stored length; shape pieces are scaled to it (they differ by well under 0.1 %).
        let scale = shapeLength > 0 ? length(edge) / shapeLength : 1
        func add(_ point: Coordinate) {
            if let last = points.last, last == point { return }
            points.append(point)
        }
        var along = 0.0
        var started = from <= 0
        previous = shapePoint(range.lowerBound)
        if started { add(previous) }
        for index in range.dropFirst() {
            let point = shapePoint(index)
            let piece = GreatCircleLength.metres(previous, point) * scale
            let next = along + piece
            if !started && from < next {
                add(interpolate(previous, point, (from - along) / piece))
                started = true
            }
            if started && to <= next {
                add(piece > 0 ? interpolate(previous, point, (to - along) / piece) : point)
                return
            }
            if started { add(point) }
            along = next
            previous = point
        }
        add(previous)
    }

    private func interpolate(_ a: Coordinate, _ b: Coordinate, _ t: Double) -> Coordinate {
        let t = max(0, min(1, t))
        return Coordinate(
            latitude: a.latitude + t * (b.latitude - a.latitude),
            longitude: a.longitude + t * (b.longitude - a.longitude)
        )
    }
}
