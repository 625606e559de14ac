import Manifests

extension Build {
    mutating func applyReplacements(_ kustomization: Kustomization, to set: inout ResourceSet) throws(RenderError) {
        if !(try kustomization.objects("replacements")).isEmpty {
            throw kustomization.error("replacements", "not supported by Keelson's Kustomize renderer yet", code: .unsupported)
        }
    }
}
