import Kube

/// The cluster's Applications.
typealias ApplicationStore = ResourceStore<Application, ApplicationError>
/// The Projects of the controller's namespace.
typealias ProjectStore = ResourceStore<Project, ApplicationError>
/// The Secrets of the controller's namespace, parsed as clusters where labelled so.
typealias ClusterSecretStore = ResourceStore<ClusterDefinition?, ApplicationError>
