import FixstreamRoads
import Testing

struct RoadClassTests {
    @Test func carHighwaysHaveClassesAndOthersDoNot() {
        #expect(RoadClass(highway: "residential") == .residential)
        #expect(RoadClass(highway: "motorway_link") == .motorwayLink)
        #expect(RoadClass(highway: "footway") == nil)
        #expect(RoadClass(highway: "steps") == nil)
        for roadClass in RoadClass.allCases {
            #expect(RoadClass(highway: roadClass.highway) == roadClass)
            #expect(roadClass.defaultSpeed > 0)
        }
    }

    @Test func travelSpeedPrefersTheTaggedLimit() {
        var way = RoadWay(id: 1, nodes: [1, 2], direction: .both, roadClass: .residential)
        #expect(way.travelSpeed == RoadClass.residential.defaultSpeed)
        way.speedLimit = 20 / 3.6
        #expect(abs(way.travelSpeed - 20 / 3.6) < 0.001)
    }
}
