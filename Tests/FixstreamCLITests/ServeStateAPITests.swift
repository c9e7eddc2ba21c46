import FixstreamServer
import Foundation
import Testing

@testable import FixstreamCLI

/// The live state API of `serve`: vehicles, trips and a shipment's tracking page, answered by the shards that own
/// the vehicles.
@Suite(.serialized)
struct ServeStateAPITests {
    private func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func vehiclesTripsAndTrackingShowWhereThingsStand() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try ServeAdminAPITests.Served(directory: directory)
        let s1 = 46.5 - 100 / 111_195.0
        let s2 = 46.5 + 2_000 / 111_195.0
        let trip = """
            {"id":"T1","vehicle":"van-1","stops":[
              {"id":"S1","lat":\(s1),"lon":7.25,"radius":40,"tracking":"PKG-1"},
              {"id":"S2","lat":\(s2),"lon":7.25,"radius":40,"tracking":"PKG-2",
               "window":{"end":"2030-01-01T00:00:00Z"}}]}
            """
        let put = try served.request("PUT", "/trips/T1", body: trip)
        #expect(put.status == 201, "\(put.body)")
        try served.drive("van-1", start: 0, halt: -100)
        try served.drive("van-2", start: 0, halt: -100)
        served.waitProcessed(120)

        let vehicle = try served.request("GET", "/vehicles/van-1")
        #expect(vehicle.status == 200)
        let view = json(vehicle.body)
        #expect(view["id"] as? String == "van-1")
        #expect(view["state"] as? String == "moving")
        #expect((view["last_fix"] as? [String: Any])?["lat"] != nil)
        let onTrip = view["trip"] as? [String: Any]
        #expect(onTrip?["id"] as? String == "T1")
        #expect((onTrip?["next_stop"] as? [String: Any])?["id"] as? String == "S2")
        #expect((onTrip?["next_stop"] as? [String: Any])?["eta"] is String)

        let list = json(try served.request("GET", "/vehicles").body)
        #expect((list["vehicles"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["van-1", "van-2"])
        let page = json(try served.request("GET", "/vehicles?limit=1").body)
        #expect((page["vehicles"] as? [[String: Any]])?.count == 1)
        #expect(page["next"] as? String == "van-1")
        let second = json(try served.request("GET", "/vehicles?after=van-1").body)
        #expect((second["vehicles"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["van-2"])

        let report = json(try served.request("GET", "/trips/T1").body)
        #expect(report["status"] as? String == "active")
        let stops = report["stops"] as? [[String: Any]] ?? []
        #expect(stops.compactMap { $0["id"] as? String } == ["S1", "S2"])
        #expect(stops.first?["status"] as? String == "departed")
        #expect(stops.first?["arrived"] is String && stops.first?["departed"] is String)
        #expect(stops.last?["status"] as? String == "approaching")
        #expect(stops.last?["eta"] is String)

        // The tracking page: no token, only its own stop, the vehicle's position while approaching.
        let tracking = try served.request("GET", "/track/PKG-2", token: nil)
        #expect(tracking.status == 200)
        let page2 = json(tracking.body)
        #expect(page2["tracking"] as? String == "PKG-2")
        #expect(page2["status"] as? String == "approaching")
        #expect(page2["vehicle_position"] != nil)
        #expect((page2["window"] as? [String: Any])?["end"] as? String == "2030-01-01T00:00:00.000Z")
        #expect(
            !tracking.body.contains("\"S1\"") && !tracking.body.contains("van-1") && !tracking.body.contains("\"T1\"")
        )
        let delivered = json(try served.request("GET", "/track/PKG-1", token: nil).body)
        #expect(delivered["status"] as? String == "departed")
        #expect(delivered["vehicle_position"] == nil)

        #expect(try served.request("GET", "/track/PKG-404", token: nil).status == 404)
        #expect(try served.request("GET", "/vehicles/nobody").status == 404)
        #expect(try served.request("GET", "/trips/T9").status == 404)
        #expect(try served.request("GET", "/vehicles", token: nil).status == 401)
        #expect(try served.request("GET", "/vehicles?limit=0").status == 400)
        _ = try served.stop()
    }
}
