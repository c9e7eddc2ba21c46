import FixstreamGeo

#if canImport(Glibc)
    import Glibc
#endif

extension RoadGraph {
    /// The closest point of every edge within `radius` metres of a position, nearest first, at most `limit` of
    /// them (both directions of a two-way road count, each at the same point).
    ///
    /// Works in a plane tangent at the position (exact to centimetres over a search radius). `found` is cleared
    /// and reused, so a caller that keeps it allocates nothing per search.
    /// - Complexity: proportional to the shape points of the edges in the grid cells the circle touches.
    public func positions(
        nearLatitude latitude: Double,
        longitude: Double,
        radius: Double,
        limit: Int,
        into found: inout [RoadPosition]
    ) {
        found.removeAll(keepingCapacity: true)
        guard edgeCount > 0, latitude.isFinite, longitude.isFinite, radius >= 0 else { return }
        let radius = min(radius, 100_000)
        let metresPerUnitLatitude = 111_132.954e-7 - 559.822e-7 * cos(2 * latitude * .pi / 180)
        let metresPerUnitLongitude = max(1e-7, 111_412.84e-7 * cos(latitude * .pi / 180))
        let centreLatitude = Int64((latitude * 1e7).rounded())
        let centreLongitude = Int64((longitude * 1e7).rounded())
        let spanLatitude = Int64(radius / metresPerUnitLatitude) + 1
        let spanLongitude = Int64(radius / metresPerUnitLongitude) + 1
        let row0 = grid.row(centreLatitude - spanLatitude)
        let row1 = grid.row(centreLatitude + spanLatitude)
        let column0 = grid.column(centreLongitude - spanLongitude)
        let column1 = grid.column(centreLongitude + spanLongitude)
        let radiusSquared = radius * radius
        for row in row0 ... row1 {
            for column in column0 ... column1 {
                let cell = row * grid.columns + column
                for entry in Int(cellStarts[cell]) ..< Int(cellStarts[cell + 1]) {
                    let edge = Int32(bitPattern: cellEntries[entry])
                    if found.contains(where: { $0.edge == edge }) { continue }
                    guard
                        var position = closestPoint(
                            onEdge: Int(edge),
                            latitude: centreLatitude,
                            longitude: centreLongitude,
                            scaleLatitude: metresPerUnitLatitude,
                            scaleLongitude: metresPerUnitLongitude,
                            within: radiusSquared
                        )
                    else { continue }
                    position.edge = edge
                    found.append(position)
                }
            }
        }
        found.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.edge < $1.edge) }
        if found.count > limit { found.removeLast(found.count - limit) }
    }

    /// The point of `edge` closest to a position.
    public func position(onEdge edge: Int, nearLatitude latitude: Double, longitude: Double) -> RoadPosition {
        var position = closestPoint(
            onEdge: edge,
            latitude: Int64((latitude * 1e7).rounded()),
            longitude: Int64((longitude * 1e7).rounded()),
            scaleLatitude: 111_132.954e-7 - 559.822e-7 * cos(2 * latitude * .pi / 180),
            scaleLongitude: max(1e-7, 111_412.84e-7 * cos(latitude * .pi / 180)),
            within: .infinity
        )!
        position.edge = Int32(edge)
        return position
    }

    /// The point of `edge` closest to a position given in 1e-7 degrees, if within `radiusSquared` (metres²).
    @inline(__always)
    private func closestPoint(
        onEdge edge: Int,
        latitude: Int64,
        longitude: Int64,
        scaleLatitude: Double,
        scaleLongitude: Double,
        within radiusSquared: Double
    ) -> RoadPosition? {
        let points = shape(edge)
        var bestSquared = Double.infinity
        var bestX = 0.0
        var bestY = 0.0
        var bestAlong = 0.0
        var along = 0.0
        var previousX = Double(Int64(shapeLongitudes[points.lowerBound]) - longitude) * scaleLongitude
        var previousY = Double(Int64(shapeLatitudes[points.lowerBound]) - latitude) * scaleLatitude
        for point in points.dropFirst() {
            let x = Double(Int64(shapeLongitudes[point]) - longitude) * scaleLongitude
            let y = Double(Int64(shapeLatitudes[point]) - latitude) * scaleLatitude
            let dx = x - previousX
            let dy = y - previousY
            let lengthSquared = dx * dx + dy * dy
            var t = 0.0
            if lengthSquared > 0 { t = max(0, min(1, -(previousX * dx + previousY * dy) / lengthSquared)) }
            let px = previousX + t * dx
            let py = previousY + t * dy
            let squared = px * px + py * py
            let pieceLength = lengthSquared.squareRoot()
            if squared < bestSquared {
                bestSquared = squared
                bestX = px
                bestY = py
                bestAlong = along + t * pieceLength
            }
            along += pieceLength
            previousX = x
            previousY = y
        }
        guard bestSquared <= radiusSquared else { return nil }
        // Offsets in the tangent plane, scaled to the stored length (they differ by well under 0.1 %).
        let stored = Double(lengths[edge])
        let offset = along > 0 ? bestAlong * stored / along : 0
        return RoadPosition(
            edge: 0,
            offset: Float(offset),
            latitude: (Double(latitude) + bestY / scaleLatitude) * 1e-7,
            longitude: (Double(longitude) + bestX / scaleLongitude) * 1e-7,
            distance: Float(bestSquared.squareRoot())
        )
    }

    /// The point `offset` metres along `edge` from its tail.
    public func position(onEdge edge: Int, offset: Double) -> RoadPosition {
        let points = shape(edge)
        let stored = Double(lengths[edge])
        var remaining = max(0, min(offset, stored))
        var previous = shapePoint(points.lowerBound)
        for point in points.dropFirst() {
            let next = shapePoint(point)
            let piece = GreatCircleLength.metres(previous, next)
            if remaining <= piece || point == points.upperBound - 1 {
                let t = piece > 0 ? min(1, remaining / piece) : 0
                return RoadPosition(
                    edge: Int32(edge),
                    offset: Float(max(0, min(offset, stored))),
                    latitude: previous.latitude + t * (next.latitude - previous.latitude),
                    longitude: previous.longitude + t * (next.longitude - previous.longitude)
                )
            }
            remaining -= piece
            previous = next
        }
        return RoadPosition(edge: Int32(edge), offset: 0, latitude: previous.latitude, longitude: previous.longitude)
    }
}
