import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A file read for `XMLParser(stream:)` with `read(2)`, counting the bytes handed over so an import can report
/// progress, and keeping the reason of a failed read.
///
/// `XMLParser` pulls chunks with ``read(_:maxLength:)`` until it returns 0 (end of file) or a negative count
/// (an error, kept in ``failure``). Not shared between threads: the importer's thread owns it.
final class OSMFileStream: InputStream {
    /// The file's path, for messages.
    let path: String
    /// The file's size in bytes, or nil when not a regular file.
    let size: Int?
    /// Bytes handed to the parser so far.
    private(set) var bytesRead = 0
    /// Why a read failed, when one did.
    private(set) var failure: String?
    private var descriptor: Int32
    private var status: Stream.Status = .notOpen

    /// Opens `path` for reading.
    /// - Throws: ``OSMImportError/Code/io`` when it cannot be opened or is a directory.
    init(path: String) throws(OSMImportError) {
        self.path = path
        let opened = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw OSMImportError(.io, "cannot open: \(Self.systemMessage(errno))", path: path)
        }
        var info = stat()
        guard fstat(opened, &info) == 0 else {
            let message = Self.systemMessage(errno)
            Glibc.close(opened)
            throw OSMImportError(.io, "cannot read: \(message)", path: path)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            Glibc.close(opened)
            throw OSMImportError(.io, "cannot read: is a directory", path: path)
        }
        descriptor = opened
        size = info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : nil
        super.init(data: Data())
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    override func open() {
        status = .open
    }

    override func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
        status = .closed
    }

    override var streamStatus: Stream.Status { status }

    override var hasBytesAvailable: Bool { status == .open }

    override var streamError: (any Error)? {
        failure.map { OSMImportError(.io, "cannot read: \($0)", path: path) }
    }

    /// Reads up to `length` bytes, retrying on EINTR; 0 at end of file, -1 on an error (kept in ``failure``).
    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        guard descriptor >= 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, buffer, length)
            if count >= 0 {
                bytesRead += count
                if count == 0 { status = .atEnd }
                return count
            }
            if errno == EINTR { continue }
            failure = Self.systemMessage(errno)
            status = .error
            return -1
        }
    }

    override func getBuffer(
        _ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
        length: UnsafeMutablePointer<Int>
    ) -> Bool {
        false
    }

    /// `strerror` text for an errno value.
    private static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
