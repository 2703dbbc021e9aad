"""The `annex` command: one entry point for the operator, the gateway and local runs."""
