import Testing

@testable import FixstreamSim

/// The kinematics: from standstill to standstill under the road speed, acceleration and braking limits.
struct SpeedProfileTests {
    /// A straight path east, `length` metres, at `speed`.
    private func straight(_ length: Double, speed: Double) -> DrivePath {
        var path = DrivePath()
        path.append(
            [PlanePoint(x: 0, y: 0), PlanePoint(x: length, y: 0)],
            speed: speed,
            junctionDegree: nil,
            edge: 0,
            offset: 0
        )
        return path
    }

    private let driver = SpeedProfile.Driver(speedFactor: 1, acceleration: 1.5, braking: 2)

    @Test func startsAndEndsAtRestWithinTheLimits() {
        let profile = SpeedProfile(path: straight(1_000, speed: 10), from: 0, to: 1_000, driver: driver, slowdowns: [])
        #expect(profile.speeds.first == 0)
        #expect(profile.speeds.last == 0)
        #expect(profile.speeds.allSatisfy { $0 <= 10 + 1e-9 })
        #expect(profile.speeds.max()! > 9.99)  // long enough to reach the road speed
        // Between samples, speed changes no faster than the limits allow (v² changes by at most 2 a ds).
        for index in 1 ..< profile.speeds.count {
            let change =
                profile.speeds[index] * profile.speeds[index] - profile.speeds[index - 1] * profile.speeds[index - 1]
            #expect(change <= 2 * 1.5 * profile.step + 1e-9)
            #expect(change >= -2 * 2 * profile.step - 1e-9)
        }
        // Cruising 1 km at 10 m/s takes 100 s; accelerating and braking add v/2a + v/2b = 5.8 s.
        #expect(abs(profile.duration - (100 + 10 / 3.0 + 2.5)) < 0.5)
    }

    @Test func positionsFollowTheProfile() {
        let profile = SpeedProfile(path: straight(300, speed: 8), from: 0, to: 300, driver: driver, slowdowns: [])
        var previous = -1.0
        var time = 0.0
        while time <= profile.duration {
            let state = profile.state(at: time)
            #expect(state.along >= previous)
            #expect(state.speed >= 0 && state.speed <= 8 + 1e-9)
            previous = state.along
            time += 0.5
        }
        #expect(profile.state(at: profile.duration + 10).along == 300)
        #expect(abs(profile.time(at: profile.state(at: 20).along) - 20) < 0.05)
    }

    @Test func slowStretchesAndTurnsSlowTheVehicleDown() {
        let path = straight(1_000, speed: 12)
        let free = SpeedProfile(path: path, from: 0, to: 1_000, driver: driver, slowdowns: [])
        let slowed = SpeedProfile(
            path: path,
            from: 0,
            to: 1_000,
            driver: driver,
            slowdowns: [SpeedProfile.Slowdown(from: 300, to: 700, factor: 0.5)]
        )
        #expect(slowed.duration > free.duration + 25)
        #expect(slowed.speeds[500] <= 6 + 1e-9)
        #expect(SpeedProfile.turnSpeed(0.1) == .infinity)
        #expect(SpeedProfile.turnSpeed(.pi / 2) < 6)
        #expect(SpeedProfile.turnSpeed(.pi) == 2.5)
    }
}
