import FixstreamNet
import Testing

@testable import FixstreamServer

struct SPSCRingTests {
    @Test func stagedElementsAppearOnlyWhenPublished() {
        let ring = SPSCRing<Int>(capacity: 8)
        #expect(ring.stage(1))
        #expect(ring.stage(2))
        #expect(ring.count == 0)
        #expect(ring.drain(limit: 8) { _ in } == 0)
        ring.publish()
        #expect(ring.count == 2)
        var taken: [Int] = []
        #expect(ring.drain(limit: 8) { taken.append($0) } == 2)
        #expect(taken == [1, 2])
    }

    @Test func stagingCountsAgainstCapacity() {
        let ring = SPSCRing<Int>(capacity: 4)
        for value in 0 ..< 4 { #expect(ring.stage(value)) }
        #expect(!ring.stage(4))
        #expect(!ring.push(4))
        ring.publish()
        #expect(ring.drain(limit: 2) { _ in } == 2)
        #expect(ring.stage(4))
        ring.publish()
        var taken: [Int] = []
        // The consumer reloads the tail only once it has taken what it last saw.
        while ring.drain(limit: 8, { taken.append($0) }) > 0 {}
        #expect(taken == [2, 3, 4])
    }

    @Test func elementsLeftStagedAreReleasedWithTheRing() {
        final class Token {
            let released: () -> Void
            init(_ released: @escaping () -> Void) { self.released = released }
            deinit { released() }
        }
        var released = 0
        do {
            let ring = SPSCRing<Token>(capacity: 4)
            #expect(ring.push(Token { released += 1 }))
            #expect(ring.stage(Token { released += 1 }))
        }
        #expect(released == 2)
    }

    @Test func batchesCrossThreadsInOrder() throws {
        let ring = SPSCRing<Int>(capacity: 64)
        let total = 20_000
        let producer = try spawnThread(name: "ring-test") {
            var next = 0
            while next < total {
                var staged = 0
                while next < total && staged < 10 && ring.stage(next) {
                    next += 1
                    staged += 1
                }
                ring.publish()
            }
        }
        var expected = 0
        var inOrder = true
        while expected < total {
            _ = ring.drain(limit: 16) { value in
                if value != expected { inOrder = false }
                expected += 1
            }
        }
        producer.join()
        #expect(inOrder)
        #expect(ring.count == 0)
    }
}
