public import FixstreamGeo

/// Traces with known true routes, as in Tests/Fixtures/mapmatch/monaco-synthetic: a points file
/// (`trace_id,seq,t,lat,lon,...`, one fix per line, grouped by trace) and a truth file (`trace_id,wkt` with a WKT
/// LINESTRING or MULTILINESTRING of "lon lat" pairs).
public struct SyntheticTraces: Sendable {
    /// One trace: its id, its fixes in time order and its true route.
    public struct Trace: Sendable {
        /// The trace's id.
        public var id: String
        /// The fixes: time in seconds, position in degrees.
        public var fixes: [(time: Double, latitude: Double, longitude: Double)]
        /// The driven route, in pieces.
        public var truth: [[Coordinate]]
    }

    /// The traces in the order of the points file.
    public private(set) var traces: [Trace] = []

    /// Parses the two files' contents.
    /// - Throws: ``EvalError`` naming the line that does not parse, or a trace without a truth.
    public init(points: [UInt8], truth: [UInt8]) throws(EvalError) {
        var routes: [String: [[Coordinate]]] = [:]
        for (number, line) in Self.lines(truth).enumerated().dropFirst() {
            guard let comma = line.firstIndex(of: UInt8(ascii: ",")) else {
                throw EvalError("truth line \(number + 1): no comma")
            }
            let id = String(decoding: line[..<comma], as: UTF8.self)
            routes[id] = try Self.wkt(line[(comma + 1)...], line: number + 1)
        }
        var index: [String: Int] = [:]
        for (number, line) in Self.lines(points).enumerated().dropFirst() {
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count >= 5, let time = Self.number(fields[2]), let latitude = Self.number(fields[3]),
                let longitude = Self.number(fields[4])
            else { throw EvalError("points line \(number + 1): expected trace_id,seq,t,lat,lon") }
            let id = String(decoding: fields[0], as: UTF8.self)
            if index[id] == nil {
                guard let truth = routes[id] else { throw EvalError("trace \(id) has no true route") }
                index[id] = traces.count
                traces.append(Trace(id: id, fixes: [], truth: truth))
            }
            traces[index[id]!].fixes.append((time, latitude, longitude))
        }
    }

    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n")).map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }

    /// The pieces of a WKT LINESTRING or MULTILINESTRING (quotes around it allowed).
    private static func wkt(_ text: ArraySlice<UInt8>, line: Int) throws(EvalError) -> [[Coordinate]] {
        var pieces: [[Coordinate]] = []
        var current: [Coordinate]?
        var token: [UInt8] = []
        var pair: [Double] = []
        func endNumber() throws(EvalError) {
            guard !token.isEmpty else { return }
            guard let value = Double(String(decoding: token, as: UTF8.self)) else {
                throw EvalError("truth line \(line): bad number in WKT")
            }
            pair.append(value)
            token.removeAll()
        }
        func endPoint() throws(EvalError) {
            try endNumber()
            guard !pair.isEmpty else { return }
            guard pair.count == 2 else { throw EvalError("truth line \(line): a WKT point needs two numbers") }
            current?.append(Coordinate(latitude: pair[1], longitude: pair[0]))
            pair.removeAll()
        }
        for byte in text {
            switch byte {
            case UInt8(ascii: "("):
                current = []
            case UInt8(ascii: ")"):
                try endPoint()
                if let piece = current, !piece.isEmpty { pieces.append(piece) }
                current = nil
            case UInt8(ascii: ","):
                try endPoint()
            case UInt8(ascii: " "):
                try endNumber()
            case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "e"),
                UInt8(ascii: "E"), UInt8(ascii: "+"):
                if current != nil { token.append(byte) }
            default:
                continue
            }
        }
        guard !pieces.isEmpty else { throw EvalError("truth line \(line): no WKT line") }
        return pieces
    }
}

/// Evaluation input that does not parse.
public struct EvalError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and where.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
