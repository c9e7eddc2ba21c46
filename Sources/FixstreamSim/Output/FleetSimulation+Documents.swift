import FixstreamGeo
import FixstreamJSON
import FixstreamWire

extension FleetSimulation {
    /// The trips as the detectors read them (`--trips`): one per vehicle, the depot first (its service is the
    /// planned loading time), then the customers with their windows, planned service and a tracking number, and
    /// the planned route as a GeoJSON LineString.
    public func tripsDocument() -> [UInt8] {
        var trips: [JSONValue] = []
        for plan in plans {
            let depot = map.plane.coordinate(catalog.depot.point)
            var stops: [JSONValue] = [
                .object([
                    ("id", .string(catalog.depot.id)),
                    ("lat", Self.degrees(depot.latitude)),
                    ("lon", Self.degrees(depot.longitude)),
                    ("radius", .number(config.stopRadius)),
                    ("service", .number((plan.loading / 60).rounded() * 60)),
                ])
            ]
            for (index, stop) in plan.stops.enumerated() {
                let site = catalog.customers[stop.site]
                let position = map.plane.coordinate(site.point)
                stops.append(
                    .object([
                        ("id", .string(site.id)),
                        ("lat", Self.degrees(position.latitude)),
                        ("lon", Self.degrees(position.longitude)),
                        ("radius", .number(config.stopRadius)),
                        (
                            "window",
                            .object([
                                ("start", .string(time(stop.windowStart))),
                                ("end", .string(time(stop.windowEnd))),
                            ])
                        ),
                        ("service", .number(stop.plannedService)),
                        ("tracking", .string("PKG-\(plan.vehicle)-\(index + 1)")),
                    ])
                )
            }
            var coordinates: [JSONValue] = []
            var last: (Double, Double)?
            for point in plan.legs.flatMap(\.points) {
                let position = map.plane.coordinate(point)
                let rounded = ((position.longitude * 1e7).rounded() / 1e7, (position.latitude * 1e7).rounded() / 1e7)
                if let last, last == rounded { continue }
                last = rounded
                coordinates.append(.array([.number(rounded.0), .number(rounded.1)]))
            }
            var members: [(key: String, value: JSONValue)] = [
                ("id", .string(plan.trip)),
                ("vehicle", .string(plan.vehicle)),
                ("stops", .array(stops)),
            ]
            if coordinates.count >= 2 {
                members.append(
                    ("route", .object([("type", .string("LineString")), ("coordinates", .array(coordinates))]))
                )
            }
            trips.append(.object(members))
        }
        var bytes = JSONValue.array(trips).serialized()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The fences (`--fences`): the depot and every customer site as circles (GeoJSON Points with a radius), the
    /// customers with their dwell time.
    public func fencesDocument() -> [UInt8] {
        var features: [JSONValue] = []
        for (index, circle) in fenceSet.circles.enumerated() {
            let position = map.plane.coordinate(circle.centre)
            var properties: [(key: String, value: JSONValue)] = [
                ("id", .string(circle.id)),
                ("name", .string(index == 0 ? catalog.depot.name : catalog.customers[index - 1].name)),
                ("radius", .number(circle.radius)),
                ("hysteresis", .number(circle.hysteresis)),
            ]
            if let dwell = circle.dwell { properties.append(("dwell", .number(Double(dwell) / 1000))) }
            features.append(
                .object([
                    ("type", .string("Feature")),
                    ("properties", .object(properties)),
                    (
                        "geometry",
                        .object([
                            ("type", .string("Point")),
                            (
                                "coordinates",
                                .array([Self.degrees(position.longitude), Self.degrees(position.latitude)])
                            ),
                        ])
                    ),
                ])
            )
        }
        var bytes = JSONValue.object([("type", .string("FeatureCollection")), ("features", .array(features))])
            .serialized()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func degrees(_ value: Double) -> JSONValue { .number((value * 1e7).rounded() / 1e7) }

    private func time(_ seconds: Double) -> String {
        var bytes: [UInt8] = []
        FixJSONWriter.appendTime(
            Timestamp(millisecondsSinceEpoch: config.start + Int64((seconds * 1000).rounded())),
            to: &bytes
        )
        return String(decoding: bytes, as: UTF8.self)
    }
}
