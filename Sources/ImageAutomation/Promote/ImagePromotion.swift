import Registry

/// One `--image NAME=REF:TAG` of `keelson promote`: which image to find, and what to write.
public struct ImagePromotion: Sendable, Hashable, CustomStringConvertible {
    /// The image whose references are updated, as given (`ghcr.io/org/app`, `nginx`).
    public var image: ImageReference
    /// The new repository name as written (`ghcr.io/org/app`).
    public var newName: String
    /// The new tag, if given.
    public var tag: String?
    /// The new digest, if given.
    public var digest: String?
    /// The new reference parsed.
    let newReference: ImageReference

    /// Reads `NAME=REF:TAG`, `NAME=REF@DIGEST` or `NAME=REF:TAG@DIGEST`.
    public init(parsing assignment: String) throws(ImageAutomationError) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ImageAutomationError(.invalidReference, "--image must be NAME=REF:TAG", subject: assignment)
        }
        try self.init(image: String(assignment[..<equals]), newReference: String(assignment[assignment.index(after: equals)...]))
    }

    /// Promotes `image` to `newReference`, which must carry a tag or a digest.
    public init(image: String, newReference: String) throws(ImageAutomationError) {
        let name: ImageReference
        do { name = try ImageReference.parse(image) } catch { throw ImageAutomationError(error) }
        guard name.tag == nil, name.digest == nil else {
            throw ImageAutomationError(.invalidReference, "the image to promote is a name without tag or digest", subject: image)
        }
        let parsed: ImageReference
        do { parsed = try ImageReference.parse(newReference) } catch { throw ImageAutomationError(error) }
        guard parsed.tag != nil || parsed.digest != nil else {
            throw ImageAutomationError(.invalidReference, "the new reference needs a :TAG or @DIGEST", subject: newReference)
        }
        var written = Substring(newReference)
        if let at = written.firstIndex(of: "@") { written = written[..<at] }
        if parsed.tag != nil, let colon = written.lastIndex(of: ":") { written = written[..<colon] }
        self.image = name
        self.newName = String(written)
        tag = parsed.tag
        digest = parsed.digest
        self.newReference = parsed
    }

    /// The full new reference as written: `REF[:TAG][@DIGEST]`.
    public var newValue: String { newName + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "") }

    /// `NAME=REF:TAG`.
    public var description: String { "\(image.name)=\(newValue)" }

    /// Whether `text` is a reference to the image being promoted.
    func matches(_ text: String) -> Bool {
        (try? ImageReference.parse(text))?.sameRepository(as: image) ?? false
    }

    /// Whether `text` names the new repository already.
    func isNewName(_ text: String) -> Bool {
        (try? ImageReference.parse(text))?.sameRepository(as: newReference) ?? false
    }
}
