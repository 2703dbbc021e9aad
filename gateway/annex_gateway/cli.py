"""`annex gateway`: run the aggregated API server."""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

from annex_core import defaults, logs
from annex_gateway.runtime import GatewayOptions, run_gateway


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    parser.add_argument("--port", type=int, default=8443, help="HTTPS port (default: 8443)")
    parser.add_argument(
        "--storage", type=Path, default=Path("annex.db"), help="SQLite file for stored objects"
    )
    parser.add_argument(
        "--kubeconfig", help="kubeconfig (default: in-cluster credentials or $KUBECONFIG)"
    )
    parser.add_argument(
        "--tls-secret",
        default=f"{defaults.NAMESPACE}/{defaults.TLS_SECRET}",
        help="NAMESPACE/NAME of the serving certificate Secret the operator writes",
    )
    parser.add_argument(
        "--shutdown-delay",
        type=float,
        default=0.0,
        help="seconds to keep serving with /readyz failing after SIGTERM (default: 0)",
    )
    parser.add_argument("--log-format", choices=["auto", "json", "console"], default="auto")


def log_json(choice: str) -> bool | None:
    return {"auto": None, "json": True, "console": False}[choice]


def run_until_signalled(options: GatewayOptions) -> int:
    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_gateway(options, stop)

    asyncio.run(serve())
    return 0


def main(args: argparse.Namespace) -> int:
    logs.configure(json=log_json(args.log_format))
    return run_until_signalled(
        GatewayOptions(
            host=args.host,
            port=args.port,
            storage_path=args.storage,
            kubeconfig=args.kubeconfig,
            tls_secret=args.tls_secret,
            shutdown_delay=args.shutdown_delay,
        )
    )
