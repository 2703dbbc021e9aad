"""The gateway's TLS contexts: built from memory, swapped whole on rotation."""

from __future__ import annotations

import ssl
import tempfile
from typing import cast

import pytest

from annex_core import tls
from annex_gateway.filters.authentication import Trust
from annex_gateway.runtime import TlsServing


@pytest.fixture
def serving() -> tls.KeyPair:
    return tls.make_cert(tls.make_ca("ca"), "annex-gateway", hosts=["localhost"], server=True)


def test_the_key_needs_no_writable_disk(
    serving: tls.KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pod with a read-only root filesystem has no writable temp dir."""
    monkeypatch.setattr(tempfile, "tempdir", "/nonexistent/readonly")
    TlsServing(serving, Trust())


def test_update_swaps_the_context_for_new_handshakes(serving: tls.KeyPair) -> None:
    tls_serving = TlsServing(serving, Trust())
    listening, before = tls_serving.listening, tls_serving.current
    tls_serving.update(cert=tls.make_cert(tls.make_ca("ca2"), "annex-gateway", server=True))
    assert tls_serving.current is not before
    assert tls_serving.listening is listening  # the socket keeps its context; handshakes switch


def test_client_certificates_are_requested_only_with_a_trust_bundle(serving: tls.KeyPair) -> None:
    assert TlsServing(serving, Trust()).current.verify_mode == ssl.CERT_NONE
    trusted = Trust(client_ca_pem=tls.make_ca("clients").cert_pem)
    assert TlsServing(serving, trusted).current.verify_mode == ssl.CERT_OPTIONAL


def test_each_handshake_gets_the_current_context(serving: tls.KeyPair) -> None:
    """The listening context's SNI callback hands every new connection the newest context."""
    tls_serving = TlsServing(serving, Trust())
    callback = tls_serving.listening.sni_callback
    assert callback is not None

    class Handshake:
        context: ssl.SSLContext | None = None

    first = Handshake()
    callback(cast(ssl.SSLObject, first), "localhost", tls_serving.listening)
    assert first.context is tls_serving.current

    tls_serving.update(cert=tls.make_cert(tls.make_ca("ca2"), "annex-gateway", server=True))
    second = Handshake()
    callback(cast(ssl.SSLObject, second), "localhost", tls_serving.listening)
    assert second.context is tls_serving.current
    assert second.context is not first.context
