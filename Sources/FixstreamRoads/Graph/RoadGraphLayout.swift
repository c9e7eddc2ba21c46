/// Where each array of a road graph lies in its file, computed from the counts in the header.
///
/// The file is the graph's memory image: a fixed header of 32-bit little-endian words, then the arrays one after
/// another, each starting on an 8-byte boundary. Loading maps the file and points at the arrays: no parsing.
///
/// | array | type | count |
/// |---|---|---|
/// | node latitude, longitude (1e-7 degrees) | Int32, Int32 | nodes, nodes |
/// | first outgoing edge per node | UInt32 | nodes + 1 |
/// | edge tail node, head node | UInt32, UInt32 | edges, edges |
/// | edge length (m), travel speed (m/s), speed limit (m/s, 0: none) | Float ×3 | edges each |
/// | edge OSM way id | Int64 | edges |
/// | edge name, ref (string index) | UInt32, UInt32 | edges, edges |
/// | edge twin (reverse edge on a two-way road, or UInt32.max) | UInt32 | edges |
/// | edge road class | UInt8 | edges |
/// | first shape point per edge | UInt32 | edges + 1 |
/// | shape point latitude, longitude (1e-7 degrees) | Int32, Int32 | points, points |
/// | string start offsets, string bytes (UTF-8) | UInt32, UInt8 | strings + 1, bytes |
/// | first grid entry per cell, grid entries (edge) | UInt32, UInt32 | cells + 1, entries |
struct RoadGraphLayout {
    static let magic: [UInt8] = Array("FXROADS\u{0}".utf8)
    static let byteOrderMark: UInt32 = 0x0102_0304
    static let version: UInt32 = 1
    /// Header words after the 8 magic bytes.
    static let headerWords = 30
    static let headerSize = 8 + headerWords * 4

    var nodeCount: Int
    var edgeCount: Int
    var shapePointCount: Int
    var stringCount: Int
    var stringByteCount: Int
    var grid: GridGeometry
    var gridEntryCount: Int

    // Offsets, in bytes from the start of the file.
    private(set) var nodeLatitude = 0
    private(set) var nodeLongitude = 0
    private(set) var firstOut = 0
    private(set) var edgeTail = 0
    private(set) var edgeHead = 0
    private(set) var edgeLength = 0
    private(set) var edgeSpeed = 0
    private(set) var edgeSpeedLimit = 0
    private(set) var edgeWay = 0
    private(set) var edgeName = 0
    private(set) var edgeRef = 0
    private(set) var edgeTwin = 0
    private(set) var edgeClass = 0
    private(set) var firstShapePoint = 0
    private(set) var shapeLatitude = 0
    private(set) var shapeLongitude = 0
    private(set) var stringStart = 0
    private(set) var stringBytes = 0
    private(set) var cellStart = 0
    private(set) var cellEntries = 0
    /// The file's size.
    private(set) var totalSize = 0

    init(
        nodeCount: Int,
        edgeCount: Int,
        shapePointCount: Int,
        stringCount: Int,
        stringByteCount: Int,
        grid: GridGeometry,
        gridEntryCount: Int
    ) {
        self.nodeCount = nodeCount
        self.edgeCount = edgeCount
        self.shapePointCount = shapePointCount
        self.stringCount = stringCount
        self.stringByteCount = stringByteCount
        self.grid = grid
        self.gridEntryCount = gridEntryCount
        var offset = Self.headerSize
        func place(_ count: Int, _ size: Int) -> Int {
            offset = (offset + 7) & ~7
            let start = offset
            offset += count * size
            return start
        }
        nodeLatitude = place(nodeCount, 4)
        nodeLongitude = place(nodeCount, 4)
        firstOut = place(nodeCount + 1, 4)
        edgeTail = place(edgeCount, 4)
        edgeHead = place(edgeCount, 4)
        edgeLength = place(edgeCount, 4)
        edgeSpeed = place(edgeCount, 4)
        edgeSpeedLimit = place(edgeCount, 4)
        edgeWay = place(edgeCount, 8)
        edgeName = place(edgeCount, 4)
        edgeRef = place(edgeCount, 4)
        edgeTwin = place(edgeCount, 4)
        edgeClass = place(edgeCount, 1)
        firstShapePoint = place(edgeCount + 1, 4)
        shapeLatitude = place(shapePointCount, 4)
        shapeLongitude = place(shapePointCount, 4)
        stringStart = place(stringCount + 1, 4)
        stringBytes = place(stringByteCount, 1)
        cellStart = place(grid.cellCount + 1, 4)
        cellEntries = place(gridEntryCount, 4)
        totalSize = (offset + 7) & ~7
    }

    /// The header words, in file order (after the magic).
    var headerWords: [UInt32] {
        [
            Self.byteOrderMark, Self.version, UInt32(Self.headerSize),
            UInt32(nodeCount), UInt32(edgeCount), UInt32(shapePointCount), UInt32(stringCount),
            UInt32(stringByteCount), UInt32(gridEntryCount),
            UInt32(bitPattern: grid.minLatitude), UInt32(bitPattern: grid.minLongitude),
            UInt32(bitPattern: grid.cellLatitude), UInt32(bitPattern: grid.cellLongitude),
            UInt32(grid.columns), UInt32(grid.rows),
        ] + [UInt32](repeating: 0, count: Self.headerWords - 15)
    }

    /// Reads the counts from the header words (after the magic), or nil when they are inconsistent.
    init?(headerWords words: [UInt32]) {
        guard words.count >= 15 else { return nil }
        let grid = GridGeometry(
            minLatitude: Int32(bitPattern: words[9]),
            minLongitude: Int32(bitPattern: words[10]),
            cellLatitude: Int32(bitPattern: words[11]),
            cellLongitude: Int32(bitPattern: words[12]),
            columns: Int(words[13]),
            rows: Int(words[14])
        )
        guard grid.cellLatitude > 0, grid.cellLongitude > 0, grid.columns > 0, grid.rows > 0, grid.columns < 1 << 28,
            grid.rows < 1 << 28,
            grid.columns * grid.rows <= 1 << 31
        else { return nil }
        self.init(
            nodeCount: Int(words[3]),
            edgeCount: Int(words[4]),
            shapePointCount: Int(words[5]),
            stringCount: Int(words[6]),
            stringByteCount: Int(words[7]),
            grid: grid,
            gridEntryCount: Int(words[8])
        )
    }
}

/// The uniform grid of the edge index: cells of fixed size in degrees (1e-7) from a south-west corner.
struct GridGeometry: Equatable {
    var minLatitude: Int32
    var minLongitude: Int32
    var cellLatitude: Int32
    var cellLongitude: Int32
    var columns: Int
    var rows: Int

    var cellCount: Int { columns * rows }

    /// The column of a longitude (1e-7 degrees), clamped to the grid.
    @inline(__always)
    func column(_ longitude: Int64) -> Int {
        Int(max(0, min(Int64(columns - 1), (longitude - Int64(minLongitude)) / Int64(cellLongitude))))
    }

    /// The row of a latitude (1e-7 degrees), clamped to the grid.
    @inline(__always)
    func row(_ latitude: Int64) -> Int {
        Int(max(0, min(Int64(rows - 1), (latitude - Int64(minLatitude)) / Int64(cellLatitude))))
    }
}
