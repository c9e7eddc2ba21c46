import FixstreamCLI
import FixstreamRoads
import FixstreamSim
import Foundation
import Testing

/// `fixstream simulate`: the four files, reproducible, and clear errors.
struct SimulateCommandTests {
    /// Writes the synthetic grid city as a graph file, as `map import` would write a real map.
    static func writeCity(in directory: TemporaryDirectory) throws -> String {
        let path = directory.path("city.fxg")
        try GridCity.build(rows: 10, columns: 10).write(toFile: path)
        return path
    }

    @Test func writesFixesTripsFencesAndTruthTheOtherCommandsRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try Self.writeCity(in: directory)
        let out = directory.path("fleet")
        let run = runFixstream(["simulate", "--map", map, "--vehicles", "4", "--duration", "45m", "--out", out])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("fixstream simulate: 4 vehicles, "))
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["fences.geojson", "fixes.jsonl", "trips.json", "truth.jsonl"])
        // process reads them all.
        let processed = runFixstream([
            "process", "--fences", out + "/fences.geojson", "--trips", out + "/trips.json", out + "/fixes.jsonl",
        ])
        #expect(processed.status == 0)
        #expect(processed.stdoutLines.contains { $0.contains(#""type":"stop.arrived""#) })
        #expect(processed.stdoutLines.contains { $0.contains(#""type":"geofence.enter""#) })
        let truth = try String(contentsOfFile: out + "/truth.jsonl", encoding: .utf8)
        #expect(truth.hasPrefix(#"{"kind":"run","seed":"1","vehicles":4,"#))
        // The same options give the same bytes; a grid given by size gives a graph of its own.
        let again = directory.path("again")
        #expect(
            runFixstream(["simulate", "--map", map, "--vehicles", "4", "--duration", "45m", "--out", again]).status == 0
        )
        for file in files {
            let same =
                FileManager.default.contents(atPath: out + "/" + file)
                == FileManager.default.contents(atPath: again + "/" + file)
            #expect(same, "\(file) differs between two runs")
        }
        let grid = runFixstream(["simulate", "--grid", "10x10", "--vehicles", "2", "--out", directory.path("grid")])
        #expect(grid.status == 0)
    }

    @Test func badOptionsAndMissingFilesFailClearly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let noOut = runFixstream(["simulate", "--grid", "5x5"])
        #expect(noOut.status == 2)
        #expect(noOut.stderr.contains("--out"))
        let noMap = runFixstream(["simulate", "--out", directory.path("x")])
        #expect(noMap.status == 2)
        let badDuration = runFixstream([
            "simulate", "--grid", "5x5", "--duration", "soon", "--out", directory.path("x"),
        ])
        #expect(badDuration.status == 2)
        #expect(badDuration.stderr.contains("--duration"))
        let missing = runFixstream(["simulate", "--map", "/nonexistent/map.fxg", "--out", directory.path("x")])
        #expect(missing.status == 1)
        let tiny = runFixstream(["simulate", "--grid", "2x2", "--out", directory.path("x")])
        #expect(tiny.status == 2)
        #expect(tiny.stderr.contains("long and clear enough"))
        #expect(runFixstream(["simulate", "--help"]).stdout.hasPrefix("Usage: fixstream simulate"))
    }

    @Test func takesAnOpenStreetMapFileAsTheMap() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let osm = SimulatedFleetAccuracyTests.monaco
        let run = runFixstream([
            "simulate", "--map", osm, "--vehicles", "2", "--duration", "20m", "--out", directory.path("f"),
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("2 vehicles"))
    }

    @Test func durationsTakeUnits() throws {
        #expect(try SimulateCommandDurations.parse("90") == 90_000)
        #expect(try SimulateCommandDurations.parse("90m") == 5_400_000)
        #expect(try SimulateCommandDurations.parse("1.5h") == 5_400_000)
        #expect(try SimulateCommandDurations.parse("1d") == 86_400_000)
    }
}
