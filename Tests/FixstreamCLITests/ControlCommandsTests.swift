import FixstreamCLI
import Foundation
import Testing

/// `fixstream fences` and `fixstream trips` against a control store in a temporary data directory.
struct ControlCommandsTests {
    private func feature(_ id: String, name: String? = nil) -> String {
        let nameMember = name.map { #","name":"\#($0)""# } ?? ""
        return
            #"{"type":"Feature","properties":{"id":"\#(id)"\#(nameMember),"radius":100},"geometry":{"type":"Point","coordinates":[12.1,49.02]}}"#
    }

    private func collection(_ features: [String]) -> String {
        #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}"
    }

    private func trip(_ id: String, vehicle: String = "van-1", lat: Double = 49.01) -> String {
        #"{"id":"\#(id)","vehicle":"\#(vehicle)","stops":[{"id":"S1","lat":\#(lat),"lon":12.09},{"id":"S2","lat":49.02,"lon":12.11,"window":{"end":"2026-11-22T10:00:00Z"}}]}"#
    }

    private func objects(_ run: CommandRun) -> [[String: Any]] {
        run.stdoutLines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    @Test func fencesImportListAndDelete() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("data")
        let file = try directory.write(
            "fences.geojson",
            collection([feature("yard", name: "Yard \\\"North\\\""), feature("depot")])
        )
        let imported = runFixstream(["fences", "import", file, "--data", data])
        #expect(imported.status == 0)
        #expect(imported.stdout.isEmpty)
        #expect(imported.stderr == "fixstream fences: imported 2 fences\n")

        let listed = runFixstream(["fences", "list", "--data=\(data)"])
        #expect(listed.status == 0)
        let fences = objects(listed)
        #expect(fences.count == 2)
        #expect(fences.map { $0["id"] as? String } == ["depot", "yard"])
        #expect(fences[0]["name"] is NSNull)
        #expect(fences[1]["name"] as? String == #"Yard "North""#)
        let updated = try #require(fences[0]["updated_at"] as? String)
        #expect(updated.count == 24 && updated.hasSuffix("Z"))
        #expect(listed.stdoutLines[0].hasPrefix(#"{"id":"depot","name":null,"updated_at":""#))

        let deleted = runFixstream(["fences", "delete", "depot", "--data", data])
        #expect(deleted.status == 0)
        #expect(deleted.stderr == "fixstream fences: deleted 1 fence\n")
        #expect(objects(runFixstream(["fences", "list", "--data", data])).map { $0["id"] as? String } == ["yard"])

        let missing = runFixstream(["fences", "delete", "depot", "--data", data])
        #expect(missing.status == 1)
        #expect(missing.stderr == "fixstream: fences delete: no fence with id 'depot'\n")
    }

    @Test func aBadFenceFileIsRefusedWholeWithTheFeatureNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("data")
        let bad = #"{"type":"Feature","properties":{"id":"broken"},"geometry":{"type":"Point","coordinates":[12,49]}}"#
        let file = try directory.write("fences.geojson", collection([feature("fine"), bad]))
        let run = runFixstream(["fences", "import", file, "--data", data])
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "fixstream: invalid fences in '\(file)': feature 1 (\"broken\"): a Point fence needs properties.radius, metres > 0\n"
        )
        #expect(runFixstream(["fences", "list", "--data", data]).stdout.isEmpty)
    }

    @Test func tripsImportListAndDelete() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("data")
        let one = try directory.write("one.json", trip("T1"))
        let many = try directory.write("many.json", "[" + trip("T3", vehicle: "truck-9") + "," + trip("T2") + "]")
        #expect(runFixstream(["trips", "import", one, "--data", data]).stderr == "fixstream trips: imported 1 trip\n")
        let imported = runFixstream(["trips", "import", "--data", data, many])
        #expect(imported.status == 0)
        #expect(imported.stderr == "fixstream trips: imported 2 trips\n")

        let listed = runFixstream(["trips", "list", "--data", data])
        #expect(listed.status == 0)
        #expect(listed.stderr == "fixstream trips: 3 trips\n")
        let trips = objects(listed)
        #expect(trips.map { $0["id"] as? String } == ["T1", "T2", "T3"])
        #expect(trips.map { $0["vehicle"] as? String } == ["van-1", "van-1", "truck-9"])
        #expect(trips.map { $0["stops"] as? Int } == [2, 2, 2])
        #expect(listed.stdoutLines[0].hasPrefix(#"{"id":"T1","vehicle":"van-1","stops":2,"updated_at":""#))

        #expect(runFixstream(["trips", "delete", "T2", "--data", data]).status == 0)
        #expect(objects(runFixstream(["trips", "list", "--data", data])).count == 2)
        #expect(runFixstream(["trips", "delete", "T2", "--data", data]).status == 1)
    }

    @Test func aBadTripFileIsRefusedWholeWithTheStopNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("data")
        let file = try directory.write("trips.json", "[" + trip("T1") + "," + trip("T2", lat: 95) + "]")
        let run = runFixstream(["trips", "import", file, "--data", data])
        #expect(run.status == 2)
        #expect(
            run.stderr == "fixstream: invalid trips in '\(file)': trip \"T2\": stop 0 (\"S1\"): lat 95 out of range\n"
        )
        #expect(runFixstream(["trips", "list", "--data", data]).stdout.isEmpty)
    }

    @Test(arguments: ["fences", "trips"])
    func helpAndUsageErrors(command: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path("data")
        for help in [[command, "--help"], [command, "import", "-h"], [command, "list", "--help"]] {
            let run = runFixstream(help)
            #expect(run.status == 0)
            #expect(run.stdout.hasPrefix("Usage: fixstream \(command) import"))
        }
        let cases: [([String], String)] = [
            ([command], "missing action"),
            ([command, "frobnicate"], "unknown action 'frobnicate'"),
            ([command, "import", "--data", data], "missing"),
            ([command, "import", "a", "b", "--data", data], "unexpected argument 'b'"),
            ([command, "list", "extra", "--data", data], "unexpected argument 'extra'"),
            ([command, "delete", "--data", data], "missing"),
            ([command, "list", "--bogus"], "unknown option '--bogus'"),
            ([command, "list", "--data"], "option '--data' needs a value"),
        ]
        for (arguments, message) in cases {
            let run = runFixstream(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.hasPrefix("fixstream: ") && run.stderr.contains(message), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(run.stdout.isEmpty)
        }
        let unreadable = runFixstream([command, "import", directory.path("nope.json"), "--data", data])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr.hasPrefix("fixstream: cannot open '"))
    }

    @Test func anUnusableDataDirectoryIsAnIOError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("not-a-directory", "x")
        let run = runFixstream(["fences", "list", "--data", file + "/data"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("fixstream: cannot open the control store in '"))
    }

    @Test func theUsageListsTheNewCommands() {
        let run = runFixstream(["help"])
        #expect(run.stdout.contains("fences     import, list and delete"))
        #expect(run.stdout.contains("trips      import, list and delete"))
    }
}
