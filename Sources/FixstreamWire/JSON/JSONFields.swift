/// The members of one JSON object that ``JSONFixDecoder`` uses, filed by key, before validation.
///
/// Both readers fill it: ``JSONScanner`` for framed records and ``JSONFastScanner`` for objects read straight from
/// a chunk, so validation and fix building see the same thing whichever read the object.
struct JSONFields {
    enum Dialect {
        case native
        case gpsd
        case owntracks
    }

    var id: JSONScanner.Member?
    var time: JSONScanner.Member?
    var epochSeconds: JSONScanner.Member?  // OwnTracks tst
    var latitude: JSONScanner.Member?
    var longitude: JSONScanner.Member?
    var speed: JSONScanner.Member?
    var velocityKmh: JSONScanner.Member?
    var course: JSONScanner.Member?
    var altitude: JSONScanner.Member?
    var altitudeMSL: JSONScanner.Member?
    var hdop: JSONScanner.Member?
    var satellites: JSONScanner.Member?
    var accuracy: JSONScanner.Member?
    var gpsdMode: JSONScanner.Member?
    var gpsdStatus: JSONScanner.Member?
    var quality: JSONScanner.Member?
    var messageType: JSONScanner.Member?
    var dialect = Dialect.native
    var shortT: JSONScanner.Member?  // `t`: time in native, trigger in OwnTracks

    /// A key of up to 8 bytes packed little-endian into an integer, so matching is one compare; 0 for longer keys
    /// (no key that matters is longer).
    static func pack(_ key: UnsafeRawBufferPointer) -> UInt64 {
        guard key.count <= 8 else { return 0 }
        var value: UInt64 = 0
        for index in 0 ..< key.count { value |= UInt64(key[index]) << (8 * UInt64(index)) }
        return value
    }

    /// Files a member under the field its key names; `key` is the member's key packed by ``pack(_:)``.
    @inline(__always)
    mutating func assign(_ m: JSONScanner.Member, key: UInt64) {
        switch key {
        case 0x74: shortT = m  // "t"
        case 0x6469, 0x656c6369686576, 0x656369766564: id = m  // "id", "vehicle", "device"
        case 0x74616c: latitude = m  // "lat"
        case 0x6e6f6c: longitude = m  // "lon"
        case 0x746c61: altitude = m  // "alt"
        case 0x636361, 0x687065: accuracy = m  // "acc", "eph"
        case 0x646974: if id == nil { id = m }  // "tid"
        case 0x747374: epochSeconds = m  // "tst"
        case 0x6c6576: velocityKmh = m  // "vel"
        case 0x676f63, 0x6b63617274, 0x657372756f63: course = m  // "cog", "track", "course"
        case 0x656d6974: time = m  // "time"
        case 0x706f6468: hdop = m  // "hdop"
        case 0x73746173: satellites = m  // "sats"
        case 0x65646f6d: gpsdMode = m  // "mode"
        case 0x6465657073: speed = m  // "speed"
        case 0x7373616c63:  // "class"
            messageType = m
            dialect = .gpsd
        case 0x657079745f:  // "_type"
            messageType = m
            dialect = .owntracks
        case 0x4c534d746c61: altitudeMSL = m  // "altMSL"
        case 0x737574617473: gpsdStatus = m  // "status"
        case 0x7974696c617571: quality = m  // "quality"
        default: break
        }
    }
}
