import FixstreamOSM
import Testing

struct OSMNodeTableTests {
    @Test func findsNodesByIdAtOSMPrecision() throws {
        var table = OSMNodeTable()
        let fiveStored = table.append(id: 5, latitude: 43.737_012_5, longitude: 7.422_028)
        #expect(fiveStored)
        let nineStored = table.append(id: 9, latitude: -89.999_999_9, longitude: -179.999_999_9)
        #expect(nineStored)
        #expect(table.isSorted)
        let five = try #require(table.position(of: 5))
        #expect(five.latitude == 43.737_012_5 && five.longitude == 7.422_028)
        let nine = try #require(table.position(of: 9))
        #expect(nine.latitude == -89.999_999_9 && nine.longitude == -179.999_999_9)
        #expect(table.index(of: 7) == nil && table.index(of: 1) == nil && table.index(of: 10) == nil)
    }

    @Test func refusesPositionsOutOfRange() {
        var table = OSMNodeTable()
        let northOfThePole = table.append(id: 1, latitude: 90.000_1, longitude: 0)
        #expect(!northOfThePole)
        let westOfTheDateLine = table.append(id: 2, latitude: 0, longitude: -180.5)
        #expect(!westOfTheDateLine)
        let notANumber = table.append(id: 3, latitude: .nan, longitude: 0)
        #expect(!notANumber)
        let infinite = table.append(id: 4, latitude: 0, longitude: .infinity)
        #expect(!infinite)
        #expect(table.count == 0)
    }

    @Test func sortsOutOfOrderIdsAndTheLastPositionWins() {
        var table = OSMNodeTable()
        table.append(id: 30, latitude: 3, longitude: 3)
        table.append(id: 10, latitude: 1, longitude: 1)
        table.append(id: 20, latitude: 2, longitude: 2)
        table.append(id: 10, latitude: 1.5, longitude: 1.5)
        #expect(!table.isSorted)
        table.sort()
        #expect(table.isSorted)
        #expect(table.ids == [10, 20, 30])
        #expect(table.position(of: 10)?.latitude == 1.5)
        #expect(table.position(of: 30)?.longitude == 3)
    }

    @Test func aRepeatedIdMakesTheTableUnsorted() {
        var table = OSMNodeTable()
        table.append(id: 1, latitude: 1, longitude: 1)
        table.append(id: 1, latitude: 2, longitude: 2)
        #expect(!table.isSorted)
        table.sort()
        #expect(table.count == 1 && table.position(of: 1)?.latitude == 2)
    }
}
