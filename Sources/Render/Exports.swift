// A render reads through a `SecureRoot` and filters with `Glob`s: Render's own API speaks
// those types, so its users get them with `import Render`.
@_exported import KeelsonFoundation
