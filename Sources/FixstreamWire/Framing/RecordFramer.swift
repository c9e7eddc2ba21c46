/// Splits a byte stream, fed in chunks of any size, into ``Record``s.
///
/// Lines end at LF, CR or CRLF. In ``Mode/auto`` and ``Mode/json`` a record that starts with `{` is framed by
/// its JSON structure instead (strings and escapes respected), so one object per line, several objects on one line,
/// a single-line array (`[{...},{...}]`) and pretty-printed arrays all come out as one record per object.
///
/// Hostile input cannot make it grow or stall: a line longer than its cap is reported once as ``Record/tooLong``
/// and skipped to the next line end; an object longer than its cap is reported once as ``Record/tooLong`` as soon
/// as it passes the cap and skipped to its end (following its structure, so a pretty-printed object does not leak
/// out as text lines); a JSON object holding a raw line break inside a string, or interrupted by a line that
/// starts an NMEA sentence, is reported as ``Record/brokenJSON`` and framing resumes at that line. Memory is one
/// carry buffer for records that straddle chunks, allocated when first needed and grown by doubling up to the cap,
/// so ten thousand idle device connections do not each hold 64 KiB.
///
/// The records found do not depend on how the stream is cut into chunks: all state, including "a line just
/// started inside an object", is kept between calls.
public final class RecordFramer {
    /// How records are recognised.
    public enum Mode: Sendable {
        /// Lines and JSON objects, told apart by their first byte.
        case auto
        /// Every record is a text line; `{` has no special meaning.
        case lines
    }

    private enum State {
        case between
        case text
        case json
        case discarding
    }

    /// Longest text line, in bytes, without its line end.
    public let maxLineLength: Int
    /// Longest JSON object, in bytes.
    public let maxObjectLength: Int
    private let mode: Mode
    private var carry = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// The most the carry buffer may ever need: the larger cap.
    private let carryLimit: Int
    private var carryCount = 0
    private var carryConsumed = false
    private var state = State.between
    private var recordStart = 0
    private var inArray = false
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Inside an object, outside strings: only spaces since the last line break (a sentence may start here).
    private var atLineStart = false
    /// The current object passed its cap and was reported: it is followed to its end but not kept.
    private var overflowed = false

    /// Creates a framer.
    /// - Parameters:
    ///   - mode: whether `{` starts a JSON object.
    ///   - maxLineLength: cap for text lines (NMEA allows 82 characters; real receivers send up to about 100).
    ///   - maxObjectLength: cap for one JSON object.
    public init(mode: Mode = .auto, maxLineLength: Int = 1024, maxObjectLength: Int = 64 * 1024) {
        self.mode = mode
        self.maxLineLength = maxLineLength
        self.maxObjectLength = maxObjectLength
        carryLimit = max(maxLineLength, mode == .auto ? maxObjectLength : 0)
    }

    deinit {
        carry.deallocate()
    }

    /// Returns the next complete record in `chunk` starting at `offset`, advancing `offset` past it.
    ///
    /// Returns `nil` once the chunk is used up; a record left incomplete at its end is kept and continued by the
    /// next chunk (or returned by ``finish()``).
    public func next(_ chunk: UnsafeRawBufferPointer, _ offset: inout Int) -> Record? {
        if carryConsumed {
            carryCount = 0
            carryConsumed = false
        }
        let count = chunk.count
        scan: while offset < count {
            switch state {
            case .between:
                let byte = chunk[offset]
                if byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 || byte == 0x00
                    || (inArray && byte == UInt8(ascii: ","))
                {
                    offset += 1
                    continue
                }
                if mode == .auto {
                    if byte == UInt8(ascii: "{") {
                        state = .json
                        depth = 0
                        inString = false
                        escaped = false
                        atLineStart = false
                        overflowed = false
                        recordStart = offset
                        continue
                    }
                    if byte == UInt8(ascii: "[") && !inArray {
                        inArray = true
                        offset += 1
                        continue
                    }
                    if byte == UInt8(ascii: "]") && inArray {
                        inArray = false
                        offset += 1
                        continue
                    }
                }
                state = .text
                recordStart = offset
            case .text:
                var i = offset
                while i < count {
                    let byte = chunk[i]
                    if byte == 0x0A || byte == 0x0D { break }
                    i += 1
                }
                if i == count {
                    guard stash(chunk, from: recordStart, to: count, cap: maxLineLength) else {
                        state = .discarding
                        offset = count
                        return .tooLong
                    }
                    offset = count
                    return nil
                }
                offset = i + 1
                state = .between
                return finishRecord(chunk, from: recordStart, to: i, cap: maxLineLength, isJSON: false)
            case .json:
                // Scan no further than the cap allows (bytes before `recordStart` are in the carry buffer).
                let end = overflowed ? count : min(count, recordStart + maxObjectLength - carryCount)
                var i = offset
                while i < end {
                    let byte = chunk[i]
                    i += 1
                    if inString {
                        if escaped {
                            escaped = false
                        } else if byte == UInt8(ascii: "\\") {
                            escaped = true
                        } else if byte == UInt8(ascii: "\"") {
                            inString = false
                        } else if byte == 0x0A || byte == 0x0D {
                            // A raw line break cannot be inside a JSON string: resynchronise at the next line.
                            guard let record = abandonJSON(resumingAt: i, &offset) else { continue scan }
                            return record
                        }
                        continue
                    }
                    switch byte {
                    case 0x0A, 0x0D:
                        atLineStart = true
                    case 0x20, 0x09:
                        break
                    case UInt8(ascii: "$") where atLineStart, UInt8(ascii: "!") where atLineStart:
                        // No JSON text starts a line with these: an NMEA sentence interrupts the object.
                        guard let record = abandonJSON(resumingAt: i - 1, &offset) else { continue scan }
                        return record
                    default:
                        atLineStart = false
                        if byte == UInt8(ascii: "\"") {
                            inString = true
                        } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                            depth += 1
                        } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                            depth -= 1
                            if depth == 0 {
                                offset = i
                                state = .between
                                if overflowed {
                                    overflowed = false
                                    continue scan
                                }
                                return finishRecord(chunk, from: recordStart, to: i, cap: maxObjectLength, isJSON: true)
                            }
                        }
                    }
                }
                if i < count {
                    // The object reached its cap: report it now, then follow it to its end without keeping it.
                    overflowed = true
                    carryCount = 0
                    offset = i
                    return .tooLong
                }
                offset = count
                if !overflowed {
                    // Cannot fail: `end` kept the object within its cap.
                    _ = stash(chunk, from: recordStart, to: count, cap: maxObjectLength)
                }
                return nil
            case .discarding:
                while offset < count {
                    let byte = chunk[offset]
                    offset += 1
                    if byte == 0x0A || byte == 0x0D {
                        state = .between
                        break
                    }
                }
            }
        }
        return nil
    }

    /// Skips the separators between records at `offset` and tells whether a JSON object starts there.
    ///
    /// For callers that decode an object straight from the chunk (see ``FixDecoder``): when this returns true,
    /// `chunk[offset]` is the `{` of an object that ``next(_:_:)`` would frame next, with nothing carried over from
    /// earlier chunks. The caller may then consume the object itself, up to ``maxObjectLength`` bytes, and move
    /// `offset` past its closing brace (the framer stays between records), or leave `offset` alone and call
    /// ``next(_:_:)``, which frames the object as usual. Returns false in every other case (mid-record, lines
    /// mode, another kind of record next, end of chunk), having only skipped what ``next(_:_:)`` would skip.
    @inline(__always)
    func skipToObject(_ chunk: UnsafeRawBufferPointer, _ offset: inout Int) -> Bool {
        guard state == .between, mode == .auto else { return false }
        if carryConsumed {
            carryCount = 0
            carryConsumed = false
        }
        let count = chunk.count
        while offset < count {
            let byte = chunk[offset]
            if byte == UInt8(ascii: "{") { return true }
            if byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 || byte == 0x00
                || (inArray && byte == UInt8(ascii: ","))
            {
                offset += 1
            } else if byte == UInt8(ascii: "[") && !inArray {
                inArray = true
                offset += 1
            } else if byte == UInt8(ascii: "]") && inArray {
                inArray = false
                offset += 1
            } else {
                return false
            }
        }
        return false
    }

    /// Ends the input: returns the record left incomplete, if any, and resets the framer for a new stream.
    public func finish() -> Record? {
        defer {
            state = .between
            inArray = false
            overflowed = false
            carryCount = 0
            carryConsumed = false
        }
        if carryConsumed { carryCount = 0 }
        switch state {
        case .text where carryCount > 0:
            return .text(UnsafeRawBufferPointer(rebasing: carry[0 ..< carryCount]))
        case .json where !overflowed:
            return .brokenJSON
        default:
            return nil
        }
    }

    /// Gives up the current object and resumes framing at `index`. Returns ``Record/brokenJSON``, or `nil` when the
    /// object had already been reported as ``Record/tooLong``.
    private func abandonJSON(resumingAt index: Int, _ offset: inout Int) -> Record? {
        offset = index
        state = .between
        carryCount = 0
        if overflowed {
            overflowed = false
            return nil
        }
        return .brokenJSON
    }

    /// Appends `chunk[from..<to]` to the carry buffer. Returns false (and empties it) when that would pass `cap`.
    private func stash(_ chunk: UnsafeRawBufferPointer, from: Int, to: Int, cap: Int) -> Bool {
        let length = to - from
        guard carryCount + length <= cap else {
            carryCount = 0
            return false
        }
        if length > 0 {
            if carryCount + length > carry.count { growCarry(to: carryCount + length) }
            UnsafeMutableRawBufferPointer(rebasing: carry[carryCount ..< carryCount + length])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: chunk[from ..< to]))
            carryCount += length
        }
        recordStart = 0
        return true
    }

    private func growCarry(to needed: Int) {
        var size = max(carry.count, 256)
        while size < needed { size *= 2 }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(size, max(carryLimit, needed)), alignment: 8)
        if carryCount > 0 {
            UnsafeMutableRawBufferPointer(rebasing: grown[0 ..< carryCount])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: carry[0 ..< carryCount]))
        }
        carry.deallocate()
        carry = grown
    }

    private func finishRecord(
        _ chunk: UnsafeRawBufferPointer,
        from: Int,
        to: Int,
        cap: Int,
        isJSON: Bool
    ) -> Record {
        if carryCount == 0 {
            guard to - from <= cap else { return .tooLong }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[from ..< to])
            return isJSON ? .json(bytes) : .text(bytes)
        }
        guard stash(chunk, from: from, to: to, cap: cap) else { return .tooLong }
        carryConsumed = true
        let bytes = UnsafeRawBufferPointer(rebasing: carry[0 ..< carryCount])
        return isJSON ? .json(bytes) : .text(bytes)
    }
}
