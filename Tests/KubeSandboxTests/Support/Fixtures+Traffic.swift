/// Manifests of traffic entry points for the traffic simulator's tests.
extension Fixtures {
    /// A Service selecting `selector`, an entry point of `rps` requests per second when given.
    static func service(_ name: String, selector: [String: String], rps: Int? = nil) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          annotations: \(flow(rps.map { ["sandbox.keelson.dev/rps": String($0)] } ?? [:]))
        spec:
          selector: \(flow(selector))
          ports: [{port: 80}]

        """
    }

    /// An nginx Ingress for host `web.example` sending `/` to `service`: an entry point of `rps`
    /// when given, a canary of `canaryWeight` (out of `canaryTotal`, when given) otherwise.
    static func ingress(_ name: String, service: String, rps: Int? = nil, canaryWeight: Int? = nil, canaryTotal: Int? = nil) -> String {
        var annotations: [String: String] = [:]
        annotations["sandbox.keelson.dev/rps"] = rps.map(String.init)
        if let canaryWeight {
            annotations["nginx.ingress.kubernetes.io/canary"] = "true"
            annotations["nginx.ingress.kubernetes.io/canary-weight"] = String(canaryWeight)
            annotations["nginx.ingress.kubernetes.io/canary-weight-total"] = canaryTotal.map(String.init)
        }
        return """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: \(name)
              annotations: \(flow(annotations))
            spec:
              ingressClassName: nginx
              rules:
              - host: web.example
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: \(service), port: {number: 80}}}}

            """
    }
}
