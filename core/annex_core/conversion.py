"""How a resource's objects convert between its versions: `spec.resources[].conversion`.

Three strategies, as a CRD has two of them:

- `None`: every version has the same fields; only `apiVersion` changes.
- `Webhook`: a ConversionReview v1 is POSTed to the webhook (CRD-shaped `webhook:` block,
  with `clientConfig.url` or `clientConfig.service`, `caBundle`, `timeoutSeconds`).
- `Declarative`: field moves written in the definition, no webhook. Each rule says that a
  field at `from.path` in `from.version` is the field at `to.path` in `to.version`. Versions
  form a chain in the order `versions[]` lists them; a rule relates two neighbours of that
  chain, and converting across several versions applies each step in turn. A rule works in
  both directions, so every conversion is reversible and a round trip gives back the
  object it started from (for objects valid at their version).

The declarative converter is pure and synchronous; the gateway wraps it (and the webhook
client) behind one interface.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Strategy = Literal["None", "Webhook", "Declarative"]
STRATEGIES: tuple[Strategy, ...] = ("None", "Webhook", "Declarative")
DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10
MAX_WEBHOOK_TIMEOUT_SECONDS = 30

_SEGMENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
# What conversion never touches: the type and the object's metadata are the server's.
_RESERVED_ROOTS = frozenset({"apiVersion", "kind", "metadata"})

Path = tuple[str, ...]
ErrorSink = Callable[[str, str, str], None]  # (field path, reason, message)


@dataclass(frozen=True)
class FieldMove:
    """The field at `from_path` in `from_version` is the field at `to_path` in `to_version`."""

    from_version: str
    from_path: Path
    to_version: str
    to_path: Path


@dataclass(frozen=True)
class ServiceReference:
    namespace: str
    name: str
    path: str = ""
    port: int = 443

    @property
    def url(self) -> str:
        return f"https://{self.name}.{self.namespace}.svc:{self.port}{self.path or '/'}"


@dataclass(frozen=True)
class WebhookConversion:
    url: str
    ca_bundle: bytes | None = None  # PEM; None: the system's trust
    review_versions: tuple[str, ...] = ("v1",)
    timeout_seconds: float = DEFAULT_WEBHOOK_TIMEOUT_SECONDS
    service: ServiceReference | None = None


@dataclass(frozen=True)
class Conversion:
    strategy: Strategy = "None"
    rules: tuple[FieldMove, ...] = ()
    webhook: WebhookConversion | None = None


NONE = Conversion()


# -- parsing ----------------------------------------------------------------------------------


def parse_path(text: str) -> Path | None:
    """`spec.image` (or `.spec.image`) as its segments; None if it is not a field path."""
    segments = tuple(text.removeprefix(".").split("."))
    if not all(_SEGMENT.fullmatch(s) for s in segments):
        return None
    return segments


def parse(raw: object, versions: Sequence[str], path: str, error: ErrorSink) -> Conversion:
    """`spec.resources[i].conversion`, checked against the resource's version names."""
    if raw is None:
        return NONE
    if not isinstance(raw, Mapping):
        error(path, "FieldValueTypeInvalid", "must be an object")
        return NONE
    strategy = raw.get("strategy", "None")
    if strategy not in STRATEGIES:
        error(
            f"{path}.strategy",
            "FieldValueNotSupported",
            f'Unsupported value: "{strategy}": supported values: "Declarative", "None", "Webhook"',
        )
        return NONE
    for other in ("webhook", "declarative"):
        if raw.get(other) is not None and strategy.lower() != other:
            error(
                f"{path}.{other}",
                "FieldValueForbidden",
                f"Forbidden: should not be set when strategy is not set to {other.capitalize()}",
            )
    if strategy == "Webhook":
        return Conversion("Webhook", webhook=_webhook(raw.get("webhook"), f"{path}.webhook", error))
    if strategy == "Declarative":
        return Conversion(
            "Declarative", rules=_rules(raw.get("declarative"), versions, path, error)
        )
    return NONE


def _webhook(raw: object, path: str, error: ErrorSink) -> WebhookConversion | None:
    if not isinstance(raw, Mapping):
        error(
            path, "FieldValueRequired", "Required value: required when strategy is set to Webhook"
        )
        return None
    config = raw.get("clientConfig")
    cpath = f"{path}.clientConfig"
    if not isinstance(config, Mapping):
        error(cpath, "FieldValueRequired", "Required value")
        return None
    versions = raw.get("conversionReviewVersions", ["v1"])
    if not isinstance(versions, list) or "v1" not in versions:
        error(
            f"{path}.conversionReviewVersions",
            "FieldValueInvalid",
            f"Invalid value: {versions!r}: must include at least one of v1",
        )
    timeout = raw.get("timeoutSeconds", DEFAULT_WEBHOOK_TIMEOUT_SECONDS)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int)
        or not 1 <= timeout <= MAX_WEBHOOK_TIMEOUT_SECONDS
    ):
        error(
            f"{path}.timeoutSeconds",
            "FieldValueInvalid",
            f"Invalid value: {timeout!r}: the timeout value must be between 1 and "
            f"{MAX_WEBHOOK_TIMEOUT_SECONDS} seconds",
        )
        timeout = DEFAULT_WEBHOOK_TIMEOUT_SECONDS
    ca_bundle = config.get("caBundle")
    ca: bytes | None = None
    if ca_bundle is not None:
        ca = _pem(ca_bundle)
        if ca is None:
            error(
                f"{cpath}.caBundle",
                "FieldValueInvalid",
                "Invalid value: must be PEM (or base64 of PEM)",
            )
    url, service = config.get("url"), config.get("service")
    if (url is None) == (service is None):
        error(
            cpath, "FieldValueRequired", "Required value: exactly one of url or service is required"
        )
        return None
    if url is not None:
        if not isinstance(url, str) or not url.startswith("https://"):
            error(
                f"{cpath}.url",
                "FieldValueInvalid",
                f"Invalid value: {url!r}: 'https' is the only allowed URL scheme",
            )
            return None
        return WebhookConversion(url, ca, ("v1",), float(timeout))
    if not isinstance(service, Mapping) or not service.get("name") or not service.get("namespace"):
        error(f"{cpath}.service", "FieldValueRequired", "Required value: name and namespace")
        return None
    port = service.get("port", 443)
    ref = ServiceReference(
        str(service["namespace"]),
        str(service["name"]),
        str(service.get("path") or ""),
        port if isinstance(port, int) else 443,
    )
    return WebhookConversion(ref.url, ca, ("v1",), float(timeout), ref)


def _pem(value: object) -> bytes | None:
    """caBundle as PEM: a CRD carries it base64-encoded; PEM text is taken as it is."""
    if not isinstance(value, str) or not value:
        return None
    if "-----BEGIN" in value:
        return value.encode()
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return decoded if b"-----BEGIN" in decoded else None


def _rules(
    raw: object, versions: Sequence[str], path: str, error: ErrorSink
) -> tuple[FieldMove, ...]:
    dpath = f"{path}.declarative"
    if not isinstance(raw, Mapping):
        error(
            dpath,
            "FieldValueRequired",
            "Required value: required when strategy is set to Declarative",
        )
        return ()
    items = raw.get("rules") or []
    rpath = f"{dpath}.rules"
    if not isinstance(items, list):
        error(rpath, "FieldValueTypeInvalid", "must be a list of objects")
        return ()
    order = {v: i for i, v in enumerate(versions)}
    moves: list[FieldMove] = []
    for i, item in enumerate(items):
        p = f"{rpath}[{i}]"
        if not isinstance(item, Mapping):
            error(p, "FieldValueTypeInvalid", "must be an object")
            continue
        ends: list[tuple[str, Path]] = []
        for side in ("from", "to"):
            end = item.get(side)
            sp = f"{p}.{side}"
            if not isinstance(end, Mapping):
                error(sp, "FieldValueRequired", "Required value")
                break
            version, text = end.get("version"), end.get("path")
            if version not in order:
                error(
                    f"{sp}.version",
                    "FieldValueInvalid",
                    f"Invalid value: {version!r}: must be one of the resource's versions",
                )
                break
            parsed = parse_path(text) if isinstance(text, str) else None
            if parsed is None:
                error(
                    f"{sp}.path",
                    "FieldValueInvalid",
                    f"Invalid value: {text!r}: must be a field path like spec.image",
                )
                break
            if parsed[0] in _RESERVED_ROOTS:
                error(
                    f"{sp}.path",
                    "FieldValueForbidden",
                    f"Forbidden: {text!r}: apiVersion, kind and metadata are never converted",
                )
                break
            ends.append((str(version), parsed))
        if len(ends) != 2:
            continue
        (fv, fp), (tv, tp) = ends
        if abs(order[fv] - order[tv]) != 1:
            error(
                p,
                "FieldValueInvalid",
                f"Invalid value: {fv} -> {tv}: a rule relates two neighbouring versions "
                "(in the order of versions[])",
            )
            continue
        # Kept in chain order: from the earlier version to the later one.
        moves.append(
            FieldMove(fv, fp, tv, tp) if order[fv] < order[tv] else FieldMove(tv, tp, fv, fp)
        )
    _check_steps(moves, rpath, error)
    return tuple(moves)


def _check_steps(moves: list[FieldMove], path: str, error: ErrorSink) -> None:
    """Within one step, every field moves at most once and no moved field holds another."""
    steps: dict[tuple[str, str], list[FieldMove]] = {}
    for m in moves:
        steps.setdefault((m.from_version, m.to_version), []).append(m)
    for (a, b), step in steps.items():
        for side, paths in (
            ("from", [m.from_path for m in step]),
            ("to", [m.to_path for m in step]),
        ):
            for i, p in enumerate(paths):
                for q in paths[i + 1 :]:
                    if p[: len(q)] == q or q[: len(p)] == p:
                        error(
                            path,
                            "FieldValueInvalid",
                            f"Invalid value: {'.'.join(p)} and {'.'.join(q)}: between {a} and "
                            f"{b} each {side} path must be moved once, and not inside another",
                        )


# -- the declarative converter ------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarativeConverter:
    """Converts an object between versions by the rules; pure and synchronous."""

    versions: tuple[str, ...]  # the chain, in the order of versions[]
    rules: tuple[FieldMove, ...]
    _steps: dict[tuple[str, str], tuple[tuple[Path, Path], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        steps: dict[tuple[str, str], list[tuple[Path, Path]]] = {}
        for m in self.rules:
            steps.setdefault((m.from_version, m.to_version), []).append((m.from_path, m.to_path))
        object.__setattr__(self, "_steps", {k: tuple(v) for k, v in steps.items()})

    def identity(self, from_version: str, to_version: str) -> bool:
        """Whether converting between the two versions moves nothing."""
        return not self._chain(from_version, to_version)

    def _chain(self, from_version: str, to_version: str) -> list[tuple[tuple[Path, Path], ...]]:
        """The (source, target) pairs of each step from one version to the other, in order."""
        try:
            a, b = self.versions.index(from_version), self.versions.index(to_version)
        except ValueError:
            return []  # an unknown version (an old stored object): fields as they are
        chain: list[tuple[tuple[Path, Path], ...]] = []
        if a < b:
            for i in range(a, b):
                chain.append(self._steps.get((self.versions[i], self.versions[i + 1]), ()))
        else:
            for i in range(a, b, -1):
                forward = self._steps.get((self.versions[i - 1], self.versions[i]), ())
                chain.append(tuple((t, f) for f, t in forward))
        return [step for step in chain if step]

    def convert(self, obj: dict[str, Any], from_version: str, to_version: str) -> dict[str, Any]:
        """Move the fields of `obj` (changed in place and returned) from one version's
        places to the other's. apiVersion is the caller's to set."""
        for step in self._chain(from_version, to_version):
            taken = [(target, _pop(obj, source)) for source, target in step]
            for target, value in taken:
                if value is not _MISSING:
                    _put(obj, target, value)
        return obj


_MISSING = object()


def _pop(obj: dict[str, Any], path: Path) -> object:
    """Remove and return the value at path (_MISSING if absent); parents left empty by the
    removal go too, so the object holds nothing the other version does not know."""
    parents: list[dict[str, Any]] = []
    node: object = obj
    for segment in path[:-1]:
        if not isinstance(node, dict) or not isinstance(node.get(segment), dict):
            return _MISSING
        parents.append(node)
        node = node[segment]
    if not isinstance(node, dict) or path[-1] not in node:
        return _MISSING
    value = node.pop(path[-1])
    for parent, segment in zip(reversed(parents), reversed(path[:-1]), strict=True):
        if parent[segment]:
            break
        del parent[segment]
    return value


def _put(obj: dict[str, Any], path: Path, value: object) -> None:
    node = obj
    for segment in path[:-1]:
        child = node.get(segment)
        if not isinstance(child, dict):
            child = node[segment] = {}
        node = child
    node[path[-1]] = value
