/// The CustomResourceDefinitions image automation reads, as `deploy/crds/imagepolicy.yaml` and
/// `deploy/crds/imageupdateautomation.yaml` hold them (a test keeps them equal).
public enum ImageAutomationCRDs {
    /// `deploy/crds/imagepolicy.yaml`.
    public static let imagePolicy = #"""
# The ImagePolicy resource Keelson's image automation reads and reports status on.
# `keelson controller` installs it; `kubectl apply -f` works too.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: imagepolicies.keelson.dev
spec:
  group: keelson.dev
  scope: Namespaced
  names:
    plural: imagepolicies
    singular: imagepolicy
    kind: ImagePolicy
    listKind: ImagePolicyList
    shortNames: [kimgpol]
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - {name: LatestImage, type: string, jsonPath: .status.latestImage}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        required: [spec]
        properties:
          spec:
            type: object
            required: [policy]
            properties:
              image: {type: string}
              interval: {type: string}
              secretRef:
                type: object
                required: [name]
                properties:
                  name: {type: string}
              insecure: {type: boolean}
              exclusionList: {type: array, items: {type: string}}
              imageRepositoryRef:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  namespace: {type: string}
              policy:
                type: object
                properties:
                  semver:
                    type: object
                    required: [range]
                    properties:
                      range: {type: string}
                  alphabetical:
                    type: object
                    properties:
                      order: {type: string, enum: [asc, desc]}
                  numerical:
                    type: object
                    properties:
                      order: {type: string, enum: [asc, desc]}
              filterTags:
                type: object
                properties:
                  pattern: {type: string}
                  extract: {type: string}
              digestReflectionPolicy: {type: string, enum: [Never, IfNotPresent, Always]}
              suspend: {type: boolean}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true

"""#

    /// `deploy/crds/imageupdateautomation.yaml`.
    public static let imageUpdateAutomation = #"""
# The ImageUpdateAutomation resource Keelson's image automation runs and reports status on.
# `keelson controller` installs it; `kubectl apply -f` works too.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: imageupdateautomations.keelson.dev
spec:
  group: keelson.dev
  scope: Namespaced
  names:
    plural: imageupdateautomations
    singular: imageupdateautomation
    kind: ImageUpdateAutomation
    listKind: ImageUpdateAutomationList
    shortNames: [kimgupd]
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - {name: LastRun, type: date, jsonPath: .status.lastAutomationRunTime}
    - {name: LastPush, type: string, jsonPath: .status.lastPushCommit}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    schema:
      openAPIV3Schema:
        type: object
        required: [spec]
        properties:
          spec:
            type: object
            required: [sourceRef, git]
            properties:
              interval: {type: string}
              sourceRef:
                type: object
                properties:
                  kind: {type: string, enum: [Application]}
                  name: {type: string}
                  namespace: {type: string}
                  repoURL: {type: string}
                  secretRef:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
              git:
                type: object
                required: [commit]
                properties:
                  checkout:
                    type: object
                    properties:
                      ref:
                        type: object
                        properties:
                          branch: {type: string}
                  commit:
                    type: object
                    required: [author]
                    properties:
                      author:
                        type: object
                        required: [email]
                        properties:
                          name: {type: string}
                          email: {type: string}
                      messageTemplate: {type: string}
                  push:
                    type: object
                    properties:
                      branch: {type: string}
              update:
                type: object
                properties:
                  path: {type: string}
                  strategy: {type: string, enum: [Setters]}
              suspend: {type: boolean}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true

"""#

    /// Both, with the file each is shipped as.
    public static let all: [(file: String, yaml: String)] = [
        ("imagepolicy.yaml", imagePolicy), ("imageupdateautomation.yaml", imageUpdateAutomation),
    ]
}
