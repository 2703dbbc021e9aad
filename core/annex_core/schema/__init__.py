"""The schema machinery of CustomResourceDefinitions, for ApiDefinition versions.

Pure logic shared by the operator (definition checks) and the gateway (admission):
structural-schema checks, validation (OpenAPI keywords, formats, list types, embedded
resources, ratcheting), CEL rules, pruning and defaulting, each matching
k8s.io/apiextensions-apiserver's behaviour and error wording.
"""
