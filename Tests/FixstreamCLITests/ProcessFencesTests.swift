import FixstreamCLI
import Foundation
import Testing

/// `process --fences` on a real recorded drive with fences laid along its route.
struct ProcessFencesTests {
    static let trace = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Traces/20100411_Geko_Regensburg.txt").path

    /// (time, lat, lon) of every fix `decode` gives for the trace.
    private func fixes() -> [(time: String, lat: Double, lon: Double)] {
        runFixstream(["decode", Self.trace]).stdoutLines.compactMap { line in
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let time = object["time"] as? String, let lat = object["lat"] as? Double,
                let lon = object["lon"] as? Double
            else { return nil }
            return (time, lat, lon)
        }
    }

    private func metres(_ a: (lat: Double, lon: Double), _ b: (lat: Double, lon: Double)) -> Double {
        let dLat = (b.lat - a.lat) * 111_195
        let dLon = (b.lon - a.lon) * 111_195 * cos(a.lat * .pi / 180)
        return (dLat * dLat + dLon * dLon).squareRoot()
    }

    @Test func circlesAlongTheRouteGiveEnterAndExitAtTheFixesThatCrossTheirMargins() throws {
        let drive = fixes()
        #expect(drive.count == 774)
        // Three circles of 100 m centred on the route, one far away.
        let centres = [100, 300, 500].map { (lat: drive[$0].lat, lon: drive[$0].lon) }
        var features = centres.enumerated().map { index, centre in
            #"{"type":"Feature","properties":{"id":"site-\#(index)","radius":100},"geometry":{"type":"Point","coordinates":[\#(centre.lon),\#(centre.lat)]}}"#
        }
        features.append(
            #"{"type":"Feature","properties":{"id":"elsewhere"},"geometry":{"type":"Polygon","coordinates":[[[13.0,48.0],[13.01,48.0],[13.01,48.01],[13.0,48.0]]]}}"#
        )
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fences = try directory.write(
            "fences.geojson",
            #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
        )
        let run = runFixstream(["process", "--fences", fences, "--idle-after", "0", "--gps-lost", "0", Self.trace])
        #expect(run.status == 0)
        let alerts = run.stdoutLines.compactMap { line -> (type: String, fence: String, time: String)? in
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let type = object["type"] as? String, let fence = object["fence"] as? String,
                let time = object["time"] as? String
            else { return nil }
            return (type, fence, time)
        }
        // What plain hysteresis on the raw fixes says: inside under 90 m, outside beyond 110 m.
        var expected: [(type: String, fence: String, time: String)] = []
        var inside = [Bool](repeating: false, count: centres.count)
        for fix in drive {
            for (index, centre) in centres.enumerated() {
                let distance = metres(centre, (fix.lat, fix.lon))
                if !inside[index] && distance < 90 {
                    inside[index] = true
                    expected.append(("geofence.enter", "site-\(index)", fix.time))
                } else if inside[index] && distance > 110 {
                    inside[index] = false
                    expected.append(("geofence.exit", "site-\(index)", fix.time))
                }
            }
        }
        #expect(expected.count >= 6)
        #expect(alerts.map(\.type) == expected.map(\.type))
        #expect(alerts.map(\.fence) == expected.map(\.fence))
        #expect(alerts.map(\.time) == expected.map(\.time))
        #expect(!alerts.contains { $0.fence == "elsewhere" })
    }

    @Test func malformedFencesAreRefusedWithTheFeatureNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fences = try directory.write(
            "bad.geojson",
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"depot"},"geometry":{"type":"Point","coordinates":[12.1,49.0]}}]}"#
        )
        let run = runFixstream(["process", "--fences", fences, Self.trace])
        #expect(run.status == 2)
        #expect(run.stderr.contains("depot"))
        #expect(run.stderr.contains("radius"))
    }
}

/// The committed JSON-lines copy of the Regensburg drive is what `decode` makes of its NMEA log today.
struct ConvertedTraceTests {
    @Test func theJSONLinesDriveIsTheDecodedNMEALog() throws {
        let converted = ProcessFencesTests.trace.replacingOccurrences(of: ".txt", with: ".jsonl")
        let decoded = runFixstream(["decode", ProcessFencesTests.trace])
        #expect(decoded.status == 0)
        #expect(decoded.stdout == (try String(contentsOfFile: converted, encoding: .utf8)))
    }
}

/// `process --trips` on the real drive with stops laid along its route.
struct ProcessTripsTests {
    @Test func stopsAlongTheRealDriveAreArrivedInOrderAndETAsArePrinted() throws {
        let drive = runFixstream(["decode", ProcessFencesTests.trace]).stdoutLines.compactMap {
            line -> (time: String, lat: Double, lon: Double)? in
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let time = object["time"] as? String, let lat = object["lat"] as? Double,
                let lon = object["lon"] as? Double
            else { return nil }
            return (time, lat, lon)
        }
        // Where the car stood for a while (lights, queues): a stop is arrived at when the vehicle stops there.
        let halts = [235, 430, 675]
        let stops = halts.enumerated().map { index, fix in
            #"{"id":"S\#(index + 1)","lat":\#(drive[fix].lat),"lon":\#(drive[fix].lon),"radius":60}"#
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trips = try directory.write(
            "trips.json",
            #"{"id":"T1","vehicle":"20100411_Geko_Regensburg","stops":["# + stops.joined(separator: ",") + "]}"
        )
        let run = runFixstream([
            "process", "--trips", trips, "--eta", "--idle-after", "0", "--gps-lost", "0", ProcessFencesTests.trace,
        ])
        #expect(run.status == 0)
        let objects = run.stdoutLines.compactMap { line in
            line.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        let arrivals = objects.filter { $0["type"] as? String == "stop.arrived" }
        #expect(arrivals.map { $0["stop"] as? String } == ["S1", "S2", "S3"])
        // Each arrival is the first fix within 50 m (radius 60 minus the 10 m margin) after the previous stop.
        var from = 0
        for (index, fix) in halts.enumerated() {
            let centre = drive[fix]
            let first = (from ..< drive.count).first { candidate in
                let dLat = (drive[candidate].lat - centre.lat) * 111_195
                let dLon = (drive[candidate].lon - centre.lon) * 111_195 * cos(centre.lat * .pi / 180)
                return (dLat * dLat + dLon * dLon).squareRoot() < 50
            }
            #expect(first != nil)
            if let first, index < arrivals.count {
                #expect(arrivals[index]["time"] as? String == drive[first].time)
                from = first
            }
        }
        let etas = objects.filter { $0["type"] as? String == "eta" }
        #expect(etas.count > 500)
        #expect((etas.first?["stops"] as? [[String: Any]])?.count == 3)
    }
}
