import Manifests
