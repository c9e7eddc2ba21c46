import FixstreamStore

/// A journal record whose body is a small alert JSON object naming its fields (no id).
func journalRecord(
    _ type: String = "gps.lost",
    vehicle: String = "van-1",
    fence: String? = nil,
    trip: String? = nil,
    time: Int64 = 1_795_000_000_000
) -> JournalRecord {
    var body = #"{"type":"\#(type)","vehicle":"\#(vehicle)""#
    if let fence { body += #","fence":"\#(fence)""# }
    if let trip { body += #","trip":"\#(trip)""# }
    body += "}"
    return JournalRecord(type: type, vehicle: vehicle, fence: fence, trip: trip, time: time, body: Array(body.utf8))
}

/// `count` records for vehicles `van-0` … `van-(count-1)`, times one second apart.
func journalRecords(_ count: Int, type: String = "gps.lost") -> [JournalRecord] {
    (0 ..< count).map { journalRecord(type, vehicle: "van-\($0)", time: 1_795_000_000_000 + Int64($0) * 1000) }
}

extension AlertJournal {
    /// Every retained entry, oldest first.
    func all() throws -> [JournalEntry] {
        try read(after: 0, limit: .max).entries
    }

    /// `SELECT count(*)`: the rows really there, to check ``count`` against.
    func countedRows() throws -> Int {
        let statement = try database.prepare("SELECT count(*) FROM alerts")
        _ = try statement.step()
        return Int(statement.int64(at: 0))
    }
}
