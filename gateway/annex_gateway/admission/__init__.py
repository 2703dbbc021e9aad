"""Admission: what an object must satisfy before it is stored.

kube-apiserver runs no admission for aggregated groups, so this is ours: ObjectMeta rules
now; schema validation, pruning, defaulting and CEL join here as their own modules.
"""
