import Manifests

/// A Provider or Alert that cannot be used, naming the object and the field.
public typealias NotifyObjectError = ObjectFieldError
