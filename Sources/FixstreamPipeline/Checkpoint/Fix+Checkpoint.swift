import FixstreamWire

extension CheckpointWriter {
    /// Writes a fix without its vehicle (the checkpoint's row names it): time, position, a byte saying which
    /// optional values follow, the values, then quality, mode and source.
    mutating func write(_ fix: Fix) {
        write(fix.time.millisecondsSinceEpoch)
        write(fix.latitude)
        write(fix.longitude)
        var present: UInt8 = 0
        if fix.speed != nil { present |= 1 }
        if fix.course != nil { present |= 2 }
        if fix.altitude != nil { present |= 4 }
        if fix.hdop != nil { present |= 8 }
        if fix.satellites != nil { present |= 16 }
        if fix.accuracy != nil { present |= 32 }
        write(present)
        if let speed = fix.speed { write(speed) }
        if let course = fix.course { write(course) }
        if let altitude = fix.altitude { write(altitude) }
        if let hdop = fix.hdop { write(hdop) }
        if let satellites = fix.satellites { write(satellites) }
        if let accuracy = fix.accuracy { write(accuracy) }
        write(fix.quality.rawValue)
        write(fix.mode.rawValue)
        write(fix.source.rawValue)
    }
}

extension CheckpointReader {
    /// Reads a fix written by ``CheckpointWriter/write(_:)-(Fix)`` for `vehicle`.
    /// - Throws: ``CheckpointError`` for a truncated fix, a position off the Earth or an unknown enum value.
    mutating func readFix(vehicle: VehicleID) throws(CheckpointError) -> Fix {
        let time = try readInt64()
        let latitude = try readDouble()
        let longitude = try readDouble()
        guard Fix.isValidCoordinate(latitude: latitude, longitude: longitude) else {
            throw failure(.malformed, "a fix at \(latitude), \(longitude), off the Earth")
        }
        let present = try readByte()
        guard present < 64 else { throw failure(.malformed, "unknown optional fix values \(present)") }
        var fix = Fix(
            vehicle: vehicle,
            time: Timestamp(millisecondsSinceEpoch: time),
            latitude: latitude,
            longitude: longitude,
            source: .json
        )
        if present & 1 != 0 { fix.speed = try readFloat() }
        if present & 2 != 0 { fix.course = try readFloat() }
        if present & 4 != 0 { fix.altitude = try readDouble() }
        if present & 8 != 0 { fix.hdop = try readFloat() }
        if present & 16 != 0 { fix.satellites = try readByte() }
        if present & 32 != 0 { fix.accuracy = try readFloat() }
        guard let quality = FixQuality(rawValue: try readByte()), let mode = FixMode(rawValue: try readByte()),
            let source = FixSource(rawValue: try readByte())
        else { throw failure(.malformed, "an unknown fix quality, mode or source") }
        fix.quality = quality
        fix.mode = mode
        fix.source = source
        return fix
    }
}
