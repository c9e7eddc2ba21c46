import FixstreamRoads
import Foundation
import Testing

struct RoadGraphFileTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "fixstream-\(UInt64.random(in: 0...UInt64.max))-\(name)"
        )
        .path
    }

    @Test func aWrittenGraphLoadsBackByteForByte() throws {
        let graph = TestRoads.grid(rows: 5, columns: 6, oneway: [1002])
        let path = temporaryPath("roads.fxg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try graph.write(toFile: path)
        let loaded = try RoadGraph.load(path: path)
        #expect(loaded.nodeCount == graph.nodeCount)
        #expect(loaded.edgeCount == graph.edgeCount)
        #expect(loaded.bytes.elementsEqual(graph.bytes))
        #expect(loaded.name(0) == graph.name(0))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func aMissingFileIsAnIOError() {
        #expect(throws: RoadGraphError.self) { try RoadGraph.load(path: "/nonexistent/roads.fxg") }
        do {
            _ = try RoadGraph.load(path: "/nonexistent/roads.fxg")
        } catch {
            #expect(error.code == .io)
            #expect(error.message.contains("/nonexistent/roads.fxg"))
        }
    }

    @Test func otherFilesAreRefusedNotMisread() throws {
        let path = temporaryPath("other.fxg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RoadGraph.load(path: path)
            Issue.record("loaded a file of A's")
        } catch {
            #expect(error.code == .notAGraph)
        }
    }

    @Test func damagedGraphsAreRefused() throws {
        let graph = TestRoads.grid(rows: 4, columns: 4)
        let image = [UInt8](graph.bytes)
        // Truncated.
        #expect(throws: RoadGraphError.self) {
            try image.dropLast(8).withUnsafeBytes { try RoadGraph(image: $0) }
        }
        // A newer format version.
        var newer = image
        newer[12] = 99
        do {
            _ = try newer.withUnsafeBytes { try RoadGraph(image: $0) }
            Issue.record("read a format it does not know")
        } catch let error as RoadGraphError {
            #expect(error.code == .unsupportedVersion)
        }
        // Every single byte of the arrays overwritten in turn: refused or read, never a crash.
        var refused = 0
        for offset in stride(from: 128, to: image.count, by: 7) {
            var damaged = image
            damaged[offset] = 0xFF
            damaged[min(offset + 1, image.count - 1)] = 0xFF
            damaged[min(offset + 2, image.count - 1)] = 0xFF
            damaged[min(offset + 3, image.count - 1)] = 0xFF
            do {
                let loaded = try damaged.withUnsafeBytes { try RoadGraph(image: $0) }
                // Whatever was read must be usable.
                var found: [RoadPosition] = []
                loaded.positions(nearLatitude: 43.7305, longitude: 7.4205, radius: 200, limit: 8, into: &found)
                for edge in 0 ..< loaded.edgeCount { _ = loaded.name(edge) }
            } catch let error as RoadGraphError {
                #expect(error.code == .corrupt)
                refused += 1
            }
        }
        #expect(refused > 0)
    }
}
