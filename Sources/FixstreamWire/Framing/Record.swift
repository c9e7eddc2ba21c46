/// One unit of input found by ``RecordFramer``.
///
/// The buffers point into the chunk being framed or into the framer's own carry buffer: they are valid only until
/// the next call to the framer.
public enum Record {
    /// A text line without its line end (an NMEA sentence, a comment, garbage...).
    case text(UnsafeRawBufferPointer)
    /// One complete JSON object, from `{` to its matching `}`. Elements of a top-level array come one by one.
    case json(UnsafeRawBufferPointer)
    /// A line or object longer than the cap; its bytes were dropped up to the next line end.
    case tooLong
    /// A JSON object that never closed (cut by the end of input, a raw line break inside a string, or a line
    /// starting a new NMEA sentence).
    case brokenJSON
}
