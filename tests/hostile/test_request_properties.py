"""Generated requests against the gateway alone (`annex serve`): JSON and YAML bodies of any
shape (metadata of any type, numbers of any size, odd keys and tags), and query strings of
any value for every parameter the gateway reads. Whatever they are: no 5xx, every error a
Status whose code is the HTTP status, an answer within the client's bound, the process alive.

Bounded: a fixed number of examples per property, derandomized (the same examples on every
run, no example database written), no per-example deadline (durations are not asserted).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annex_gateway.objectmeta import OBJECT_META_FIELDS
from tests.hostile.conftest import API_VERSION, COLLECTION, Target, send, status_problems
from tests.hostile.corpus_attack import Attack, attacking
from tests.hostile.request_corpus import APPLY, ITEM, JSON, MERGE, YAML

pytestmark = pytest.mark.asyncio(loop_scope="session")

EXAMPLES = settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
META_KEYS = [*OBJECT_META_FIELDS, "colour"]  # and one ObjectMeta does not have
label_parts = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
# Half the time metadata a Go ObjectMeta can hold, so that objects get stored too.
metadata = st.dictionaries(
    st.sampled_from(META_KEYS), json_values, max_size=4
) | st.fixed_dictionaries(
    {},
    optional={
        "labels": st.dictionaries(label_parts, label_parts, max_size=3),
        "annotations": st.dictionaries(label_parts, st.text(max_size=20), max_size=3),
        "finalizers": st.lists(label_parts.map(lambda p: f"example.com/{p}"), max_size=2),
    },
)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=20)


@st.composite
def probes(draw: st.DrawFn) -> dict[str, Any]:
    # Mostly what the route serves, so that most objects get past the type checks.
    obj: dict[str, Any] = {
        "apiVersion": draw(st.sampled_from([API_VERSION] * 6 + ["v1", ""])),
        "kind": draw(st.sampled_from(["Probe"] * 6 + ["Other", ""])),
        "metadata": {"name": draw(names), **draw(metadata)},
        "spec": draw(json_values),
    }
    if draw(st.integers(0, 7)) == 0:
        del obj[draw(st.sampled_from(sorted(obj)))]
    return obj


YAML_PIECES = [
    "a: 1",
    "- x",
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!set",
    "!!binary",
    "!!python/object:os.system",
    "? ",
    ": ",
    "<<: *a",
    "---",
    "...",
    "%YAML 1.1",
    "'",
    '"',
    "|",
    ">",
    "#",
    "~",
    ".nan",
    ".inf",
    "0x1F",
    "1e400",
    "yes",
    "  ",
    "\n",
    "\t",
    "18446744073709551616",
    "\\u0000",
    "\u2028",
    "\ufeff",
]
yaml_texts = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=40).map("".join)

PARAMETERS = [
    "limit",
    "timeoutSeconds",
    "resourceVersion",
    "resourceVersionMatch",
    "continue",
    "watch",
    "labelSelector",
    "fieldSelector",
    "dryRun",
    "fieldManager",
    "fieldValidation",
    "propagationPolicy",
    "gracePeriodSeconds",
    "orphanDependents",
    "allowWatchBookmarks",
    "sendInitialEvents",
    "force",
]


def _not_a_version(value: str) -> bool:
    """A valid resourceVersion is read as one: the corpus has those. A generated one would
    be a future revision, which kube-apiserver answers 504 (retry later)."""
    return not (value.isascii() and value.isdigit())


parameter_values = (
    st.text(max_size=12)
    | st.integers().map(str)
    | st.sampled_from(["", "0", "-1", "true", "All", "Strict", "Foreground", "9223372036854775808"])
)
queries = st.lists(
    st.tuples(st.sampled_from(PARAMETERS), parameter_values).filter(
        lambda pair: pair[0] != "resourceVersion" or _not_a_version(pair[1])
    ),
    max_size=5,
)


def query_string(pairs: list[tuple[str, str]]) -> str:
    # A watch ends within a second whatever else is asked: the first value of a name counts.
    first = [("timeoutSeconds", "1")]
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in first + pairs)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def attack(direct: Target) -> AsyncIterator[Attack]:
    async with attacking(direct) as running:
        yield running


async def expect_no_failure(
    attack: Attack, method: str, path: str, query: str, headers: dict[str, str], body: bytes
) -> None:
    answer = await send(attack.session, attack.target, method, path, query, headers, body)
    assert not status_problems(answer), (method, path, query, body[:300])
    assert attack.target.alive(), attack.target.log_tail()


@EXAMPLES
@given(obj=probes(), as_yaml=st.booleans(), method=st.sampled_from(["POST", "PUT", "APPLY"]))
async def test_generated_objects(
    attack: Attack, obj: dict[str, Any], as_yaml: bool, method: str
) -> None:
    if as_yaml:
        try:
            body = yaml.safe_dump(obj).encode()
        except yaml.YAMLError:
            body = json.dumps(obj).encode()
    else:
        body = json.dumps(obj).encode()
    headers = YAML if as_yaml else JSON
    if method == "POST":
        await expect_no_failure(attack, "POST", COLLECTION, "", headers, body)
    elif method == "PUT":
        await expect_no_failure(attack, "PUT", ITEM, "", headers, body)
    else:
        await expect_no_failure(attack, "PATCH", ITEM, "fieldManager=hypothesis", APPLY, body)


@EXAMPLES
@given(text=yaml_texts, where=st.sampled_from(["create", "apply", "delete"]))
async def test_generated_yaml(attack: Attack, text: str, where: str) -> None:
    body = text.encode("utf-8", errors="surrogatepass")
    if where == "create":
        await expect_no_failure(attack, "POST", COLLECTION, "", YAML, body)
    elif where == "apply":
        await expect_no_failure(attack, "PATCH", ITEM, "fieldManager=hypothesis", APPLY, body)
    else:
        await expect_no_failure(attack, "DELETE", f"{COLLECTION}/nope", "", YAML, body)


@EXAMPLES
@given(patch=json_values, merge=st.booleans())
async def test_generated_patches(attack: Attack, patch: Any, merge: bool) -> None:
    body = json.dumps(patch).encode()
    await expect_no_failure(
        attack,
        "PATCH",
        ITEM,
        "",
        MERGE if merge else {"Content-Type": "application/json-patch+json"},
        body,
    )


@EXAMPLES
@given(
    pairs=queries,
    request=st.sampled_from(
        ["list", "watch", "get", "create", "delete", "deletecollection", "patch"]
    ),
)
async def test_generated_queries(
    attack: Attack, pairs: list[tuple[str, str]], request: str
) -> None:
    query = query_string(pairs)
    created = json.dumps(
        {"apiVersion": API_VERSION, "kind": "Probe", "metadata": {"generateName": "q-"}}
    ).encode()
    method, path, headers, body = {
        "list": ("GET", COLLECTION, {}, b""),
        "watch": ("GET", COLLECTION, {}, b""),
        "get": ("GET", ITEM, {}, b""),
        "create": ("POST", COLLECTION, JSON, created),
        "delete": ("DELETE", f"{COLLECTION}/nope", {}, b""),
        "deletecollection": ("DELETE", COLLECTION, {}, b""),
        "patch": ("PATCH", ITEM, MERGE, b"{}"),
    }[request]
    if request == "watch":
        query += "&watch=true"
    await expect_no_failure(attack, method, path, query, headers, body)
