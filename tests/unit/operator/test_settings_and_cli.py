from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from annex_cli import dev
from annex_core import defaults
from annex_gateway import cli as gateway_cli
from annex_operator import cli
from annex_operator.login import connection_info
from annex_operator.settings import OperatorSettings


def test_defaults_match_the_gateway_contract() -> None:
    s = OperatorSettings()
    assert (s.namespace, s.service_name, s.service_port, s.tls_secret) == (
        defaults.NAMESPACE,
        defaults.GATEWAY_SERVICE,
        443,
        defaults.TLS_SECRET,
    )
    # The manifests spell these names: changing them is changing every install.
    assert (defaults.NAMESPACE, defaults.GATEWAY_SERVICE, defaults.TLS_SECRET) == (
        "annex-system",
        "annex-gateway",
        "annex-gateway-tls",
    )
    assert (s.mode, s.field_manager, s.gateway_target_port) == ("cluster", "annex-operator", 8443)
    assert dict(s.gateway_selector) == {"app.kubernetes.io/name": "annex-gateway"}


def test_the_gateway_and_annex_dev_read_the_secret_the_operator_writes() -> None:
    s = OperatorSettings()
    parser = argparse.ArgumentParser()
    gateway_cli.add_arguments(parser)
    assert parser.parse_args([]).tls_secret == f"{s.namespace}/{s.tls_secret}"

    commands = dev.component_commands(Path("kubeconfig"), 8443, Path("annex.db"))
    operator, gateway = commands["operator"], commands["gateway"]
    assert operator[operator.index("--namespace") + 1] == s.namespace
    assert gateway[gateway.index("--tls-secret") + 1] == f"{s.namespace}/{s.tls_secret}"


@pytest.mark.parametrize("kwargs", [{"mode": "nope"}, {"service_port": 0}])
def test_bad_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        OperatorSettings(**kwargs)  # type: ignore[arg-type]


def test_flags() -> None:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(
        ["--kubeconfig", "/k", "--mode", "local", "--service-port", "9443", "--namespace", "ns"]
    )
    settings = cli.settings_from(args)
    assert args.kubeconfig == "/k"
    assert (settings.mode, settings.service_port, settings.namespace) == ("local", 9443, "ns")
    assert settings.service_name == "annex-gateway"


async def test_login_uses_the_given_kubeconfig(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        """
apiVersion: v1
kind: Config
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: secret-token}}]
"""
    )
    info = await connection_info(str(kubeconfig), default_namespace="annex-system")
    assert info.server == "https://127.0.0.1:6443"
    assert info.insecure is True
    assert (info.scheme, info.token) == ("Bearer", "secret-token")
    assert info.default_namespace == "annex-system"
