import FixstreamServer
import Foundation
import Testing

@testable import FixstreamCLI

/// `serve --clock wall|event` and the config key `clock`.
struct ServeClockTests {
    private func clock(_ arguments: [String]) throws -> ServerConfig.Clock {
        try ServeCommand.configuration(try Arguments(arguments, valued: ServeCommand.valued)).0.clock
    }

    @Test func wallByDefaultEventOnRequest() throws {
        #expect(try clock([]) == .wall)
        #expect(try clock(["--clock", "event"]) == .event)
        #expect(try clock(["--clock", "wall"]) == .wall)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("config.json", #"{"clock": "event"}"#)
        #expect(try clock(["--config", config]) == .event)
        #expect(try clock(["--config", config, "--clock", "wall"]) == .wall)
    }

    @Test func anUnknownClockIsAUsageError() {
        let run = runFixstream(["serve", "--clock", "gps"])
        #expect(run.status == 2)
        #expect(run.stderr == "fixstream: --clock takes wall or event, not 'gps'\n")
    }
}
