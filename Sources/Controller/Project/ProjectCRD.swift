/// The Project CustomResourceDefinition, as `deploy/crds/project.yaml` holds it (a test keeps
/// the two equal).
enum ProjectCRD {
    static let yaml = #"""
# The Project resource: the fence around a team's Applications (repositories, destinations,
# kinds, and the namespaces whose Applications may use it). Projects live in the controller's
# namespace. `keelson controller` installs this file; `kubectl apply -f` works too.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: projects.keelson.dev
spec:
  group: keelson.dev
  scope: Namespaced
  names:
    plural: projects
    singular: project
    kind: Project
    listKind: ProjectList
    shortNames: [kproj]
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              description: {type: string}
              sourceRepos: {type: array, items: {type: string}}
              sourceNamespaces: {type: array, items: {type: string}}
              destinations:
                type: array
                items:
                  type: object
                  required: [namespace]
                  properties:
                    cluster: {type: string}
                    namespace: {type: string}
              clusterResourceAllowList:
                type: array
                items:
                  type: object
                  required: [kind]
                  properties:
                    group: {type: string}
                    kind: {type: string}
              namespaceResourceDenyList:
                type: array
                items:
                  type: object
                  required: [kind]
                  properties:
                    group: {type: string}
                    kind: {type: string}

"""#
}
