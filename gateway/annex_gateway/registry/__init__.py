"""Per-resource REST objects compiled from an ApiDefinition, as k8s.io/apiserver's registry:
capabilities (rest), the generic store over storage (store), per-resource behaviour
(strategy) and the status and scale subresources wrapping the main store (subresources)."""
