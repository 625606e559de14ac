import Testing

@testable import Manifests

/// A document with several problems reports the one a composing reader (kustomize's) meets
/// first: syntax errors, undefined aliases and duplicate keys before values that cannot be
/// converted, though Keelson converts values as it reads them.
@Suite struct YAMLErrorOrderTests {
    static func failure(_ text: String) throws -> ManifestError {
        do {
            _ = try YAMLDecoder().decode(text, file: "t.yaml")
        } catch {
            return error
        }
        Issue.record("\(text.debugDescription) was read without an error")
        throw ManifestError(.syntax, "no error", at: SourceLocation(file: "t.yaml"))
    }

    @Test func aSyntaxErrorLaterInTheDocumentWinsOverACollectionKey() throws {
        // helm and kustomize both report the misindented line, not the complex key.
        let error = try Self.failure("data:\n  ? [x]\n  : y\n  key: value\n   misindented: value\n")
        #expect(error.code == .syntax)
        #expect(error.message.contains("mapping values are not allowed"), "\(error)")
        #expect(error.location.line == 5)
    }

    @Test func aDuplicateKeyWinsOverABadTag() throws {
        let error = try Self.failure("a: \"1\"\na: \"2\"\nb: !!int x\n")
        #expect(error.code == .duplicateKey, "\(error)")
        #expect(error.location.line == 1)
    }

    @Test func aSyntaxErrorWinsOverAnEarlierBadTag() throws {
        let error = try Self.failure("a: !!int x\nb: [unclosed\n")
        #expect(error.code == .syntax, "\(error)")
    }

    @Test func aBadTagAloneIsReportedWhereItIs() throws {
        let error = try Self.failure("a: 1\nb: !!int x\n")
        #expect(error.code == .badTag)
        #expect((error.location.line, error.location.column) == (2, 4))
    }

    @Test func aConversionErrorWinsOverASyntaxErrorInALaterDocument() throws {
        // Documents are read one after the other, as kustomize reads them.
        let error = try Self.failure("a: !!int x\n---\nb: [unclosed\n")
        #expect(error.code == .badTag, "\(error)")
    }

    @Test func aMergeOfAScalarNamesTheItem() throws {
        let error = try Self.failure("<<: [{x: \"1\"}, 3]\n")
        #expect(error.message.contains("map merge requires"))
        #expect((error.location.line, error.location.column) == (1, 16))
    }

    @Test func collectionKeysAreStillRefusedWhenNothingElseIsWrong() throws {
        let error = try Self.failure("? [x]\n: y\nz: 1\n")
        #expect(error.code == .unrepresentable)
        #expect(error.message.contains("mapping key is a collection"))
    }
}
