import FixstreamWire

/// What the engine itself keeps per vehicle: ordering, duplicate and jump state. Stages keep their own.
struct VehicleState {
    /// A fix waiting in the hold buffer, with the shard-clock time it may wait until.
    struct Held {
        var fix: Fix
        var deadline: Int64
    }

    let id: VehicleID
    /// The last fix that went through the stages: the anchor of the jump filter.
    var last: Fix?
    /// Event time of the last fix released to the stages (or set aside by the jump filter).
    var released = Int64.min
    /// The newest event time seen (held or released).
    var newest = Int64.min
    /// Whether the vehicle changed (a fix went to the stages, a stage timer fired) since its last checkpoint. Kept
    /// here rather than in an array of its own: setting it then costs nothing beyond the writes `release` makes
    /// to this state anyway.
    var dirty = false
    /// Times of the last few released fixes, to tell a duplicate from a late fix.
    var recent: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (
        .min, .min, .min, .min, .min, .min, .min, .min
    )
    var recentNext = 0
    /// Which of the 64 seconds up to `seenAnchor` (epoch seconds) had a released fix: bit i is second
    /// `seenAnchor - i`. Recognises a resent backlog (trackers resend what was not acknowledged) as duplicates
    /// for eight bytes a vehicle.
    var seenSeconds: UInt64 = 0
    var seenAnchor: Int64 = .min
    /// Fixes held back to be put in order, sorted by event time. Empty (and unallocated) for orderly vehicles.
    var held: [Held] = []
    /// How long new fixes are held on the shard clock; 0 until the vehicle shows disorder.
    var holdDelay: Int64 = 0
    /// Shard-clock time of the last disorder seen.
    var lastDisorder = Int64.min
    /// Consecutive jump rejects that agree with one another, and where and when the latest of them was (a whole
    /// `Fix` here would cost a hundred bytes per vehicle for a rare case).
    var jumpRejects = 0
    var jumpCandidate: JumpCandidate?

    struct JumpCandidate {
        var latitude: Double
        var longitude: Double
        var time: Int64
    }

    init(id: VehicleID) {
        self.id = id
    }

    func recentlyReleased(_ time: Int64) -> Bool {
        time == recent.0 || time == recent.1 || time == recent.2 || time == recent.3 || time == recent.4
            || time == recent.5 || time == recent.6 || time == recent.7
    }

    /// Whether a fix was released in the same second as `time`, within the last 64 seconds.
    func seenSecond(_ time: Int64) -> Bool {
        let second = time / 1000
        guard seenAnchor != .min, second <= seenAnchor, seenAnchor - second < 64 else { return false }
        return seenSeconds & (1 << UInt64(seenAnchor - second)) != 0
    }

    mutating func remember(_ time: Int64) {
        let second = time / 1000
        if seenAnchor == .min || second > seenAnchor {
            let shift = seenAnchor == .min ? 64 : second - seenAnchor
            seenSeconds = shift >= 64 ? 0 : seenSeconds << UInt64(shift)
            seenAnchor = second
        }
        if seenAnchor - second < 64 { seenSeconds |= 1 << UInt64(seenAnchor - second) }
        switch recentNext {
        case 0: recent.0 = time
        case 1: recent.1 = time
        case 2: recent.2 = time
        case 3: recent.3 = time
        case 4: recent.4 = time
        case 5: recent.5 = time
        case 6: recent.6 = time
        default: recent.7 = time
        }
        recentNext = (recentNext + 1) & 7
    }

    func isHeld(_ time: Int64) -> Bool {
        held.contains { $0.fix.time.millisecondsSinceEpoch == time }
    }
}
