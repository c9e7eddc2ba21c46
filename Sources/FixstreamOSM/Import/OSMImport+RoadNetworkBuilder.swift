public import FixstreamRoads

extension OSMImport {
    /// A road network builder holding the imported nodes and ways, ready for ``RoadNetworkBuilder/build()``.
    ///
    /// Adds every node of ``nodes`` (exactly those the ways use), then every way in file order. Every way's nodes
    /// have positions, so the builder drops nothing (``RoadNetworkBuilder/missingNodeReferences`` stays 0).
    public func makeBuilder() -> RoadNetworkBuilder {
        var builder = RoadNetworkBuilder()
        for index in 0 ..< nodes.count {
            builder.addNode(
                id: nodes.ids[index],
                latitude: nodes.latitude(at: index),
                longitude: nodes.longitude(at: index)
            )
        }
        for way in ways { builder.addWay(way) }
        return builder
    }
}
