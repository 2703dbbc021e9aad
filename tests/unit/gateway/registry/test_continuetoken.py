"""Continue tokens as kube-apiserver writes and reads them (storage.EncodeContinue and
DecodeContinue); the refusals are the words kube-apiserver v1.37 answered for the same
tokens (tests/differential/test_request_errors.py sends them to a CRD too)."""

from __future__ import annotations

import base64
import json

import pytest

from annex_gateway.apierrors import StatusError
from annex_gateway.registry.continuetoken import KeySpace, decode, encode

IN_NAMESPACE = KeySpace("team", namespaced=True)
ACROSS = KeySpace(None, namespaced=True)
CLUSTER = KeySpace(None, namespaced=False)


def token(value: object) -> str:
    text = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def test_tokens_are_kube_apiservers() -> None:
    # What the etcd3 store writes after the last key /registry/<group>/<plural>/team/a
    made = encode(5, ("team", "a"), IN_NAMESPACE)
    assert (
        base64.urlsafe_b64decode(made + "==") == b'{"v":"meta.k8s.io/v1","rv":5,"start":"a\\u0000"}'
    )
    assert "=" not in made
    across = encode(5, ("team", "a"), ACROSS)
    assert json.loads(base64.urlsafe_b64decode(across + "=="))["start"] == "team/a\0"


@pytest.mark.parametrize("space", [IN_NAMESPACE, ACROSS, CLUSTER])
def test_a_token_reads_back(space: KeySpace) -> None:
    key = ("team" if space.namespaced else "", "a.b-c")
    assert decode(encode(7, key, space), space) == (7, key)
    assert decode(encode(-1, key, space), space) == (None, key)  # continue at the latest


def refusal(text: str) -> str:
    with pytest.raises(StatusError) as e:
        decode(text, ACROSS)
    assert (e.value.code, e.value.reason) == (400, "BadRequest")
    prefix = "invalid continue token: continue key is not valid"
    assert e.value.message.startswith(prefix)
    return e.value.message[len(prefix) :]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            token({"v": "meta.k8s.io/v1", "rv": 0, "start": "x\0"}),
            ": incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        ),
        (
            token({"v": "meta.k8s.io/v1", "rv": 5}),
            ": encoded start key empty (version meta.k8s.io/v1)",
        ),
        (
            token({"v": "annex.dev/v1", "rv": 5, "start": "x"}),
            ": server does not recognize this encoded version annex.dev/v1",
        ),
        (token({"v": "meta.k8s.io/v1", "rv": 5, "start": "../x"}), ": ../x"),
        (
            token({"v": "meta.k8s.io/v1", "rv": "5", "start": "x"}),
            ": json: cannot unmarshal string into Go struct field continueToken.rv of type int64",
        ),
        (
            token({"v": "meta.k8s.io/v1", "rv": 1.5, "start": "x"}),
            ": json: cannot unmarshal number 1.5 into Go struct field continueToken.rv of type int64",
        ),
        (token(b"hello"), ": invalid character 'h' looking for beginning of value"),
        (
            base64.urlsafe_b64encode(b'{"v":"meta.k8s.io/v1"}').decode(),
            ": illegal base64 data at input byte 30",
        ),
        (
            token([1, 2]),
            ": json: cannot unmarshal array into Go value of type storage.continueToken",
        ),
        ("garbage", ": invalid character '\\u0081' looking for beginning of value"),
        ("gar=bage", ": illegal base64 data at input byte 3"),
        ("a", ": illegal base64 data at input byte 0"),
    ],
)
def test_refusals_are_kube_apiservers(text: str, words: str) -> None:
    assert refusal(text) == words


def test_keys_match_without_case_and_a_negative_revision_is_the_latest() -> None:
    assert decode(token({"V": "meta.k8s.io/v1", "RV": 5, "Start": "a/b\0"}), ACROSS) == (
        5,
        ("a", "b"),
    )
    assert decode(token({"v": "meta.k8s.io/v1", "rv": -3, "start": "a/b"}), ACROSS) == (
        None,
        ("a", "b"),
    )
