#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

extension RoadGraph {
    /// Writes the graph file: its memory image, to a temporary file renamed into place (a reader never sees half
    /// a graph).
    /// - Throws: ``RoadGraphError`` with code `io` naming the file and the system error.
    public func write(toFile path: String) throws(RoadGraphError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.systemError("cannot create", temporary) }
        var written = 0
        let image = bytes
        while written < image.count {
            let result = Glibc.write(fd, image.baseAddress! + written, image.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                let error = Self.systemError("cannot write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += result
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            let error = Self.systemError("cannot write", temporary)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = Self.systemError("cannot rename into", path)
            unlink(temporary)
            throw error
        }
    }

    /// Maps a graph file into memory and checks it: a single `mmap`, no parsing. Every index in the file is
    /// checked against its array once, so a damaged file is refused instead of crashing a matcher later.
    /// - Throws: ``RoadGraphError``: `io` when the file cannot be read, `notAGraph`, `unsupportedVersion` or
    ///   `corrupt`.
    public static func load(path: String) throws(RoadGraphError) -> RoadGraph {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError("cannot open", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError("cannot read", path) }
        let size = Int(info.st_size)
        guard size >= RoadGraphLayout.headerSize else {
            throw RoadGraphError(.notAGraph, "\(path) is not a Fixstream road graph (too short)")
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), mapped != MAP_FAILED
        else { throw systemError("cannot map", path) }
        let base = UnsafeRawPointer(mapped)
        do throws(RoadGraphError) {
            let layout = try check(UnsafeRawBufferPointer(start: base, count: size), path: path)
            return RoadGraph(layout: layout, base: base) { base in
                munmap(UnsafeMutableRawPointer(mutating: base), size)
            }
        } catch {
            munmap(mapped, size)
            throw error
        }
    }

    /// A graph over a copy of `image` (a graph file's bytes), checked as ``load(path:)`` checks a file.
    /// - Throws: ``RoadGraphError`` as ``load(path:)``.
    public convenience init(image: UnsafeRawBufferPointer) throws(RoadGraphError) {
        let copy = UnsafeMutableRawPointer.allocate(byteCount: max(image.count, 8), alignment: 8)
        if let source = image.baseAddress { copy.copyMemory(from: source, byteCount: image.count) }
        do throws(RoadGraphError) {
            let layout = try Self.check(UnsafeRawBufferPointer(start: copy, count: image.count), path: "graph image")
            self.init(layout: layout, base: UnsafeRawPointer(copy)) { base in
                UnsafeMutableRawPointer(mutating: base).deallocate()
            }
        } catch {
            copy.deallocate()
            throw error
        }
    }

    /// The layout of a graph image, after checking the header, the sizes and every stored index.
    static func check(_ image: UnsafeRawBufferPointer, path: String) throws(RoadGraphError) -> RoadGraphLayout {
        func corrupt(_ what: String) -> RoadGraphError {
            RoadGraphError(.corrupt, "\(path) is damaged: \(what)")
        }
        guard image.count >= RoadGraphLayout.headerSize,
            image.prefix(8).elementsEqual(RoadGraphLayout.magic)
        else { throw RoadGraphError(.notAGraph, "\(path) is not a Fixstream road graph") }
        let words = (0 ..< RoadGraphLayout.headerWords).map {
            image.loadUnaligned(fromByteOffset: 8 + $0 * 4, as: UInt32.self)
        }
        guard words[0] == RoadGraphLayout.byteOrderMark else {
            throw RoadGraphError(.notAGraph, "\(path) is a road graph of the other byte order")
        }
        guard words[1] == RoadGraphLayout.version else {
            throw RoadGraphError(
                .unsupportedVersion,
                "\(path) is a road graph of format \(words[1]); this build reads format \(RoadGraphLayout.version): import the map again"
            )
        }
        guard let layout = RoadGraphLayout(headerWords: words) else { throw corrupt("bad header") }
        guard layout.totalSize == image.count else {
            throw corrupt("\(image.count) bytes where the header says \(layout.totalSize)")
        }
        let base = image.baseAddress!
        func array<T>(_ offset: Int, _ count: Int, _: T.Type) -> UnsafeBufferPointer<T> {
            UnsafeBufferPointer(start: (base + offset).assumingMemoryBound(to: T.self), count: count)
        }
        let nodes = UInt32(layout.nodeCount)
        let edges = UInt32(layout.edgeCount)
        if !isMonotonic(array(layout.firstOut, layout.nodeCount + 1, UInt32.self), first: 0, last: edges) {
            throw corrupt("edge ranges of nodes")
        }
        let tails = array(layout.edgeTail, layout.edgeCount, UInt32.self)
        let heads = array(layout.edgeHead, layout.edgeCount, UInt32.self)
        let twins = array(layout.edgeTwin, layout.edgeCount, UInt32.self)
        let names = array(layout.edgeName, layout.edgeCount, UInt32.self)
        let refs = array(layout.edgeRef, layout.edgeCount, UInt32.self)
        let strings = UInt32(layout.stringCount)
        for edge in 0 ..< layout.edgeCount {
            guard tails[edge] < nodes, heads[edge] < nodes, twins[edge] < edges || twins[edge] == UInt32.max,
                names[edge] < strings, refs[edge] < strings
            else { throw corrupt("edge \(edge) points outside the graph") }
        }
        let lengths = array(layout.edgeLength, layout.edgeCount, Float.self)
        let speeds = array(layout.edgeSpeed, layout.edgeCount, Float.self)
        let limits = array(layout.edgeSpeedLimit, layout.edgeCount, Float.self)
        for edge in 0 ..< layout.edgeCount {
            guard lengths[edge].isFinite, lengths[edge] >= 0, speeds[edge].isFinite, speeds[edge] > 0,
                limits[edge].isFinite, limits[edge] >= 0
            else { throw corrupt("edge \(edge) has an impossible length or speed") }
        }
        let firstOut = array(layout.firstOut, layout.nodeCount + 1, UInt32.self)
        for node in 0 ..< layout.nodeCount {
            for edge in Int(firstOut[node]) ..< Int(firstOut[node + 1]) where tails[edge] != UInt32(node) {
                throw corrupt("edge \(edge) listed under the wrong node")
            }
        }
        let points = UInt32(layout.shapePointCount)
        let shapes = array(layout.firstShapePoint, layout.edgeCount + 1, UInt32.self)
        if !isMonotonic(shapes, first: 0, last: points) { throw corrupt("edge shapes") }
        for edge in 0 ..< layout.edgeCount where shapes[edge + 1] - shapes[edge] < 2 {
            throw corrupt("edge \(edge) has fewer than two shape points")
        }
        if layout.stringCount == 0
            || !isMonotonic(
                array(layout.stringStart, layout.stringCount + 1, UInt32.self),
                first: 0,
                last: UInt32(layout.stringByteCount)
            )
        {
            throw corrupt("string table")
        }
        let cells = array(layout.cellStart, layout.grid.cellCount + 1, UInt32.self)
        if !isMonotonic(cells, first: 0, last: UInt32(layout.gridEntryCount)) { throw corrupt("edge index") }
        for entry in array(layout.cellEntries, layout.gridEntryCount, UInt32.self) where entry >= edges {
            throw corrupt("edge index entry \(entry)")
        }
        return layout
    }

    /// Whether `values` starts at `first`, ends at `last` and never decreases.
    private static func isMonotonic(_ values: UnsafeBufferPointer<UInt32>, first: UInt32, last: UInt32) -> Bool {
        guard values.first == first, values.last == last else { return false }
        var previous = first
        for value in values {
            if value < previous { return false }
            previous = value
        }
        return true
    }

    private static func systemError(_ what: String, _ path: String) -> RoadGraphError {
        RoadGraphError(.io, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
