"""Patches as kube-apiserver applies them to custom resources: JSON patch (RFC 6902), merge
patch (RFC 7386) and server-side apply with field ownership (managedFields)."""
