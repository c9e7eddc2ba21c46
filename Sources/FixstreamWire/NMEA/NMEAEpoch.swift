/// What the sentences of one receiver epoch (one UTC time of day) said, merged.
///
/// RMC brings the date, speed and course; GGA and GNS altitude, quality, satellites and HDOP; GSA the fix mode and
/// DOPs; VTG speed and course; GLL a position. Empty fields never overwrite values another sentence gave.
struct NMEAEpoch {
    /// Milliseconds of the UTC day, or -1 when no epoch is open.
    var timeOfDay: Int64 = -1
    /// Day (since 1970) from an RMC of this epoch.
    var day: Int64?
    var latitude = 0.0
    var longitude = 0.0
    /// Fraction digits of the best position so far; -1 when there is none.
    var positionDigits = -1
    var speed: Float?
    var course: Float?
    var altitude: Double?
    var hdop: Float?
    var satellites: UInt8?
    /// GGA quality digit 1...8, or 0 when not given.
    var ggaQuality: UInt8 = 0
    /// Best mode indicator letter from RMC/GLL/GNS/VTG, or 0.
    var modeIndicator: UInt8 = 0
    var fixMode = FixMode.unknown
    /// The first reason a sentence of this epoch gave for the fix being invalid.
    var invalid: RejectReason?

    var isOpen: Bool { timeOfDay >= 0 }

    /// Takes a position if it is at least as precise as the one held.
    mutating func offer(latitude: Double, longitude: Double, digits: Int) {
        guard digits >= positionDigits else { return }
        self.latitude = latitude
        self.longitude = longitude
        positionDigits = digits
    }

    mutating func markInvalid(_ reason: RejectReason) {
        if invalid == nil { invalid = reason }
    }

    /// Records a mode indicator letter, keeping the most informative one; `N` marks the fix invalid.
    mutating func offer(modeIndicator letter: UInt8) {
        switch letter {
        case UInt8(ascii: "N"): markInvalid(.statusVoid)
        case UInt8(ascii: "A"), UInt8(ascii: "D"), UInt8(ascii: "E"), UInt8(ascii: "F"), UInt8(ascii: "M"),
            UInt8(ascii: "P"), UInt8(ascii: "R"), UInt8(ascii: "S"):
            if modeIndicator == 0 || modeIndicator == UInt8(ascii: "A") { modeIndicator = letter }
        default: break
        }
    }

    /// The quality this epoch reports: GGA quality first, then the mode indicator.
    var quality: FixQuality {
        switch ggaQuality {
        case 1: break
        case 2: return .differential
        case 3: return .precise
        case 4: return .rtkFixed
        case 5: return .rtkFloat
        case 6: return .estimated
        case 7: return .manual
        case 8: return .simulated
        default: break
        }
        switch modeIndicator {
        case UInt8(ascii: "A"): return .autonomous
        case UInt8(ascii: "D"): return .differential
        case UInt8(ascii: "P"): return .precise
        case UInt8(ascii: "R"): return .rtkFixed
        case UInt8(ascii: "F"): return .rtkFloat
        case UInt8(ascii: "E"): return .estimated
        case UInt8(ascii: "M"): return .manual
        case UInt8(ascii: "S"): return .simulated
        default: return ggaQuality == 1 ? .autonomous : .unknown
        }
    }
}

/// Data from a sentence without a time (GSA, VTG) waiting to learn which epoch it belongs to.
struct NMEAUntimed {
    var present = false
    var fixMode = FixMode.unknown
    var noFix = false
    var hdop: Float?
    var speed: Float?
    var course: Float?
    var modeIndicator: UInt8 = 0

    /// Merges into `epoch`.
    func apply(to epoch: inout NMEAEpoch) {
        guard present else { return }
        if noFix { epoch.markInvalid(.noFixMode) }
        if fixMode != .unknown { epoch.fixMode = fixMode }
        if epoch.hdop == nil, let hdop { epoch.hdop = hdop }
        if let speed { epoch.speed = speed }
        if let course { epoch.course = course }
        if modeIndicator != 0 { epoch.offer(modeIndicator: modeIndicator) }
    }
}
