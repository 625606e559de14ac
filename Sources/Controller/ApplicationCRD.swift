/// The Application CustomResourceDefinition, as `deploy/crds/application.yaml` holds it (a test
/// keeps the two equal).
enum ApplicationCRD {
    static let yaml = #"""
# The Application resource Keelson's controller reads and reports status on.
# `keelson controller --install-crds` applies this file; `kubectl apply -f` works too.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: applications.keelson.dev
spec:
  group: keelson.dev
  scope: Namespaced
  names:
    plural: applications
    singular: application
    kind: Application
    listKind: ApplicationList
    shortNames: [kapp, kapps]
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - {name: Sync, type: string, jsonPath: .status.sync.status}
    - {name: Health, type: string, jsonPath: .status.health.status}
    - {name: Revision, type: string, jsonPath: .status.revision}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        required: [spec]
        properties:
          spec:
            type: object
            required: [source]
            properties:
              project: {type: string}
              serviceAccountName: {type: string}
              source:
                type: object
                required: [repoURL]
                properties:
                  repoURL: {type: string}
                  revision: {type: string}
                  path: {type: string}
                  directory:
                    type: object
                    properties:
                      recurse: {type: boolean}
                      include: {type: array, items: {type: string}}
                      exclude: {type: array, items: {type: string}}
                  decryption:
                    type: object
                    properties:
                      provider: {type: string, enum: [sops]}
                      secretRef:
                        type: object
                        properties:
                          name: {type: string}
                  secretRef:
                    description: Git credentials (username and password, token, or identity and known_hosts).
                    type: object
                    properties:
                      name: {type: string}
              destination:
                type: object
                properties:
                  namespace: {type: string}
              syncPolicy:
                type: object
                properties:
                  automated:
                    type: object
                    properties:
                      prune: {type: boolean}
                      selfHeal: {type: boolean}
                      allowEmpty: {type: boolean}
                  interval: {type: string}
                  retry:
                    type: object
                    properties:
                      limit: {type: integer, minimum: 0}
                      backoff:
                        type: object
                        properties:
                          duration: {type: string}
                          factor: {type: number}
                          maxDuration: {type: string}
                  syncOptions: {type: array, items: {type: string}}
              dependsOn:
                type: array
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    namespace: {type: string}
              ignoreDifferences:
                type: array
                items:
                  type: object
                  properties:
                    group: {type: string}
                    kind: {type: string}
                    name: {type: string}
                    namespace: {type: string}
                    jsonPointers: {type: array, items: {type: string}}
              suspend: {type: boolean}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true

"""#
}
