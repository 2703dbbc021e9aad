"""Where kube-annex lives by default: the names the operator writes and the gateway reads.

`OperatorSettings`, `annex gateway --tls-secret` and `annex dev` take their defaults from
here, so they cannot drift apart. The manifests (`manifests/`, `kustomize/`) spell the same
names in YAML.
"""

from __future__ import annotations

NAMESPACE = "annex-system"
"""The namespace of the gateway's Service and its TLS Secret."""

GATEWAY_SERVICE = "annex-gateway"
"""The Service every APIService points at."""

TLS_SECRET = "annex-gateway-tls"
"""The Secret holding the CA and the gateway's serving certificate (written by the operator)."""
