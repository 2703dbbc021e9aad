"""Code the operator and the gateway share: the ApiDefinition model, logging, TLS, clients."""
