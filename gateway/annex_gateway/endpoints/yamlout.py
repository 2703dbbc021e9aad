"""YAML responses as kube-apiserver writes them: sigs.k8s.io/yaml's JSONToYAML, that is
go-yaml v2 marshalling decoded JSON. Keys sorted; a string that would read back as another
type (a number, a boolean, a timestamp, null) in double quotes, a multi-line one as a literal
block; libyaml (through PyYAML) decides the rest, as go-yaml's emitter (a port of it) does."""

from __future__ import annotations

from typing import Any

import yaml

from annex_gateway.endpoints.yamlbody import STR, plain_tag

_BASE = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class GoYamlDumper(_BASE):  # type: ignore[misc, valid-type]
    """A safe dumper (no Python-specific tags) with go-yaml v2's choice of string styles."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value:
        style = "|"
    elif plain_tag(value) != STR:
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


GoYamlDumper.add_representer(str, _represent_str)


def encode(data: Any) -> bytes:
    return yaml.dump(data, Dumper=GoYamlDumper, sort_keys=True, allow_unicode=True).encode()
