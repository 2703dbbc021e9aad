"""The fields of metav1.ObjectMeta, in its declaration order: a leaf both admission (which
drops unknown metadata fields) and server-side apply (which drops empty ones) read."""

from __future__ import annotations

OBJECT_META_FIELDS = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)
