import FixstreamRoads
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The `XMLParser` delegate behind ``OSMImporter``: collects node positions and the ways the tag policy keeps,
/// counting everything else, and remembers the first XML error with its line.
///
/// Reads `<node id lat lon>`, `<way id>` with its `<nd ref>` and `<tag k v>`, and counts `<relation>`; ignores
/// everything else (`<bounds>`, tags of nodes, members of relations). The first element must be `<osm>`.
final class OSMReader: XMLParserDelegate {
    /// Positions of every node read, in file order until sorted.
    var nodes = OSMNodeTable()
    /// The ways the tag policy keeps, with their node references (not yet checked against ``nodes``).
    var ways: [RoadWay] = []
    /// Counters.
    var statistics = OSMImportStatistics()
    /// The first problem found, which stops the parse.
    var failure: (code: OSMImportError.Code, message: String, line: Int)?
    /// Whether the root `<osm>` element was seen.
    private(set) var sawRoot = false

    /// Called with the counters every `progressInterval` while reading.
    private let progress: ((OSMImportProgress) -> Void)?
    private let progressInterval: Duration
    private let stream: OSMFileStream
    private let start: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant
    private var elementsSinceCheck = 0

    private enum Context {
        case top
        case node
        case way
        case relation
    }

    private var context = Context.top
    /// Nesting depth below `<osm>`: 0 between top-level elements.
    private var depth = 0
    private var wayID: Int64?
    private var wayNodes: [Int64] = []
    private var wayTags: [String: String] = [:]
    private var wayMalformed = false

    init(
        stream: OSMFileStream,
        progressInterval: Duration,
        start: ContinuousClock.Instant,
        progress: ((OSMImportProgress) -> Void)?
    ) {
        self.stream = stream
        self.progressInterval = progressInterval
        self.start = start
        self.lastReport = start
        self.progress = progress
        if let size = stream.size { nodes.reserveCapacity(size / 160) }
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String]
    ) {
        guard failure == nil else { return }
        if !sawRoot {
            guard elementName == "osm" else {
                stop(parser, .notOSM, "the root element is <\(elementName)>, not <osm>")
                return
            }
            sawRoot = true
            return
        }
        depth += 1
        defer { if progress != nil { checkProgress() } }
        switch context {
        case .top:
            guard depth == 1 else { return }
            switch elementName {
            case "node":
                context = .node
                readNode(attributeDict)
            case "way":
                context = .way
                statistics.ways += 1
                wayID = attributeDict["id"].flatMap { Int64($0) }
                wayMalformed = wayID == nil
                wayNodes.removeAll(keepingCapacity: true)
                wayTags.removeAll(keepingCapacity: true)
            case "relation":
                context = .relation
                statistics.relations += 1
            default:
                break
            }
        case .way:
            guard depth == 2 else { return }
            if elementName == "nd" {
                if let ref = attributeDict["ref"].flatMap({ Int64($0) }) {
                    wayNodes.append(ref)
                } else {
                    wayMalformed = true
                }
            } else if elementName == "tag", let key = attributeDict["k"], OSMTagPolicy.relevantKeys.contains(key) {
                wayTags[key] = attributeDict["v"] ?? ""
            }
        case .node, .relation:
            break
        }
    }

    func parser(
        _ parser: XMLParser,
        didEndElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        guard failure == nil, sawRoot else { return }
        if depth == 1 {
            if context == .way { endWay() }
            context = .top
        }
        depth -= 1
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard failure == nil else { return }
        // libxml2 runs in recovery mode under XMLParser and would read on to the end: stop at the first error.
        stop(parser, .malformedXML, Self.describe(parseError))
    }

    /// Records a problem found by the reader itself and stops the parser.
    private func stop(_ parser: XMLParser, _ code: OSMImportError.Code, _ message: String) {
        failure = (code, message, parser.lineNumber)
        parser.abortParsing()
    }

    private func readNode(_ attributes: [String: String]) {
        statistics.nodes += 1
        guard let id = attributes["id"].flatMap({ Int64($0) }),
            let latitude = attributes["lat"].flatMap({ Double($0) }),
            let longitude = attributes["lon"].flatMap({ Double($0) }),
            nodes.append(id: id, latitude: latitude, longitude: longitude)
        else {
            statistics.nodesRejected += 1
            return
        }
    }

    private func endWay() {
        guard !wayMalformed, let id = wayID else {
            statistics.skip(.malformed)
            return
        }
        switch OSMTagPolicy.verdict(wayTags) {
        case .skip(let reason):
            statistics.skip(reason)
        case .keep(let tags):
            // A node repeated back to back adds nothing but a zero-length edge.
            var refs: [Int64] = []
            refs.reserveCapacity(wayNodes.count)
            for ref in wayNodes where ref != refs.last { refs.append(ref) }
            guard refs.count >= 2 else {
                statistics.skip(.tooFewNodes)
                return
            }
            ways.append(tags.way(id: id, nodes: refs))
        }
    }

    private func checkProgress() {
        elementsSinceCheck += 1
        guard elementsSinceCheck >= 1024 else { return }
        elementsSinceCheck = 0
        let now = ContinuousClock.now
        guard now - lastReport >= progressInterval else { return }
        lastReport = now
        progress?(report(at: now))
    }

    /// The counters now.
    func report(at now: ContinuousClock.Instant) -> OSMImportProgress {
        OSMImportProgress(
            bytesRead: stream.bytesRead,
            totalBytes: stream.size,
            nodes: statistics.nodes,
            ways: statistics.ways,
            waysKept: ways.count,
            seconds: Self.seconds(now - start)
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// A message for libxml2's error codes (which `XMLParser` reports as they are), the common ones in words.
    static func describe(_ error: any Error) -> String {
        let code = (error as NSError).code
        switch code {
        case 4: return "no element found: the document is empty or not XML"
        case 5: return "the document ends before its elements are closed, or goes on after its root element"
        case 9: return "a character that is not allowed in XML (or bytes that are not UTF-8)"
        case 23: return "an '&' that starts no entity reference (write '&amp;')"
        case 26: return "an undeclared entity"
        case 38: return "a '<' inside an attribute value"
        case 39: return "an attribute value without quotes"
        case 40: return "an attribute value that is not closed"
        case 41: return "an attribute without a value"
        case 42: return "an attribute given twice"
        case 65: return "a space is required here"
        case 68: return "an element name was expected"
        case 73: return "'>' was expected"
        case 76: return "an end tag that does not match the open element"
        case 77: return "a tag that is not closed"
        default: return "XML error \(code)"
        }
    }
}
