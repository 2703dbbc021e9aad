"""The `Warning:` a deprecated version sends with every response to a request for it
(apiextensions-apiserver customresource_handler.go: `deprecationWarning`, or the default)."""

from __future__ import annotations

from annex_core.apidef import Resource, ResourceVersion, version_sort_key


def warning(group: str, resource: Resource, version: ResourceVersion) -> str | None:
    """None for a version that is not deprecated."""
    if not version.deprecated:
        return None
    if version.deprecation_warning is not None:
        return version.deprecation_warning
    return default_warning(group, resource, version.name)


def default_warning(group: str, resource: Resource, deprecated: str) -> str:
    """defaultDeprecationWarning: `<g>/<v> <Kind> is deprecated`, and the served,
    non-deprecated version of highest priority above it to use instead."""
    kind = resource.names.kind
    message = f"{group}/{deprecated} {kind} is deprecated"
    newer = sorted(
        (
            v.name
            for v in resource.versions
            if v.served
            and not v.deprecated
            and version_sort_key(v.name) < version_sort_key(deprecated)
        ),
        key=version_sort_key,
    )
    if newer:
        message += f"; use {group}/{newer[0]} {kind}"
    return message
