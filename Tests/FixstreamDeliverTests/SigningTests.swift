import FixstreamDeliver
import Testing

/// SHA-256 against FIPS 180-4's examples (and the NIST long-message vector), HMAC against RFC 4231.
struct SigningTests {
    private func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var digits = text.utf8.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        }
        return bytes
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func sha256MatchesTheStandardsExamples(message: String, digest: String) {
        #expect(HMACSHA256.hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test func sha256OfAMillionAsAndOfPiecewiseInput() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(
            HMACSHA256.hex(SHA256.hash(million)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
        // Any split into pieces, including at and around block boundaries, gives the same digest.
        let message = Array((0 ..< 300).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let whole = SHA256.hash(message)
        for split in [0, 1, 55, 56, 63, 64, 65, 119, 128, 299, 300] {
            var hasher = SHA256()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    @Test func contiguousAndOtherSequencesHashAlike() {
        // Arrays are hashed a block at a time in place, other sequences byte by byte: mixed, the digest is one.
        let message = Array((0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let whole = SHA256.hash(message)
        #expect(SHA256.hash(message.lazy.map { $0 }) == whole)
        for split in [1, 3, 63, 64, 100, 640, 999] {
            var hasher = SHA256()
            hasher.update(message[..<split].lazy.map { $0 })
            hasher.update(message[split...])
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    /// RFC 4231 test cases 1 to 4, 6 and 7 (case 5 truncates the output, which webhooks never do).
    @Test(arguments: [
        (
            String(repeating: "0b", count: 20), "4869205468657265",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            "0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            String(repeating: "aa", count: 131),
            "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            String(repeating: "aa", count: 131),
            "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func hmacMatchesRFC4231(key: String, data: String, mac: String) {
        #expect(HMACSHA256.hex(HMACSHA256.authenticate(hex(data), key: hex(key))) == mac)
    }

    @Test func theSignatureHeaderIsTheHexMACOfTheBodyWithTheSecretsUTF8() {
        let body = Array(#"[{"id":1,"type":"gps.lost"}]"#.utf8)
        let expected = "sha256=" + HMACSHA256.hex(HMACSHA256.authenticate(body, key: Array("s3cret".utf8)))
        #expect(HMACSHA256.signature(body, secret: "s3cret") == expected)
        #expect(expected.count == 7 + 64)
    }
}
