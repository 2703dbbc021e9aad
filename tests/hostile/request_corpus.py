"""The fixed corpus of hostile requests: what is sent, and the status the gateway must answer.

Every expectation is kube-apiserver's answer for the same request to a CRD of the same schema
(observed against v1.37), except where kube-apiserver answers 5xx to a client's mistake (a
name or namespace its storage cannot key, an object etcd will not store, an unparsable
resourceVersion on a get or a watch): there the gateway answers the 4xx kube-apiserver
answers to the nearest request (documented per family). Cases are named; each creating case
writes its own name, so the corpus runs in any order on a fresh gateway.

The object `target` in `default` exists before the corpus runs (conftest creates it).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.hostile.conftest import API_VERSION, COLLECTION, GROUP, VERSION

NAMESPACES = f"/apis/{GROUP}/{VERSION}/namespaces"
ITEM = f"{COLLECTION}/target"
NONE_SELECTED = "labelSelector=corpus%3Dnone"  # a deletecollection that deletes nothing
JSON = {"Content-Type": "application/json"}
YAML = {"Content-Type": "application/yaml"}
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
APPLY = {"Content-Type": "application/apply-patch+yaml"}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    expect: frozenset[int] = frozenset()  # acceptable statuses, on either way in
    aggregated: bool = True  # False: kube-apiserver answers it itself (its own 404 page)
    # Where the answer differs behind kube-apiserver: a namespace must exist there.
    expect_aggregated: frozenset[int] | None = None

    def __repr__(self) -> str:
        return self.name

    def expected(self, target: str) -> frozenset[int]:
        if target == "aggregated" and self.expect_aggregated is not None:
            return self.expect_aggregated
        return self.expect


def probe(name: str, spec: Any = None, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "Probe",
        "metadata": {"name": name} if meta is None else meta,
        "spec": {"a": 1} if spec is None else spec,
    }


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def yaml_probe(name: str, spec: bytes) -> bytes:
    """A YAML Probe whose spec is `spec`, indented as a block."""
    lines = b"".join(b"  " + line for line in spec.splitlines(True))
    return (
        b"apiVersion: %s\nkind: Probe\nmetadata: {name: %s}\nspec:\n"
        % (
            API_VERSION.encode(),
            name.encode(),
        )
        + lines
    )


def _expect(*codes: int) -> frozenset[int]:
    return frozenset(codes)


class Corpus:
    def __init__(self) -> None:
        self.cases: list[Case] = []

    def add(
        self,
        name: str,
        method: str,
        path: str,
        expect: int | Iterable[int],
        *,
        query: str = "",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        aggregated: bool = True,
        expect_aggregated: int | None = None,
    ) -> None:
        codes = _expect(expect) if isinstance(expect, int) else frozenset(expect)
        behind = None if expect_aggregated is None else _expect(expect_aggregated)
        self.cases.append(
            Case(name, method, path, query, headers or {}, body, codes, aggregated, behind)
        )

    def create(
        self,
        name: str,
        expect: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        query: str = "",
    ) -> None:
        self.add(name, "POST", COLLECTION, expect, query=query, headers=headers or JSON, body=body)


# -- URLs -------------------------------------------------------------------------------------

# Segments as sent (percent escapes kept): what each decodes to is what kube-apiserver sees.
ODD_SEGMENTS = {
    "nul": "%00",
    "a-nul-b": "a%00b",
    "ff": "%ff",
    "upper": "UPPER",
    "uber": "%C3%BCber",
    "space": "a%20b",
    "colon": "a:b",
    "dash": "-a",
    "underscore": "a_b",
    "dotted": "a.b",
    "tilde": "~a",
    "len63": "a" * 63,
    "len64": "a" * 64,
    "len254": "a" * 254,
    "len300": "a" * 300,
    "quote": "a%22b",
    "lt": "%3Cscript%3E",
    "newline": "a%0Ab",
}
# Names no storage key can hold (content.IsPathSegmentName): 400 "Name parameter invalid".
UNKEYABLE = {"dotdot": "..", "dot": ".", "slash-escaped": "a%252Fb", "percent": "a%25b"}


def _urls(corpus: Corpus) -> None:
    empty_patch = b"{}"
    put_x = dumps(probe("x"))
    for label, segment in ODD_SEGMENTS.items():
        item = f"{COLLECTION}/{segment}"
        corpus.add(f"name-get-{label}", "GET", item, 404)
        corpus.add(f"name-delete-{label}", "DELETE", item, 404)
        corpus.add(f"name-patch-{label}", "PATCH", item, 404, headers=MERGE, body=empty_patch)
        # checkName: the body's name is not the URL's.
        corpus.add(f"name-put-{label}", "PUT", item, 400, headers=JSON, body=put_x)
        # POST on an item creates the body's object, the URL's name ignored (kube-apiserver's
        # handler for a custom resource, observed for every one of these names): 201.
        post = dumps(probe(f"name-post-{label}"))
        corpus.add(f"name-post-{label}", "POST", item, 201, headers=JSON, body=post)
        # A namespace that cannot be named cannot exist: 404 on create (kube-apiserver's
        # NamespaceLifecycle), an empty list, nothing to get.
        corpus.add(
            f"ns-create-{label}",
            "POST",
            f"{NAMESPACES}/{segment}/probes",
            201 if label == "len63" else 404,  # a valid name: no namespaces to miss standalone
            expect_aggregated=404,
            headers=JSON,
            body=dumps(probe(f"ns-{label}")),
        )
        corpus.add(f"ns-list-{label}", "GET", f"{NAMESPACES}/{segment}/probes", 200)
        corpus.add(f"ns-get-{label}", "GET", f"{NAMESPACES}/{segment}/probes/target", 404)
    for label, segment in UNKEYABLE.items():
        item = f"{COLLECTION}/{segment}"
        corpus.add(f"name-get-{label}", "GET", item, 400)
        corpus.add(f"name-delete-{label}", "DELETE", item, 400)
        corpus.add(f"name-patch-{label}", "PATCH", item, 400, headers=MERGE, body=empty_patch)
        corpus.add(f"name-put-{label}", "PUT", item, 400, headers=JSON, body=put_x)
        # kube-apiserver answers 500 (its etcd key is invalid); nothing can exist there: 404.
        corpus.add(
            f"ns-create-{label}",
            "POST",
            f"{NAMESPACES}/{segment}/probes",
            404,
            headers=JSON,
            body=dumps(probe(f"ns-{label}")),
        )
        corpus.add(f"ns-list-{label}", "GET", f"{NAMESPACES}/{segment}/probes", 200)
    # An escaped slash separates, as in Go: `a%2Fb` is the subresource b of a.
    corpus.add("name-get-slash", "GET", f"{COLLECTION}/a%2Fb", 404)
    corpus.add("name-get-slash-status", "GET", f"{COLLECTION}/nope%2Fstatus", 404)
    # kube-apiserver's own mux answers these (a plain-text 404): not through it.
    corpus.add("ns-list-slash", "GET", f"{NAMESPACES}/a%2Fb/probes", 404, aggregated=False)
    # Parts past the subresource are not interpreted (RequestInfoFactory): the status.
    corpus.add("deep-path", "GET", f"{ITEM}/status/x/y/z", 200)
    corpus.add("unknown-subresource", "GET", f"{ITEM}/scale", 404)
    corpus.add("unknown-resource", "GET", f"{NAMESPACES}/default/nothings", 404)
    corpus.add(
        "unknown-version",
        "GET",
        f"/apis/{GROUP}/v9/namespaces/default/probes",
        404,
        aggregated=False,  # no APIService for v9: kube-apiserver's own 404 page
    )
    # A body name kube-apiserver validates (422), not the URL's.
    for label, name in (
        ("upper", "UPPER"),
        ("dotdot", ".."),
        ("len300", "a" * 300),
        ("nul", "a\x00"),
    ):
        corpus.create(f"body-name-{label}", 422, dumps(probe(name)))


# -- query parameters -------------------------------------------------------------------------

BAD_INT64 = {
    "space": "%201",
    "trailing-space": "1%20",
    "underscore": "1_000",
    "arabic-digit": "%D9%A3",
    "fraction": "1.5",
    "exponent": "1e3",
    "hex": "0x10",
    "word": "abc",
    "empty": "",
    "over-int64": "9223372036854775808",
    "huge": "1" + "0" * 100,
}
GOOD_INT64 = {
    "plus": "%2B5",
    "minus-zero": "-0",
    "leading-zero": "01",
    "negative": "-1",
    "zero": "0",
}
BAD_RESOURCE_VERSION = {
    **{k: v for k, v in BAD_INT64.items() if k not in ("over-int64", "empty")},
    "plus": "%2B5",
    "minus-zero": "-0",
    "negative": "-1",
    "over-uint64": "18446744073709551616",
}
GOOD_RESOURCE_VERSION = {"zero": "0", "one": "1", "empty": "", "leading-zero": "01"}


def _continue_token(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _parameters(corpus: Corpus) -> None:
    for label, value in BAD_INT64.items():
        corpus.add(f"limit-{label}", "GET", COLLECTION, 400, query=f"limit={value}")
        corpus.add(f"list-timeout-{label}", "GET", COLLECTION, 400, query=f"timeoutSeconds={value}")
        corpus.add(
            f"watch-timeout-{label}",
            "GET",
            COLLECTION,
            400,
            query=f"watch=true&timeoutSeconds={value}",
        )
        corpus.add(
            f"grace-{label}",
            "DELETE",
            f"{COLLECTION}/nope",
            400,
            query=f"gracePeriodSeconds={value}",
        )
    for label, value in GOOD_INT64.items():
        corpus.add(f"limit-{label}", "GET", COLLECTION, 200, query=f"limit={value}")
        corpus.add(f"list-timeout-{label}", "GET", COLLECTION, 200, query=f"timeoutSeconds={value}")
        corpus.add(
            f"grace-{label}",
            "DELETE",
            f"{COLLECTION}/nope",
            404,
            query=f"gracePeriodSeconds={value}",
        )
    corpus.add("limit-int64-max", "GET", COLLECTION, 200, query="limit=9223372036854775807")
    corpus.add("limit-first-counts", "GET", COLLECTION, 200, query="limit=1&limit=abc")
    corpus.add("limit-first-bad", "GET", COLLECTION, 400, query="limit=abc&limit=1")
    # A watch whose timeout overflows Go's Duration, or is negative, ends at once.
    for label, value in (
        ("negative", "-1"),
        ("plus", "%2B1"),
        ("int64-max", "9223372036854775807"),
        ("overflow", "10000000000"),
    ):
        corpus.add(
            f"watch-timeout-{label}",
            "GET",
            COLLECTION,
            200,
            query=f"watch=1&timeoutSeconds={value}",
        )
    for label, value in BAD_RESOURCE_VERSION.items():
        # kube-apiserver: 400 for a list, 500 for a get or a watch; the gateway 400 for all.
        query = f"resourceVersion={value}"
        corpus.add(f"rv-list-{label}", "GET", COLLECTION, 400, query=query)
        corpus.add(f"rv-get-{label}", "GET", ITEM, 400, query=query)
        corpus.add(
            f"rv-watch-{label}", "GET", COLLECTION, 400, query=f"watch=1&timeoutSeconds=1&{query}"
        )
    for label, value in GOOD_RESOURCE_VERSION.items():
        query = f"resourceVersion={value}"
        corpus.add(f"rv-list-{label}", "GET", COLLECTION, 200, query=query)
        corpus.add(f"rv-get-{label}", "GET", ITEM, 200, query=query)
        corpus.add(
            f"rv-watch-{label}", "GET", COLLECTION, 200, query=f"watch=1&timeoutSeconds=1&{query}"
        )
    _continue_tokens(corpus)
    for label, value in (
        ("yes", "yes"),
        ("two", "2"),
        ("empty", ""),
        ("upper", "TRUE"),
        ("x", "x"),
    ):
        corpus.add(
            f"watch-flag-{label}", "GET", COLLECTION, 200, query=f"watch={value}&timeoutSeconds=1"
        )
        corpus.add(
            f"bookmarks-{label}",
            "GET",
            COLLECTION,
            200,
            query=f"watch=1&timeoutSeconds=1&allowWatchBookmarks={value}",
        )
    for label, value in (("false", "false"), ("FALSE", "FALSE"), ("zero", "0")):
        corpus.add(f"watch-off-{label}", "GET", COLLECTION, 200, query=f"watch={value}")
    corpus.add("send-initial-list", "GET", COLLECTION, 422, query="sendInitialEvents=true")
    corpus.add("send-initial-no-match", "GET", COLLECTION, 422, query="watch=1&sendInitialEvents=x")
    corpus.add(
        "match-bogus", "GET", COLLECTION, 422, query="resourceVersion=1&resourceVersionMatch=bogus"
    )
    corpus.add("match-exact-no-rv", "GET", COLLECTION, 422, query="resourceVersionMatch=Exact")
    corpus.add(
        "match-exact-zero",
        "GET",
        COLLECTION,
        422,
        query="resourceVersion=0&resourceVersionMatch=Exact",
    )
    corpus.add(
        "match-watch-alone",
        "GET",
        COLLECTION,
        422,
        query="watch=1&resourceVersionMatch=NotOlderThan",
    )
    for label, value in (
        ("open", "a%20in%20("),
        ("bang", "!"),
        ("eq3", "a%3D%3D%3Db"),
        ("long", "a" * 300 + "%3Db"),
    ):
        corpus.add(f"labels-{label}", "GET", COLLECTION, 400, query=f"labelSelector={value}")
    for label, value in (
        ("unsupported", "spec.x%3Dy"),
        ("garbage", "%3D%3D"),
        ("no-op", "metadata.name"),
    ):
        corpus.add(f"fields-{label}", "GET", COLLECTION, 400, query=f"fieldSelector={value}")
    _write_parameters(corpus)


def _continue_tokens(corpus: Corpus) -> None:
    v1 = "meta.k8s.io/v1"  # kube-apiserver's tokens, which the gateway writes and reads
    tokens = {
        "garbage": "garbage",
        "not-json": base64.urlsafe_b64encode(b"\x81\x82").decode(),
        "other-version": _continue_token({"v": "annex.dev/v1", "rv": 1, "start": "a\x00"}),
        "rv-zero": _continue_token({"v": v1, "rv": 0, "start": "a\x00"}),
        "rv-string": _continue_token({"v": v1, "rv": "7", "start": "a\x00"}),
        "rv-float": _continue_token({"v": v1, "rv": 1.5, "start": "a\x00"}),
        "rv-bool": _continue_token({"v": v1, "rv": True, "start": "a\x00"}),
        "rv-int64-over": _continue_token({"v": v1, "rv": 2**63, "start": "a\x00"}),
        "rv-huge": _continue_token({"v": v1, "rv": 10**400, "start": "a\x00"}),
        "no-start": _continue_token({"v": v1, "rv": 1}),
        "climbing-start": _continue_token({"v": v1, "rv": 1, "start": "../../x"}),
        "trailing-slash": _continue_token({"v": v1, "rv": 1, "start": "a/"}),
        "list": _continue_token([1, 2]),
    }
    for label, token in tokens.items():
        corpus.add(f"continue-{label}", "GET", COLLECTION, 400, query=f"limit=1&continue={token}")
    good = _continue_token({"v": v1, "rv": 1, "start": "a\x00"})
    # Revision 1 may have been compacted since: 410 Expired is kube-apiserver's answer then.
    corpus.add("continue-old", "GET", COLLECTION, (200, 410), query=f"limit=1&continue={good}")
    latest = _continue_token({"v": v1, "rv": -1, "start": "a\x00"})  # an expired list's offer
    corpus.add("continue-latest", "GET", COLLECTION, 200, query=f"limit=1&continue={latest}")
    corpus.add(
        "continue-with-rv",
        "GET",
        COLLECTION,
        400,
        query=f"limit=1&continue={good}&resourceVersion=5",
    )


def _write_parameters(corpus: Corpus) -> None:
    for label, query, code in (
        ("lower", "dryRun=all", 422),
        ("empty", "dryRun=", 422),
        ("none", "dryRun=None", 422),
        ("comma", "dryRun=All,All", 422),
        ("all", "dryRun=All", 201),
        ("twice", "dryRun=All&dryRun=All", 201),
        ("twice-bad", "dryRun=All&dryRun=x", 422),
    ):
        corpus.create(f"dry-run-{label}", code, dumps(probe(f"dry-{label}")), query=query)
    for label, manager, code in (
        ("129", "a" * 129, 422),
        ("128", "a" * 128, 201),
        ("nul", "a%00b", 422),
        ("newline", "a%0Ab", 422),
        ("del", "a%7Fb", 422),
        ("bytes", "%C3%BC" * 65, 422),  # 65 characters, 130 bytes
        ("unicode", "%C3%BC" * 10, 201),
    ):
        corpus.create(
            f"manager-{label}", code, dumps(probe(f"fm-{label}")), query=f"fieldManager={manager}"
        )
    unknown = dumps(probe("fv", meta={"name": "fv-{}", "colour": 5}))
    for label, value, code in (
        ("bogus", "bogus", 422),
        ("lower", "strict", 422),
        ("strict", "Strict", 400),
        ("warn", "Warn", 201),
        ("ignore", "Ignore", 201),
        ("empty", "", 201),
    ):
        corpus.create(
            f"validation-{label}",
            code,
            unknown.replace(b"{}", label.encode()),
            query=f"fieldValidation={value}",
        )
    for label, value, code in (
        ("bogus", "bogus", 422),
        ("empty", "", 422),
        ("foreground", "Foreground", 404),
    ):
        corpus.add(
            f"policy-{label}",
            "DELETE",
            f"{COLLECTION}/nope",
            code,
            query=f"propagationPolicy={value}",
        )
    corpus.add("orphan-x", "DELETE", f"{COLLECTION}/nope", 404, query="orphanDependents=x")
    corpus.add(
        "orphan-and-policy",
        "DELETE",
        f"{COLLECTION}/nope",
        422,
        query="orphanDependents=true&propagationPolicy=Orphan",
    )
    corpus.add("force-merge", "PATCH", ITEM, 422, query="force=true", headers=MERGE, body=b"{}")
    corpus.add(
        "force-x-apply",
        "PATCH",
        f"{COLLECTION}/force-x",
        201,
        query="force=x&fieldManager=m",
        headers=APPLY,
        body=dumps(probe("force-x")),
    )
    corpus.add(
        "apply-no-manager",
        "PATCH",
        f"{COLLECTION}/apply-none",
        422,
        headers=APPLY,
        body=dumps(probe("apply-none")),
    )


# -- DeleteOptions bodies ---------------------------------------------------------------------

DELETE_BODIES: dict[str, tuple[Any, int, int]] = {
    # label: (body, answer for an item that does not exist, for a collection selecting none)
    "preconditions-list": ({"preconditions": ["x"]}, 400, 400),
    "preconditions-string": ({"preconditions": "x"}, 400, 400),
    "preconditions-uid-int": ({"preconditions": {"uid": 5}}, 400, 400),
    "preconditions-rv-int": ({"preconditions": {"resourceVersion": 5}}, 400, 400),
    "grace-string": ({"gracePeriodSeconds": "x"}, 400, 400),
    "grace-float": ({"gracePeriodSeconds": 1.5}, 400, 400),
    "grace-big": ({"gracePeriodSeconds": 2**64}, 400, 400),
    "policy-int": ({"propagationPolicy": 5}, 400, 400),
    "policy-bogus": ({"propagationPolicy": "bogus"}, 422, 422),
    "dry-run-string": ({"dryRun": "All"}, 400, 400),
    "dry-run-int": ({"dryRun": [5]}, 400, 400),
    "dry-run-bogus": ({"dryRun": ["x"]}, 422, 422),
    "orphan-string": ({"orphanDependents": "yes"}, 400, 400),
    "kind-foo": ({"kind": "Foo", "apiVersion": "v1"}, 400, 400),
    "kind-int": ({"kind": 5}, 400, 400),
    "list": ([], 400, 400),
    "string": ("x", 400, 400),
    "number": (5, 400, 400),
    "kind-delete-options": ({"kind": "DeleteOptions", "apiVersion": "v1"}, 404, 200),
    "meta-delete-options": ({"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1"}, 404, 200),
    "null": (None, 404, 200),
    "unknown-field": ({"bogus": 1}, 404, 200),
    "grace-ok": ({"gracePeriodSeconds": 0}, 404, 200),
}


def _delete_options(corpus: Corpus) -> None:
    for label, (body, item, collection) in DELETE_BODIES.items():
        data = dumps(body)
        corpus.add(
            f"delete-body-{label}", "DELETE", f"{COLLECTION}/nope", item, headers=JSON, body=data
        )
        corpus.add(
            f"deletecollection-body-{label}",
            "DELETE",
            COLLECTION,
            collection,
            query=NONE_SELECTED,
            headers=JSON,
            body=data,
        )
    corpus.add(
        "delete-body-yaml",
        "DELETE",
        f"{COLLECTION}/nope",
        400,
        headers=YAML,
        body=b"preconditions:\n- x\n",
    )
    corpus.add(
        "delete-body-garbage", "DELETE", f"{COLLECTION}/nope", 400, headers=JSON, body=b"{garbage"
    )
    corpus.add(
        "delete-body-text",
        "DELETE",
        f"{COLLECTION}/nope",
        415,
        headers={"Content-Type": "text/plain"},
        body=b"x",
    )
    corpus.add(
        "delete-body-deep",
        "DELETE",
        f"{COLLECTION}/nope",
        400,
        headers=JSON,
        body=b'{"preconditions":' + b"[" * 5000 + b"]" * 5000 + b"}",
    )


# -- metadata of the wrong type ---------------------------------------------------------------

WRONG_METADATA: dict[str, dict[str, Any]] = {
    "name-int": {"name": 4242},
    "name-list": {"name": ["a"]},
    "name-object": {"name": {"a": 1}},
    "name-bool": {"name": True},
    "generate-name-int": {"generateName": 12345},
    "namespace-int": {"name": "m", "namespace": 5},
    "labels-int-value": {"name": "m", "labels": {"a": 1}},
    "labels-string": {"name": "m", "labels": "x"},
    "labels-list": {"name": "m", "labels": ["a"]},
    "annotations-list": {"name": "m", "annotations": ["a"]},
    "annotations-bool-value": {"name": "m", "annotations": {"a": True}},
    "owners-string": {"name": "m", "ownerReferences": "str"},
    "owners-list-of-strings": {"name": "m", "ownerReferences": ["str"]},
    "owners-api-version-int": {
        "name": "m",
        "ownerReferences": [{"apiVersion": 5, "kind": "K", "name": "n", "uid": "u"}],
    },
    "owners-controller-string": {
        "name": "m",
        "ownerReferences": [
            {"apiVersion": "v1", "kind": "K", "name": "n", "uid": "u", "controller": "yes"}
        ],
    },
    "managed-fields-string": {"name": "m", "managedFields": "garbage"},
    "managed-fields-list-of-strings": {"name": "m", "managedFields": ["x"]},
    "managed-fields-manager-int": {"name": "m", "managedFields": [{"manager": 5}]},
    "managed-fields-time-garbage": {
        "name": "m",
        "managedFields": [{"manager": "m", "time": "garbage"}],
    },
    "finalizers-string": {"name": "m", "finalizers": "x"},
    "finalizers-int": {"name": "m", "finalizers": [5]},
    "resource-version-int": {"name": "m", "resourceVersion": 5},
    "uid-int": {"name": "m", "uid": 5},
    "creation-garbage": {"name": "m", "creationTimestamp": "garbage"},
    "creation-int": {"name": "m", "creationTimestamp": 5},
    "creation-month-13": {"name": "m", "creationTimestamp": "2024-13-01T00:00:00Z"},
    "deletion-garbage": {"name": "m", "deletionTimestamp": "garbage"},
    "grace-string": {"name": "m", "deletionGracePeriodSeconds": "x"},
    "generation-string": {"name": "m", "generation": "x"},
    "generation-float": {"name": "m", "generation": 1.5},
    "generation-big": {"name": "m", "generation": 2**63},
    "self-link-int": {"name": "m", "selfLink": 5},
    "several": {"name": 5, "generateName": 6, "labels": "x"},
}


def _metadata(corpus: Corpus) -> None:
    for label, meta in WRONG_METADATA.items():
        corpus.create(f"meta-{label}", 400, dumps(probe("m", meta=meta)))
    corpus.create("meta-string", 400, dumps({**probe("m"), "metadata": "str"}))
    corpus.create("meta-list", 400, dumps({**probe("m"), "metadata": []}))
    corpus.create("meta-null", 422, dumps({**probe("m"), "metadata": None}))  # name required
    corpus.create(
        "meta-null-label-value",
        201,
        dumps(probe("m", meta={"name": "meta-null-label", "labels": {"a": None}})),
    )
    corpus.create(
        "meta-nulls",
        201,
        dumps(probe("m", meta={"name": "meta-nulls", "uid": None, "finalizers": None})),
    )
    corpus.create(
        "meta-unknown-field", 201, dumps(probe("m", meta={"name": "meta-unknown", "colour": 5}))
    )
    corpus.create(
        "meta-generation-integral",
        201,
        dumps(probe("m", meta={"name": "meta-gen-float", "generation": 3.0})),
    )
    corpus.create("kind-int", 400, dumps({**probe("k"), "kind": 5}))
    corpus.create("api-version-int", 400, dumps({**probe("k"), "apiVersion": 5}))
    corpus.create("kind-other", 422, dumps({**probe("k"), "kind": "Other"}))  # ValidateTypeMeta
    corpus.create("api-version-other", 400, dumps({**probe("k"), "apiVersion": "other/v1"}))
    corpus.create(
        "kind-missing", 400, dumps({"apiVersion": API_VERSION, "metadata": {"name": "k"}})
    )
    corpus.add(
        "patch-labels-int",
        "PATCH",
        ITEM,
        422,  # the patched object does not decode: 422 on the "patch"
        headers=MERGE,
        body=b'{"metadata":{"labels":{"a":5}}}',
    )
    corpus.add(
        "patch-owners-string",
        "PATCH",
        ITEM,
        422,  # the patched object does not decode: 422 on the "patch"
        headers=MERGE,
        body=b'{"metadata":{"ownerReferences":"str"}}',
    )
    corpus.add("patch-name-int", "PATCH", ITEM, 422, headers=MERGE, body=b'{"metadata":{"name":5}}')
    corpus.add(
        "json-patch-managed-fields",
        "PATCH",
        ITEM,
        422,  # the patched object does not decode: 422 on the "patch"
        headers=JSON_PATCH,
        body=b'[{"op":"add","path":"/metadata/managedFields","value":"garbage"}]',
    )


# -- bodies: JSON, numbers, YAML ----------------------------------------------------------------


def _json_bodies(corpus: Corpus) -> None:
    base = dumps(probe("json-base"))
    for label, body, code in (
        ("list", b"[]", 400),
        ("string", b'"x"', 400),
        ("null", b"null", 400),
        ("empty", b"", 400),
        ("garbage", b"{garbage", 400),
        ("trailing-object", base + b" {}", 400),
        ("trailing-junk", base + b" xx", 400),
        ("bom", b"\xef\xbb\xbf" + dumps(probe("bom")), 400),
        ("truncated", base[:-5], 400),
        ("single-quotes", b"{'a': 1}", 400),
        ("comment", b"{/* c */}", 400),
        ("invalid-utf8", dumps(probe("utf8", {"s": "X"})).replace(b"X", b"\xff\xfe"), 201),
        (
            "lone-surrogate",
            dumps(probe("surrogate", {"s": "X"})).replace(b'"X"', b'"\\ud800"'),
            201,
        ),
        ("nul-escape", dumps(probe("nul", {"s": "\x00"})), 201),
        (
            "duplicate-keys",
            dumps(probe("dup", {"a": 1})).replace(b'{"a": 1}', b'{"a": 1, "a": 2}'),
            201,
        ),
        ("html", dumps(probe("html", {"s": "<script>&</script>\u2028"})), 201),
        ("long-key", dumps(probe("long-key", {"k" * 100_000: 1})), 201),
        ("many-keys", dumps(probe("many-keys", {f"k{i}": i for i in range(20_000)})), 201),
    ):
        corpus.create(f"json-{label}", code, body)
    # `count` is an integer in the schema: a float64 is one only if integral and within 2**53
    # (kube-openapi's swag.IsFloat64AJSONInteger), so what Go reads as a float64 beyond int64
    # is refused with 422, as for a CRD.
    numbers = {
        "int64-max": (b"9223372036854775807", 201),
        "int64-over": (b"9223372036854775808", 422),  # a float64, as Go decodes it
        "uint64-max": (b"18446744073709551615", 422),
        "uint64-over": (b"18446744073709551616", 422),
        "int64-min": (b"-9223372036854775808", 201),
        "int64-under": (b"-9223372036854775809", 422),
        "huge": (b"1" + b"0" * 400, 400),
        "huge-5000": (b"1" + b"0" * 5000, 400),
        "float-over": (b"1e400", 400),
        "float-under": (b"1e-400", 201),
        "minus-zero": (b"-0", 201),
        "minus-zero-float": (b"-0.0", 201),
        "exponent": (b"1e3", 201),
        "fraction": (b"1.5", 422),
        "leading-zero": (b"01", 400),
        "plus": (b"+1", 400),
        "nan": (b"NaN", 400),
        "infinity": (b"Infinity", 400),
        "hex": (b"0x10", 400),
    }
    for label, (number, code) in numbers.items():
        body = b'{"apiVersion":"%s","kind":"Probe","metadata":{"name":"n-%s"},"spec":{"x":%s,"count":%s}}'
        corpus.create(
            f"number-json-{label}",
            code,
            body % (API_VERSION.encode(), label.encode(), number, number),
        )
        # YAML reads every one of them (a text beyond float64, NaN and `+1` included).
        corpus.create(
            f"number-yaml-{label}",
            201,
            yaml_probe(f"y-{label}", b"x: %s\n" % number),
            headers=YAML,
        )


YAML_VALUES: dict[str, tuple[bytes, int]] = {
    "nan": (b".nan", 400),
    "inf": (b".inf", 400),
    "minus-inf": (b"-.inf", 400),
    "nan-caps": (b".NaN", 400),
    "yes": (b"yes", 201),
    "on": (b"on", 201),
    "tilde": (b"~", 201),
    "date": (b"2001-12-14", 201),
    "timestamp": (b"2001-12-14t21:59:43.10-05:00", 201),
    "octal": (b"0o17", 201),
    "octal-old": (b"017", 201),
    "hex": (b"0x1F", 201),
    "sexagesimal": (b"190:20:30", 201),
    "underscore": (b"1_000", 201),
    "binary-int": (b"0b101", 201),
    "binary-tag": (b"!!binary aGVsbG8=", 201),
    "binary-invalid": (b"!!binary '!!'", 400),
    "binary-not-utf8": (b"!!binary /w==", 201),
    "set": (b"!!set {a, b}", 201),
    "omap": (b"!!omap [a: 1]", 201),
    "pairs": (b"!!pairs [a: 1, a: 2]", 201),
    "str-tag": (b"!!str 5", 201),
    "int-tag": (b"!!int 5", 201),
    "int-tag-bad": (b"!!int x", 400),
    "float-tag": (b"!!float 5", 201),
    "bool-tag-bad": (b"!!bool 5", 400),
    "null-tag": (b"!!null ''", 201),
    "timestamp-tag-bad": (b"!!timestamp x", 400),
    "custom-tag": (b"!foo bar", 201),
    "verbatim-tag": (b"!<tag:example.com,2000:x> bar", 201),
    "python-object": (b"!!python/object:os.system x", 201),
    "python-apply": (b"!!python/object/apply:os.system ['true']", 201),
    "python-name": (b"!!python/name:os.system ''", 201),
    "merge": (b"{<<: {a: 1}, b: 2}", 201),
    "merge-scalar": (b"{<<: 5}", 400),
    "merge-list": (b"{<<: [{a: 1}, {b: 2}]}", 201),
    "quoted-merge": (b'{"<<": {a: 1}}', 201),
    "literal-block": (b"|\n    line\n    line", 201),
    "folded-block": (b">\n    a\n    b", 201),
    "anchor-unused": (b"&a 5", 201),
    "undefined-alias": (b"*nowhere", 400),
    "self-alias": (b"&a [*a]", 400),
}
YAML_KEYS: dict[str, tuple[bytes, int]] = {
    "int": (b"1", 201),
    "negative": (b"-7", 201),
    "float": (b"1.5", 201),
    "bool": (b"true", 201),
    "yes": (b"yes", 201),
    "null": (b"~", 400),
    "empty": (b'""', 201),
    "list": (b"[a, b]", 400),
    "map": (b"{a: 1}", 400),
    "nan": (b".nan", 201),
    "inf": (b".inf", 201),
    "uint64": (b"9223372036854775808", 400),
    "beyond-uint64": (b"18446744073709551616", 201),
    "date": (b"2001-12-14", 201),
    "exponent": (b"1e20", 201),
    "binary": (b"!!binary aGVsbG8=", 201),
}


def _yaml_bodies(corpus: Corpus) -> None:
    for label, (value, code) in YAML_VALUES.items():
        corpus.create(
            f"yaml-value-{label}", code, yaml_probe(f"v-{label}", b"x: %s\n" % value), YAML
        )
    for label, (key, code) in YAML_KEYS.items():
        corpus.create(
            f"yaml-key-{label}", code, yaml_probe(f"k-{label}", b"{? %s: one}\n" % key), YAML
        )
    for label, body, code in (
        (
            "top-level-int-key",
            b"apiVersion: %s\nkind: Probe\nmetadata: {name: kt}\n1: one\n" % API_VERSION.encode(),
            201,
        ),
        ("two-documents", yaml_probe("md", b"a: 1\n") + b"---\nkind: Other\n", 201),
        ("document-end", yaml_probe("de", b"a: 1\n") + b"...\ngarbage: [\n", 201),
        ("duplicate-key", yaml_probe("yd", b"a: 1\na: 2\n"), 201),
        (
            "tab-indent",
            b"apiVersion: %s\nkind: Probe\nmetadata:\n\tname: tab\n" % API_VERSION.encode(),
            400,
        ),
        ("empty", b"", 400),
        ("comment-only", b"# nothing\n", 400),
        ("scalar", b"hello\n", 400),
        ("sequence", b"- a\n- b\n", 400),
        ("invalid-utf8", yaml_probe("yu", b"s: \xff\n"), 400),
        ("directive", b"%YAML 1.1\n---\n" + yaml_probe("dir", b"a: 1\n"), 201),
        ("bad-directive", b"%YAML 9.9\n---\n" + yaml_probe("dir9", b"a: 1\n"), 400),
        ("unclosed-flow", yaml_probe("uf", b"a: [1, 2\n"), 400),
        ("anchors-reused", yaml_probe("ar", b"a: &x 1\nb: &x 2\nc: *x\n"), 201),
        ("json-as-yaml", dumps(probe("jy")), 201),
        ("json-as-yaml-deep-ints", dumps(probe("jyd", {"x": [18446744073709551615]})), 201),
    ):
        corpus.create(f"yaml-{label}", code, body, YAML)


# -- nesting, expansion, size ------------------------------------------------------------------


def nested_json(levels: int) -> bytes:
    """A Probe whose nesting reaches `levels` (the object itself is level 1)."""
    inner = levels - 2  # below the object and its spec
    return b'{"apiVersion":"%s","kind":"Probe","metadata":{"name":"d%d"},"spec":{"x":%s}}' % (
        API_VERSION.encode(),
        levels,
        b"[" * inner + b"]" * inner,
    )


def nested_json_maps(levels: int) -> bytes:
    inner = levels - 2  # below the object and its spec
    return b'{"apiVersion":"%s","kind":"Probe","metadata":{"name":"m%d"},"spec":%s}' % (
        API_VERSION.encode(),
        levels,
        b'{"a":' * inner + b"{}" + b"}" * inner,
    )


def laughs(levels: int = 9, width: int = 9) -> bytes:
    doc = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = b"a"
    for i in range(1, levels):
        name = b"b%d" % i
        doc += name + b": &" + name + b" [" + b",".join([b"*" + previous] * width) + b"]\n"
        previous = name
    return doc


def long_string_bomb(size: int = 900_000, copies: int = 100) -> bytes:
    """One string of `size` bytes aliased `copies` times: a 1 MB body, a 90 MB object."""
    return b"s: &s " + b"x" * size + b"\nl: [" + b",".join([b"*s"] * copies) + b"]\n"


def copying_patch(size: int, copies: int) -> bytes:
    """A JSON patch that adds a string of `size` bytes and copies it `copies` times."""
    add = b'{"op":"add","path":"/spec/a","value":"' + b"x" * size + b'"}'
    copy = b'{"op":"copy","from":"/spec/a","path":"/spec/c%d"}'
    return b"[" + b",".join([add, *(copy % i for i in range(copies))]) + b"]"


def _limits(corpus: Corpus) -> None:
    for levels in (100, 199, 200):
        corpus.create(f"depth-json-{levels}", 201, nested_json(levels))
        corpus.create(f"depth-json-maps-{levels}", 201, nested_json_maps(levels))
    for levels in (201, 254, 255, 256, 300, 512, 1000, 1024, 1025, 5000, 9999, 10001, 100_000):
        corpus.create(f"depth-json-{levels}", 400, nested_json(levels))
    for levels in (201, 300, 1025, 10001):
        corpus.create(f"depth-json-maps-{levels}", 400, nested_json_maps(levels))
    corpus.create("depth-unbalanced", 400, b'{"a":' + b"[" * 1_000_000)
    corpus.create("depth-brackets-in-strings", 201, dumps(probe("brackets", {"s": "[" * 100_000})))
    for levels, code in ((199, 201), (200, 201), (201, 400), (300, 400), (1000, 400), (10001, 400)):
        flow = b"[" * (levels - 2) + b"]" * (levels - 2)  # below the object and its spec
        corpus.create(
            f"depth-yaml-flow-{levels}", code, yaml_probe(f"yf{levels}", b"x: %s\n" % flow), YAML
        )
    for levels, code in ((100, 201), (200, 201), (201, 400), (300, 400), (1000, 400)):
        keys = levels - 2  # each key's mapping one level below the object and its spec
        block = b"".join(b"  " * i + b"a:\n" for i in range(keys)) + b"  " * keys + b"b: 1\n"
        corpus.create(f"depth-yaml-block-{levels}", code, yaml_probe(f"yb{levels}", block), YAML)
    corpus.create(
        "depth-yaml-sequences", 400, yaml_probe("ys", b"x: " + b"- " * 300 + b"x\n"), YAML
    )
    corpus.create(
        "depth-yaml-through-alias",
        400,
        yaml_probe(
            "ya",
            b"a: &a " + b"[" * 150 + b"]" * 150 + b"\nb: " + b"[" * 60 + b"*a" + b"]" * 60 + b"\n",
        ),
        YAML,
    )
    corpus.create("bomb-laughs", 400, yaml_probe("bomb", laughs()), YAML)
    corpus.create(
        "bomb-laughs-narrow", 400, yaml_probe("bomb-narrow", laughs(levels=30, width=2)), YAML
    )
    corpus.create("bomb-long-string", 413, yaml_probe("bomb-long", long_string_bomb()), YAML)
    corpus.create(
        "bomb-long-string-few", 413, yaml_probe("bomb-few", long_string_bomb(900_000, 3)), YAML
    )
    corpus.create("bomb-small-ok", 201, yaml_probe("bomb-ok", long_string_bomb(1000, 100)), YAML)
    corpus.add(
        "bomb-apply",
        "PATCH",
        f"{COLLECTION}/bomb-apply",
        400,
        query="fieldManager=m",
        headers=APPLY,
        body=yaml_probe("bomb-apply", laughs()),
    )
    corpus.add(
        "bomb-apply-long",
        "PATCH",
        f"{COLLECTION}/bomb-apply-long",
        413,
        query="fieldManager=m",
        headers=APPLY,
        body=yaml_probe("bomb-apply-long", long_string_bomb()),
    )
    for label, size, code in (
        ("1.4mib", 1400 * 1024, 201),
        ("1.6mib", 1600 * 1024, 413),
        ("2.9mib", 2900 * 1024, 413),
        ("3mib-over", 3 * 1024 * 1024, 413),
    ):
        corpus.create(f"size-{label}", code, dumps(probe(f"size-{label}", {"s": "x" * size})))
    corpus.create("size-wide-lists", 413, b'{"a":[' + b"[]," * 1_000_000 + b"[]]}")
    corpus.create("size-wide-numbers", 413, b"[" + b",".join([b"1e15"] * 300_000) + b"]")
    corpus.create("size-empty-strings", 413, b'{"a":[' + b'"",' * 1_000_000 + b'""]}')
    grow = copying_patch(600_000, 4)
    corpus.add("patch-grows-too-large", "PATCH", ITEM, 413, headers=JSON_PATCH, body=grow)
    corpus.add(
        "patch-merge-too-large",
        "PATCH",
        ITEM,
        413,
        headers=MERGE,
        body=dumps({"spec": {"big": "x" * 1_600_000}}),
    )
    corpus.add(
        "patch-merge-deep",
        "PATCH",
        ITEM,
        400,
        headers=MERGE,
        body=b'{"spec":{"x":' + b"[" * 300 + b"]" * 300 + b"}}",
    )
    corpus.add(
        "patch-merge-deeper",
        "PATCH",
        ITEM,
        400,
        headers=MERGE,
        body=b'{"spec":{"x":' + b"[" * 10001 + b"]" * 10001 + b"}}",
    )
    corpus.add(
        "patch-json-deep",
        "PATCH",
        ITEM,
        400,
        headers=JSON_PATCH,
        body=b'[{"op":"add","path":"/spec/x","value":' + b"[" * 300 + b"]" * 300 + b"}]",
    )
    corpus.add(
        "patch-apply-set",
        "PATCH",
        f"{COLLECTION}/apply-set",
        201,
        query="fieldManager=m",
        headers=APPLY,
        body=yaml_probe("apply-set", b"x: !!set {a, b}\n"),
    )


# -- media types and encodings ----------------------------------------------------------------

CONTENT_TYPES = {
    "semicolons": (";;;", 415),
    "trailing-semicolon": ("application/json;", 201),
    "two-semicolons": ("application/json;;", 415),
    "charset": ("application/json; charset=utf-8", 201),
    "charset-latin1": ("application/json; charset=latin1", 201),
    "upper": ("APPLICATION/JSON", 201),
    "spaces": ("  application/json  ", 201),
    "text": ("text/plain", 415),
    "slash": ("/", 415),
    "extra-slash": ("application/json/x", 415),
    "star": ("*/*", 415),
    "application-star": ("application/*", 415),
    "bad-parameter": ("application/json; =x", 415),
    "unterminated-quote": ('application/json; a="b', 415),
    "duplicate-parameter": ("application/json; a=1; a=2", 415),
    "two-types": ("application/json, application/yaml", 415),
    "protobuf": ("application/vnd.kubernetes.protobuf", 415),
    "cbor": ("application/cbor", 415),
    "yaml": ("application/yaml", 201),
    "merge-patch": ("application/merge-patch+json", 415),
    "form": ("application/x-www-form-urlencoded", 415),
    "non-ascii": ("application/jsön", 415),
}
PATCH_TYPES = {
    "semicolons": (";;;", 415),
    "merge": ("application/merge-patch+json", 200),
    "merge-charset": ("application/merge-patch+json; charset=utf-8", 200),
    "merge-trailing-semicolon": ("application/merge-patch+json;", 200),
    "merge-upper": ("APPLICATION/MERGE-PATCH+JSON", 415),  # handlers/patch.go compares as sent
    "merge-leading-space": (" application/merge-patch+json", 200),  # HTTP trims the value
    "strategic": ("application/strategic-merge-patch+json", 415),
    "json": ("application/json", 415),
    "json-patch-object": ("application/json-patch+json", 400),  # {} is no patch
    "empty": ("", 415),
}


def _media_types(corpus: Corpus) -> None:
    for label, (content_type, code) in CONTENT_TYPES.items():
        corpus.create(
            f"content-type-{label}",
            code,
            dumps(probe(f"ct-{label}")),
            {"Content-Type": content_type},
        )
    for label, (content_type, code) in PATCH_TYPES.items():
        corpus.add(
            f"patch-type-{label}",
            "PATCH",
            ITEM,
            code,
            headers={"Content-Type": content_type},
            body=b"{}",
        )
    plain = dumps(probe("ce-{}"))
    for label, encoding, code in (
        ("gzip", "gzip", 201),
        ("deflate", "deflate", 201),
        ("br", "br", 201),
        ("identity", "identity", 201),
        ("bogus", "bogus", 201),
        ("two", "gzip, deflate", 201),
    ):
        corpus.create(
            f"content-encoding-{label}",
            code,
            plain.replace(b"{}", label.encode()),
            {"Content-Type": "application/json", "Content-Encoding": encoding},
        )
    corpus.create(
        "content-encoding-gzipped",
        400,
        gzip.compress(dumps(probe("ce-gzipped"))),
        {"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    corpus.create(
        "content-encoding-gzip-bomb",
        400,
        gzip.compress(b'{"a":"' + b"x" * (50 * 1024 * 1024) + b'"}'),
        {"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )


# -- the ApiDefinition impact webhook: unauthenticated, not behind kube-apiserver ---------------

IMPACT = "/annex.dev/apidefinitions/impact"


def _review(request: Any) -> bytes:
    return dumps(
        {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}
    )


def _definition(spec: Any) -> dict[str, Any]:
    return {"apiVersion": "annex.dev/v1alpha1", "kind": "ApiDefinition", "spec": spec}


def _impact_webhook(corpus: Corpus) -> None:
    def review(name: str, expect: int, body: bytes, method: str = "POST") -> None:
        corpus.add(
            f"impact-{name}", method, IMPACT, expect, headers=JSON, body=body, aggregated=False
        )

    update = {"uid": "u", "operation": "UPDATE"}
    review("get", 405, b"", method="GET")
    review("empty", 400, b"")
    review("not-json", 400, b"{")
    review("a-list", 400, b"[]")
    review("another-kind", 400, dumps({"apiVersion": "v1", "kind": "Status"}))
    review("no-request", 400, _review(None))
    review("request-a-string", 400, _review("x"))
    review("uid-a-number", 400, _review({**update, "uid": 7}))
    review("uid-empty", 400, _review({**update, "uid": ""}))
    review("no-object", 200, _review(update))
    review("object-a-list", 200, _review({**update, "object": []}))
    review("delete", 200, _review({"uid": "u", "operation": "DELETE", "object": _definition({})}))
    review("operation-a-number", 200, _review({**update, "operation": 3, "object": {}}))
    review("invalid-definition", 200, _review({**update, "object": _definition({"group": 3})}))
    review(
        "unknown-group",
        200,
        _review({**update, "object": _definition({"group": "nobody.example", "resources": "x"})}),
    )
    review("uid-3mib", 413, _review({**update, "uid": "u" * (3 * 1024 * 1024)}))


def _build() -> list[Case]:
    corpus = Corpus()
    for family in (
        _urls,
        _parameters,
        _delete_options,
        _metadata,
        _json_bodies,
        _yaml_bodies,
        _limits,
        _media_types,
        _impact_webhook,
    ):
        family(corpus)
    names = [case.name for case in corpus.cases]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, duplicates
    return corpus.cases


CASES: list[Case] = _build()


def cases_for(target: str) -> Iterator[Case]:
    return (c for c in CASES if target == "direct" or c.aggregated)
