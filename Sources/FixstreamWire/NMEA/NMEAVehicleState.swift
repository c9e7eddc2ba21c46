/// Epoch assembly and date tracking for one receiver (one vehicle).
///
/// Sentences with a time (RMC, GGA, GLL, GNS) open and close epochs: a new time of day closes the open epoch and
/// emits its fix. Sentences without a time (GSA, VTG) are held until the next timed sentence shows where they
/// belong. Receivers disagree: SiRF sends `GSA, RMC` per second, Garmin and u-blox `RMC, GGA, GSA`. When a GSA sits
/// between two sentences of the same epoch the state learns which timed sentence type follows it inside an epoch;
/// an ambiguous GSA (between two epochs) then goes to the next epoch if it is followed by that type, and to the
/// previous one otherwise. See docs/NMEA.md.
struct NMEAVehicleState {
    /// Epochs waiting for a date; beyond this the oldest is dropped as ``RejectReason/noDate``.
    static let heldCapacity = 16
    private static let halfDay: Int64 = 43_200_000

    var vehicle: VehicleID?
    private var epoch = NMEAEpoch()
    private var pendingGSA = NMEAUntimed()
    private var pendingVTG = NMEAUntimed()
    private var gsaFollower = NMEASentenceType.none
    private var vtgFollower = NMEASentenceType.none
    /// The latest date seen (RMC or ZDA) and the time of day it was given at.
    private var anchorDay: Int64 = 0
    private var anchorTime: Int64 = -1
    /// Closed epochs without a date, oldest first.
    private var held: [NMEAEpoch] = []
    /// Counts sentences of this vehicle, to tell consecutive GSAs (one per constellation) from a later cycle's.
    private var sequence = 0
    private var pendingGSASequence = 0

    init(vehicle: VehicleID?) {
        self.vehicle = vehicle
    }

    // MARK: Sentences

    /// A timed sentence begins: closes the open epoch if the time changed, and places pending untimed data.
    /// Afterwards the open epoch is the one for `timeOfDay`; merge the sentence with ``withEpoch(_:)``.
    mutating func beginTimed(
        _ type: NMEASentenceType,
        timeOfDay: Int64,
        into output: inout [Fix],
        stats: inout DecodeStats
    ) {
        if epoch.isOpen && epoch.timeOfDay == timeOfDay {
            if pendingGSA.present { gsaFollower = type }
            if pendingVTG.present { vtgFollower = type }
            flushPending()
            return
        }
        var next = NMEAEpoch()
        next.timeOfDay = timeOfDay
        if epoch.isOpen {
            Self.place(&pendingGSA, follower: gsaFollower, type: type, previous: &epoch, next: &next)
            Self.place(&pendingVTG, follower: vtgFollower, type: type, previous: &epoch, next: &next)
            close(into: &output, stats: &stats)
            epoch = next
        } else {
            // Start of stream: whatever came first precedes this type inside an epoch.
            if pendingGSA.present { gsaFollower = type }
            if pendingVTG.present { vtgFollower = type }
            epoch = next
            flushPending()
        }
    }

    private static func place(
        _ pending: inout NMEAUntimed,
        follower: NMEASentenceType,
        type: NMEASentenceType,
        previous: inout NMEAEpoch,
        next: inout NMEAEpoch
    ) {
        guard pending.present else { return }
        if follower == type {
            pending.apply(to: &next)
        } else {
            pending.apply(to: &previous)
        }
        pending = NMEAUntimed()
    }

    /// Merges pending untimed data into the open epoch.
    private mutating func flushPending() {
        pendingGSA.apply(to: &epoch)
        pendingVTG.apply(to: &epoch)
        pendingGSA = NMEAUntimed()
        pendingVTG = NMEAUntimed()
    }

    /// Merges data into the open epoch (valid only after ``beginTimed(_:timeOfDay:into:stats:)``).
    mutating func withEpoch(_ body: (inout NMEAEpoch) -> Void) {
        body(&epoch)
    }

    /// Counts one sentence of this vehicle (any type).
    mutating func tick() {
        sequence &+= 1
    }

    /// Holds GSA data until the next timed sentence.
    ///
    /// GSAs that follow each other directly (one per constellation) merge. A GSA still pending when another
    /// arrives after other sentences belongs to an earlier cycle: it goes to the open epoch first.
    mutating func gsa(_ data: NMEAUntimed) {
        if pendingGSA.present && pendingGSASequence != sequence &- 1 {
            if epoch.isOpen { pendingGSA.apply(to: &epoch) }
            pendingGSA = NMEAUntimed()
        }
        merge(data, into: &pendingGSA)
        pendingGSASequence = sequence
    }

    /// A sentence reported "no fix" and left its time empty: the receiver has moved on to a cycle without a fix.
    ///
    /// The open epoch is closed. Pending untimed data joins it, except a no-fix GSA mode, which describes the
    /// fixless cycle just announced rather than the epoch before it.
    mutating func noFixWithoutTime(into output: inout [Fix], stats: inout DecodeStats) {
        guard epoch.isOpen else {
            pendingGSA = NMEAUntimed()
            pendingVTG = NMEAUntimed()
            return
        }
        pendingGSA.noFix = false
        flushPending()
        close(into: &output, stats: &stats)
        epoch = NMEAEpoch()
    }

    /// Holds VTG data until the next timed sentence.
    mutating func vtg(_ data: NMEAUntimed) {
        merge(data, into: &pendingVTG)
    }

    private func merge(_ data: NMEAUntimed, into pending: inout NMEAUntimed) {
        // Several GSAs per epoch (one per constellation) carry the same mode and DOPs: the latest wins.
        var merged = data
        if pending.present {
            merged.noFix = pending.noFix || data.noFix
            if merged.fixMode == .unknown { merged.fixMode = pending.fixMode }
            if merged.hdop == nil { merged.hdop = pending.hdop }
            if merged.speed == nil { merged.speed = pending.speed }
            if merged.course == nil { merged.course = pending.course }
            if merged.modeIndicator == 0 { merged.modeIndicator = pending.modeIndicator }
        }
        merged.present = true
        pending = merged
    }

    /// Records a date given at a time of day (RMC or ZDA), and releases epochs that were waiting for one.
    mutating func date(day: Int64, timeOfDay: Int64, into output: inout [Fix], stats: inout DecodeStats) {
        anchorDay = day
        anchorTime = timeOfDay
        guard !held.isEmpty else { return }
        for waiting in held {
            emit(waiting, day: dayFor(waiting.timeOfDay), into: &output, stats: &stats)
            stats.heldForDate += 1
        }
        held.removeAll(keepingCapacity: true)
    }

    /// The day a time of day falls on, judged from the latest date anchor (handles midnight both ways).
    private func dayFor(_ timeOfDay: Int64) -> Int64 {
        if timeOfDay < anchorTime - Self.halfDay { return anchorDay + 1 }
        if timeOfDay > anchorTime + Self.halfDay { return anchorDay - 1 }
        return anchorDay
    }

    // MARK: Ending epochs

    /// Ends the stream or connection: pending untimed data joins the open epoch, which is closed; epochs still
    /// waiting for a date are dropped as ``RejectReason/noDate``.
    mutating func finish(into output: inout [Fix], stats: inout DecodeStats) {
        if epoch.isOpen {
            flushPending()
            close(into: &output, stats: &stats)
            epoch = NMEAEpoch()
        }
        pendingGSA = NMEAUntimed()
        pendingVTG = NMEAUntimed()
        stats.addReject(.noDate, held.count)
        held.removeAll(keepingCapacity: true)
    }

    private mutating func close(into output: inout [Fix], stats: inout DecodeStats) {
        if let reason = epoch.invalid {
            stats.count(reason)
            return
        }
        guard epoch.positionDigits >= 0 else {
            stats.count(.missingCoordinates)
            return
        }
        if let day = epoch.day {
            emit(epoch, day: day, into: &output, stats: &stats)
        } else if anchorTime >= 0 {
            emit(epoch, day: dayFor(epoch.timeOfDay), into: &output, stats: &stats)
        } else {
            if held.count == Self.heldCapacity {
                held.removeFirst()
                stats.count(.noDate)
            }
            held.append(epoch)
        }
    }

    private func emit(_ epoch: NMEAEpoch, day: Int64, into output: inout [Fix], stats: inout DecodeStats) {
        guard let vehicle else {
            stats.count(.missingVehicleID)
            return
        }
        output.append(
            Fix(
                vehicle: vehicle,
                time: Timestamp(day: day, millisecondOfDay: epoch.timeOfDay),
                latitude: epoch.latitude,
                longitude: epoch.longitude,
                speed: epoch.speed,
                course: epoch.course,
                altitude: epoch.altitude,
                hdop: epoch.hdop,
                satellites: epoch.satellites,
                quality: epoch.quality,
                mode: epoch.fixMode,
                source: .nmea
            )
        )
        stats.fixes += 1
    }
}
