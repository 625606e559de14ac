import Manifests

/// A deprecated `vars` entry.
struct Variable: Sendable {
    var name: String
}

extension FieldSpecs {
    static let varReferences: [FieldSpec] = []
}

extension Build {
    func collectVars(_ kustomization: Kustomization, into set: inout ResourceSet) throws(RenderError) {
        if !(try kustomization.objects("vars")).isEmpty {
            throw kustomization.error("vars", "not supported by Keelson's Kustomize renderer yet", code: .unsupported)
        }
    }

    func resolveVars(_ set: inout ResourceSet) throws(RenderError) {}

    mutating func loadCRDs(_ kustomization: Kustomization, into set: inout ResourceSet) throws(RenderError) {
        if !(try kustomization.strings("crds")).isEmpty {
            throw kustomization.error("crds", "not supported by Keelson's Kustomize renderer yet", code: .unsupported)
        }
    }
}
