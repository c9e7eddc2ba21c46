import FixstreamPipeline
import FixstreamWire
import Foundation
import Testing

@testable import FixstreamCLI

struct DemoAlertLineTests {
    private let format = DemoAlertLine(
        vehicleWidth: 7,
        names: ["site-012": "Customer 12"],
        stopNumbers: ["trip-sim-007/site-012": 3]
    )

    private func alert(_ type: AlertType, _ fields: [AlertField]) -> Alert {
        Alert(
            type: type,
            vehicle: VehicleID("sim-007")!,
            time: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000),
            latitude: 43.7,
            longitude: 7.4,
            fields: fields
        )
    }

    @Test func linesAreAlignedAndSayWhatHappened() {
        let arrived = format.format(
            alert(
                .stopArrived,
                [
                    .init("trip", .string("trip-sim-007")), .init("stop", .string("site-012")),
                    .init("late_by", .integer(130)),
                ]
            )
        )
        #expect(arrived.dropFirst(8) == #"  sim-007  stop.arrived      stop 3 "Customer 12" (2 min 10 s late)"#)
        let exit = format.format(
            alert(.geofenceExit, [.init("fence", .string("site-012")), .init("duration", .number(600.4))])
        )
        #expect(exit.dropFirst(8) == #"  sim-007  geofence.exit     fence "Customer 12" after 10 min"#)
        let lost = format.format(alert(.gpsLost, [.init("silence", .number(125))]))
        #expect(lost.dropFirst(8) == "  sim-007  gps.lost          no fix for 2 min 5 s")
        let unknown = format.format(alert(.stopDeparted, [.init("trip", .string("t")), .init("stop", .string("s9"))]))
        #expect(unknown.hasSuffix("stop.departed     stop s9"))
    }

    @Test func spansReadAsPeopleSayThem() {
        #expect(DemoAlertLine.span(45) == "45 s")
        #expect(DemoAlertLine.span(240) == "4 min")
        #expect(DemoAlertLine.span(250) == "4 min 10 s")
        #expect(DemoAlertLine.span(3600) == "1 h")
        #expect(DemoAlertLine.span(3900) == "1 h 5 min")
    }

    @Test func theBundledMapIsFoundFromTheSourceTreeWhenNotFromTheCurrentDirectory() {
        let found = DemoMap.locateBundled(currentDirectory: "/nonexistent", executable: nil)
        #expect(found?.hasSuffix("/Traces/maps/monaco-roads.osm") == true)
        #expect(
            DemoMap.locateBundled(currentDirectory: "/nonexistent", executable: nil, sourceFile: "/x/y.swift") == nil
        )
    }
}
