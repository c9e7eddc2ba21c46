import FixstreamOSM
import FixstreamRoads
import Testing

/// The rules that decide which ways a delivery van drives on, and how.
struct OSMTagPolicyTests {
    private func kept(_ tags: [String: String]) -> OSMRoadTags? {
        if case .keep(let road) = OSMTagPolicy.verdict(tags) { return road }
        return nil
    }

    private func direction(_ tags: [String: String]) -> RoadDirection? {
        kept(tags)?.direction
    }

    @Test func motorVehicleHighwaysAreKeptAndOthersAreNotRoads() {
        #expect(kept(["highway": "residential"])?.roadClass == .residential)
        #expect(kept(["highway": "road"])?.roadClass == .unclassified)
        #expect(kept(["highway": "motorway_link"])?.roadClass == .motorwayLink)
        for highway in ["footway", "steps", "path", "cycleway", "pedestrian", "construction", "proposed"] {
            #expect(OSMTagPolicy.verdict(["highway": highway]) == .skip(.notARoad), "highway=\(highway)")
        }
        #expect(OSMTagPolicy.verdict([:]) == .skip(.notARoad))
        #expect(OSMTagPolicy.verdict(["building": "yes", "name": "Casino"]) == .skip(.notARoad))
    }

    @Test func areasAreSkipped() {
        #expect(OSMTagPolicy.verdict(["highway": "service", "area": "yes"]) == .skip(.area))
        #expect(kept(["highway": "service", "area": "no"]) != nil)
    }

    @Test(arguments: [
        ("yes", RoadDirection.forward), ("true", .forward), ("1", .forward),
        ("-1", .backward), ("reverse", .backward),
        ("no", .both), ("false", .both), ("0", .both),
        ("maybe", .both),  // unreadable: as if untagged
    ])
    func onewayValues(value: String, expected: RoadDirection) {
        #expect(direction(["highway": "residential", "oneway": value]) == expected)
    }

    @Test func reversibleAndAlternatingWaysAreSkipped() {
        #expect(OSMTagPolicy.verdict(["highway": "primary", "oneway": "reversible"]) == .skip(.reversible))
        #expect(OSMTagPolicy.verdict(["highway": "tertiary", "oneway": "alternating"]) == .skip(.reversible))
    }

    @Test func roundaboutsAreOnewayUnlessTaggedOtherwise() {
        #expect(direction(["highway": "primary", "junction": "roundabout"]) == .forward)
        #expect(direction(["highway": "tertiary", "junction": "circular"]) == .forward)
        #expect(direction(["highway": "primary", "junction": "roundabout", "oneway": "no"]) == .both)
        #expect(direction(["highway": "primary", "junction": "roundabout", "oneway": "-1"]) == .backward)
        #expect(direction(["highway": "primary", "junction": "yes"]) == .both)
    }

    @Test func motorwaysAreImpliedOneway() {
        #expect(direction(["highway": "motorway"]) == .forward)
        #expect(direction(["highway": "motorway_link"]) == .forward)
        #expect(direction(["highway": "motorway", "oneway": "no"]) == .both)
        #expect(direction(["highway": "motorway_link", "oneway": "-1"]) == .backward)
        #expect(direction(["highway": "trunk"]) == .both)
        #expect(direction(["highway": "trunk_link"]) == .both)
    }

    @Test(arguments: ["no", "agricultural", "forestry", "emergency", "psv", "bus", "military"])
    func forbiddingAccessValues(value: String) {
        #expect(OSMTagPolicy.verdict(["highway": "service", "access": value]) == .skip(.noAccess))
        #expect(OSMTagPolicy.verdict(["highway": "service", "motorcar": value]) == .skip(.noAccess))
    }

    @Test(arguments: ["yes", "permissive", "destination", "delivery", "customers", "designated"])
    func routableAccessValues(value: String) {
        #expect(kept(["highway": "service", "access": value]) != nil)
        #expect(kept(["highway": "service", "access": "no", "motor_vehicle": value]) != nil)
    }

    @Test func theMostSpecificAccessTagWins() {
        let road = ["highway": "residential"]
        func routable(_ extra: [String: String]) -> Bool {
            OSMTagPolicy.isRoutable(road.merging(extra) { _, new in new })
        }
        #expect(routable([:]))
        #expect(!routable(["access": "no"]))
        #expect(routable(["access": "no", "vehicle": "yes"]))
        #expect(!routable(["access": "yes", "vehicle": "no"]))
        #expect(routable(["vehicle": "no", "motor_vehicle": "destination"]))
        #expect(!routable(["motor_vehicle": "yes", "motorcar": "no"]))
        #expect(OSMTagPolicy.access(["motor_vehicle": "yes", "motorcar": "private"]) == .restricted)
        #expect(routable(["access": "private", "motor_vehicle": "no", "motorcar": "delivery"]))
        // A value that decides nothing leaves the decision to the more general tag.
        #expect(!routable(["access": "no", "motorcar": "unknown"]))
        #expect(routable(["access": "discouraged"]))
        // Lists: a routable entry lets the van in.
        #expect(routable(["access": "no;delivery"]))
        #expect(routable(["access": "private ; destination"]))
        #expect(!routable(["access": "no;agricultural"]))
        #expect(OSMTagPolicy.access(["access": "private;agricultural"]) == .restricted)
        #expect(OSMTagPolicy.access(["access": "private;yes"]) == .open)
    }

    @Test(
        arguments: [
            ("50", 50), ("7.5", 7.5), ("30 mph", 30 * 1.609_344), ("30mph", 30 * 1.609_344),
            ("50 km/h", 50), ("50 kmh", 50), ("60kph", 60), ("10 knots", 18.52), ("50;30", 50), (" 40 ", 40),
            ("walk", 6),
        ] as [(String, Float)]
    )
    func readableSpeedLimits(text: String, kilometresPerHour: Float) throws {
        let metresPerSecond = try #require(OSMTagPolicy.speedLimit(text))
        #expect(abs(metresPerSecond * 3.6 - kilometresPerHour) < 0.001, "maxspeed=\(text)")
    }

    @Test(arguments: [
        "none", "signals", "variable", "FR:urban", "DE:zone30", "RU:rural", "", "fast", "50 furlongs", "0", "-30",
        "1000", "5O", "mph", ".", "1.2.3", "nan", "inf", ";50",
    ])
    func unreadableSpeedLimitsLeaveTheClassDefault(text: String) {
        #expect(OSMTagPolicy.speedLimit(text) == nil, "maxspeed=\(text)")
    }

    @Test func speedLimitNameAndRefAreCopied() throws {
        let road = try #require(
            kept(["highway": "primary", "maxspeed": "50", "name": "Boulevard du Larvotto", "ref": "D 6098"])
        )
        #expect(
            road
                == OSMRoadTags(
                    roadClass: .primary,
                    direction: .both,
                    speedLimit: 50 / 3.6,
                    name: "Boulevard du Larvotto",
                    ref: "D 6098"
                )
        )
        let plain = try #require(kept(["highway": "service", "maxspeed": "none"]))
        #expect(plain.speedLimit == nil && plain.name.isEmpty && plain.ref.isEmpty)
        #expect(
            plain.way(id: 9, nodes: [1, 2])
                == RoadWay(id: 9, nodes: [1, 2], direction: .both, roadClass: .service)
        )
    }

    @Test func restrictedWaysAreKeptButSlow() {
        for value in ["private", "destination", "delivery", "customers"] {
            let tags = try! #require(kept(["highway": "residential", "access": value, "maxspeed": "50"]))
            #expect(tags.isRestricted)
            let way = tags.way(id: 1, nodes: [1, 2])
            #expect(way.travelSpeed == RoadWay.restrictedSpeed)
            #expect(way.speedLimit == 50 / 3.6)
        }
        #expect(kept(["highway": "residential"])?.isRestricted == false)
        #expect(kept(["highway": "residential", "access": "private", "motorcar": "yes"])?.isRestricted == false)
    }

    @Test func tracksAndPathsOpenToMotorVehiclesAreRoads() {
        #expect(kept(["highway": "track"])?.roadClass == .track)
        let permitted = try! #require(kept(["highway": "footway", "motor_vehicle": "permissive"]))
        #expect(permitted.roadClass == .service)
        #expect(!permitted.isRestricted)
        #expect(kept(["highway": "pedestrian", "motorcar": "destination"])?.isRestricted == true)
        #expect(OSMTagPolicy.verdict(["highway": "footway", "access": "yes"]) == .skip(.notARoad))
        #expect(OSMTagPolicy.verdict(["highway": "footway", "motor_vehicle": "no"]) == .skip(.notARoad))
    }

    @Test func accessIsCheckedBeforeDirection() {
        #expect(
            OSMTagPolicy.verdict(["highway": "service", "access": "no", "oneway": "reversible"])
                == .skip(.noAccess)
        )
        #expect(OSMTagPolicy.verdict(["highway": "footway", "area": "yes"]) == .skip(.notARoad))
    }
}
