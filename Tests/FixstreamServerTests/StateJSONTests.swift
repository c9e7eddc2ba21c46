import FixstreamPipeline
import FixstreamWire
import Testing

@testable import FixstreamServer

struct StateJSONTests {
    @Test func theLastFixKeepsItsPrecision() {
        var view = VehicleView(vehicle: VehicleID("van-1")!)
        view.lastFix = Fix(
            vehicle: view.vehicle,
            time: Timestamp(millisecondsSinceEpoch: 1_795_255_200_000),
            latitude: 47.3769123,
            longitude: 8.5417456,
            source: .json
        )
        var out: [UInt8] = []
        StateJSON.append(view, to: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains(#""lat":47.3769123,"lon":8.5417456"#), "\(text)")
    }
}
