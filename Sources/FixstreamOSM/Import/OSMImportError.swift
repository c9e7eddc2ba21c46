/// Why an OpenStreetMap file could not be imported: it cannot be read, it is not well-formed XML, or it is not an
/// OSM document.
///
/// `code` is stable for programs; `message` is for people; `path` is the file and `line` the line of the XML
/// where the problem was found, when known. The description reads
/// `malformed_xml: map.osm, line 6: mismatched end tag`.
public struct OSMImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// The file cannot be opened or read; the message carries the system's reason.
        public static let io = Code("io")
        /// The XML is not well-formed (a mismatched tag, an unclosed element, a truncated file, ...).
        public static let malformedXML = Code("malformed_xml")
        /// Well-formed, but not an OSM document: empty, or a root element other than `<osm>`.
        public static let notOSM = Code("not_osm")
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// The file being imported.
    public var path: String
    /// The line of the file where the problem was found (from 1), when known.
    public var line: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
    }

    /// `malformed_xml: map.osm, line 6: mismatched end tag`.
    public var description: String {
        "\(code): \(path)" + (line.map { ", line \($0)" } ?? "") + ": " + message
    }
}
