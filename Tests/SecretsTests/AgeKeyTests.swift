import Foundation
import Testing

@testable import Secrets

/// Recipients, identities and identity files as age and age-keygen spell them.
struct AgeKeyTests {
    /// The public CCTV test identity and the recipient `age-keygen -y` prints for it.
    static let identity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
    static let recipient = "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef"

    // The identity derives the same recipient as age-keygen -y and re-encodes to itself.
    @Test func knownIdentityDerivesKnownRecipient() throws {
        let identity = try AgeIdentity(Self.identity)
        #expect(identity.recipient.description == Self.recipient)
        #expect(identity.secretKeyString == Self.identity)
        #expect(try AgeRecipient(Self.recipient) == identity.recipient)
    }

    // Logging an identity shows the public key only.
    @Test func identityDescriptionHidesTheSecret() throws {
        let identity = try AgeIdentity(Self.identity)
        #expect(!"\(identity)".contains(Self.identity))
        #expect("\(identity)".contains(Self.recipient))
    }

    // Malformed recipients are refused as invalid keys, other kinds as unsupported; the input is not echoed.
    @Test(
        arguments: [
            ("", .invalidKey),  // empty
            ("age1", .invalidKey),  // no data or checksum
            (Self.identity, .invalidKey),  // a secret key where a public one belongs
            (String(Self.recipient.dropLast()) + "q", .invalidKey),  // checksum mismatch
            ("AGE1" + Self.recipient.dropFirst(4), .invalidKey),  // mixed case
            (Bech32.encode(hrp: "age", data: [UInt8](repeating: 7, count: 31)), .invalidKey),  // 31-byte key
            (Bech32.encode(hrp: "agf", data: [UInt8](repeating: 7, count: 32)), .invalidKey),  // wrong prefix
            ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB/VZexyU8uo", .unsupported),  // SSH key
            (Bech32.encode(hrp: "age1pq", data: [UInt8](repeating: 7, count: 64)), .unsupported),  // post-quantum recipient
        ] as [(String, AgeError.Code)])
    func invalidRecipients(_ string: String, _ code: AgeError.Code) {
        expectAgeError([code], hiding: [string]) { _ = try AgeRecipient(string) }
    }

    // Malformed identities are refused as invalid keys, other kinds as unsupported; the input is not echoed.
    @Test(
        arguments: [
            ("", .invalidKey),  // empty
            (Self.recipient, .invalidKey),  // a public key where a secret one belongs
            (String(Self.identity.dropLast()) + "Q", .invalidKey),  // checksum mismatch
            (Bech32.encode(hrp: "age-secret-key-", data: [UInt8](repeating: 7, count: 33)).uppercased(), .invalidKey),  // 33 bytes
            ("AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG", .unsupported),  // post-quantum
        ] as [(String, AgeError.Code)])
    func invalidIdentities(_ string: String, _ code: AgeError.Code) {
        expectAgeError([code], hiding: [string]) { _ = try AgeIdentity(string) }
    }

    // A generated identity survives its own file format and is unique.
    @Test func generatedIdentityFileRoundTrips() throws {
        let identity = AgeIdentity.generate()
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        let text = identity.fileContents(created: created)
        #expect(text == "# created: 2023-11-14T22:13:20Z\n# public key: \(identity.recipient)\n\(identity.secretKeyString)\n")
        let parsed = try AgeIdentity.parseFile(text)
        #expect(parsed.map(\.recipient) == [identity.recipient])
        #expect(AgeIdentity.generate().recipient != identity.recipient)
    }

    // Identity files: comments, blank lines, CRLF and indentation are ignored; every key line counts.
    @Test(arguments: [
        ("# created: 2024-01-01T00:00:00Z\n# public key: \(recipient)\n\(identity)\n", 1),  // age-keygen output
        ("\n\n\(identity)\n\n# trailing comment\n", 1),  // blank lines around
        ("\(identity)\r\n# comment\r\n", 1),  // CRLF line ends
        ("\(identity)", 1),  // no final newline
        ("  \(identity)  \n", 1),  // surrounding spaces
        ("\(identity)\n\(AgeIdentity.generate().secretKeyString)\n", 2),  // several identities
    ])
    func identityFilesParse(_ text: String, _ count: Int) throws {
        let identities = try AgeIdentity.parseFile(text, source: "keys.txt")
        #expect(identities.count == count)
        #expect(identities.first?.recipient.description == Self.recipient)
    }

    // A bad identity file names the file and line, never the line's content.
    @Test(
        arguments: [
            ("# only a comment\n", nil),  // no identities at all
            ("", nil),  // empty file
            ("\(identity)\nAGE-SECRET-KEY-1NOTAKEY\n", 2),  // second line is not a key
            ("# comment\n\(String(identity.dropLast()))X\n", 2),  // corrupted checksum on line 2
        ] as [(String, Int?)])
    func badIdentityFiles(_ text: String, _ line: Int?) {
        #expect {
            try AgeIdentity.parseFile(text, source: "keys.txt")
        } throws: { error in
            guard let error = error as? AgeError, error.code == .invalidKey else { return false }
            let location = line.map { "keys.txt:\($0)" } ?? "keys.txt"
            return error.source == location && !error.description.contains("AGE-SECRET-KEY-1")
        }
    }
}
