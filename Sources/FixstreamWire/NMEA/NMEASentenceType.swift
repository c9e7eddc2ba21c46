/// The three letters after the talker id, packed into an integer for a cheap switch.
struct NMEASentenceType: Equatable {
    let code: UInt32

    init(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        code = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
    }

    init(_ text: StaticString) {
        let p = text.utf8Start
        self.init(p[0], p[1], p[2])
    }

    static let none = NMEASentenceType(0, 0, 0)
    static let rmc = NMEASentenceType("RMC")
    static let gga = NMEASentenceType("GGA")
    static let gll = NMEASentenceType("GLL")
    static let gns = NMEASentenceType("GNS")
    static let vtg = NMEASentenceType("VTG")
    static let gsa = NMEASentenceType("GSA")
    static let zda = NMEASentenceType("ZDA")
}
