/// Counters kept by a decoder: fixes out, rejects and ignored input by kind, and notes.
///
/// Plain integers in fixed slots: updating a counter is an add, never an allocation or a hash.
public struct DecodeStats: Sendable, Equatable {
    /// Fixes emitted.
    public var fixes = 0
    /// Records seen: lines and JSON objects, whatever became of them.
    public var records = 0
    /// NMEA sentences whose checksum (or lack of one) was accepted.
    public var sentences = 0
    /// JSON objects seen.
    public var jsonObjects = 0
    /// Accepted sentences that carried no checksum.
    public var sentencesWithoutChecksum = 0
    /// Epochs that had to wait for a later RMC/ZDA to learn their date (and then were emitted).
    public var heldForDate = 0
    private var rejectCounts = [Int](repeating: 0, count: RejectReason.allCases.count)
    private var ignoredCounts = [Int](repeating: 0, count: IgnoredKind.allCases.count)

    /// Creates empty counters.
    public init() {}

    /// Counts one reject.
    @inlinable
    public mutating func count(_ reason: RejectReason) { addReject(reason, 1) }

    /// Counts one ignored item.
    @inlinable
    public mutating func count(_ kind: IgnoredKind) { addIgnored(kind, 1) }

    @usableFromInline
    mutating func addReject(_ reason: RejectReason, _ n: Int) { rejectCounts[Int(reason.rawValue)] &+= n }

    @usableFromInline
    mutating func addIgnored(_ kind: IgnoredKind, _ n: Int) { ignoredCounts[Int(kind.rawValue)] &+= n }

    /// How many times `reason` was counted.
    public subscript(reason: RejectReason) -> Int { rejectCounts[Int(reason.rawValue)] }

    /// How many times `kind` was counted.
    public subscript(kind: IgnoredKind) -> Int { ignoredCounts[Int(kind.rawValue)] }

    /// All rejects.
    public var rejected: Int { rejectCounts.reduce(0, +) }

    /// All ignored items.
    public var ignored: Int { ignoredCounts.reduce(0, +) }

    /// Adds another decoder's counters to these.
    public mutating func merge(_ other: DecodeStats) {
        fixes += other.fixes
        records += other.records
        sentences += other.sentences
        jsonObjects += other.jsonObjects
        sentencesWithoutChecksum += other.sentencesWithoutChecksum
        heldForDate += other.heldForDate
        for reason in RejectReason.allCases { addReject(reason, other[reason]) }
        for kind in IgnoredKind.allCases { addIgnored(kind, other[kind]) }
    }

    /// Sets every counter back to zero, keeping the storage.
    public mutating func reset() {
        fixes = 0
        records = 0
        sentences = 0
        jsonObjects = 0
        sentencesWithoutChecksum = 0
        heldForDate = 0
        for index in rejectCounts.indices { rejectCounts[index] = 0 }
        for index in ignoredCounts.indices { ignoredCounts[index] = 0 }
    }

    /// One human-readable line: fixes, rejects by reason, ignored by kind, notes. Zero counts are left out.
    public var summary: String {
        var parts = ["\(fixes) fixes"]
        let rejects = RejectReason.allCases.filter { self[$0] > 0 }.map { "\($0.name)=\(self[$0])" }
        parts.append("rejected \(rejected)" + (rejects.isEmpty ? "" : " (" + rejects.joined(separator: " ") + ")"))
        let ignores = IgnoredKind.allCases.filter { self[$0] > 0 }.map { "\($0.name)=\(self[$0])" }
        parts.append("ignored \(ignored)" + (ignores.isEmpty ? "" : " (" + ignores.joined(separator: " ") + ")"))
        var notes = ["sentences=\(sentences)", "json_objects=\(jsonObjects)"]
        if sentencesWithoutChecksum > 0 { notes.append("no_checksum=\(sentencesWithoutChecksum)") }
        if heldForDate > 0 { notes.append("held_for_date=\(heldForDate)") }
        parts.append(notes.joined(separator: " "))
        return parts.joined(separator: "; ")
    }
}
