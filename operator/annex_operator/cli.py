"""`annex operator`: flags and the process's main loop."""

from __future__ import annotations

import argparse
import asyncio

from annex_core import logs
from annex_operator.runner import run
from annex_operator.settings import MODES, OperatorSettings

_DEFAULTS = OperatorSettings()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kubeconfig",
        default=None,
        help="kubeconfig (default: the in-cluster account, else $KUBECONFIG or ~/.kube/config)",
    )
    parser.add_argument(
        "--namespace",
        default=_DEFAULTS.namespace,
        help="namespace of the gateway's Service and TLS Secret",
    )
    parser.add_argument(
        "--service-name", default=_DEFAULTS.service_name, help="the gateway's Service"
    )
    parser.add_argument(
        "--service-port",
        type=int,
        default=_DEFAULTS.service_port,
        help="the Service port kube-apiserver dials (local mode: the gateway's local port)",
    )
    parser.add_argument(
        "--tls-secret",
        default=_DEFAULTS.tls_secret,
        help="Secret holding the CA and serving certificate",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default=_DEFAULTS.mode,
        help="cluster: Service selecting the gateway pods; local: ExternalName to localhost",
    )


def settings_from(args: argparse.Namespace) -> OperatorSettings:
    return OperatorSettings(
        namespace=args.namespace,
        service_name=args.service_name,
        service_port=args.service_port,
        tls_secret=args.tls_secret,
        mode=args.mode,
    )


def main(args: argparse.Namespace) -> int:
    logs.configure()
    try:
        settings = settings_from(args)
    except ValueError as e:
        logs.get(__name__).error("invalid settings", error=str(e))
        return 2
    try:
        # kopf, in the main thread, turns SIGINT and SIGTERM into a graceful stop: `run`
        # returns, and the process exits 0.
        asyncio.run(run(settings, args.kubeconfig))
    except Exception:
        logs.get(__name__).exception("operator failed")
        return 1
    return 0
