/// The Gateway API objects tests install into a sandbox: no gateway controller runs, the
/// sandbox's traffic simulator reads the HTTPRoutes' backendRef weights itself.
///
/// ```swift
/// try await kubectl.ok(["apply", "-f", "-"], stdin: GatewayAPIFixtures.httpRouteCRD)
/// ```
public enum GatewayAPIFixtures {
    /// A minimal `httproutes.gateway.networking.k8s.io` CRD serving `v1`, its spec and status unchecked.
    public static let httpRouteCRD = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: httproutes.gateway.networking.k8s.io
        spec:
          group: gateway.networking.k8s.io
          names: {plural: httproutes, singular: httproute, kind: HTTPRoute, listKind: HTTPRouteList}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status: {type: object, x-kubernetes-preserve-unknown-fields: true}
            subresources: {status: {}}

        """

    /// An HTTPRoute with one rule sending to `backends` (Service name and weight), in the order given.
    public static func httpRoute(_ name: String, backends: [(service: String, weight: Int)], annotations: [String: String] = [:]) -> String {
        let refs = backends.map { "    - {name: \($0.service), port: 80, weight: \($0.weight)}\n" }.joined()
        return """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: \(name)
            \(annotationBlock(annotations))spec:
              parentRefs: [{name: gateway}]
              rules:
              - backendRefs:

            """ + refs
    }

    private static func annotationBlock(_ annotations: [String: String]) -> String {
        annotations.isEmpty ? "" : "  annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
    }
}
