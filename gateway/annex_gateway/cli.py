"""`annex gateway`: run the aggregated API server."""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path
from typing import Any

import uvloop

from annex_core import defaults, logs
from annex_gateway.endpoints.limits import DecodeLimits
from annex_gateway.runtime import GatewayOptions, run_gateway
from annex_gateway.serving.limits import Timeouts


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
    add_serving_arguments(parser)
    parser.add_argument("--log-format", choices=["auto", "json", "console"], default="auto")


def add_serving_arguments(parser: argparse.ArgumentParser) -> None:
    """How the gateway stops and how long it waits for clients; `annex serve` takes them too."""
    defaults = GatewayOptions()
    timeouts = defaults.timeouts
    for flag, default, what in (
        (
            "--shutdown-delay",
            defaults.shutdown_delay,
            "to keep serving with /readyz failing after SIGTERM",
        ),
        (
            "--drain-timeout",
            defaults.drain_timeout,
            "then, for requests in flight to finish before they are cut",
        ),
        (
            "--read-header-timeout",
            timeouts.read_header,
            "for a request's headers (and the TLS handshake)",
        ),
        (
            "--read-body-timeout",
            timeouts.read_body,
            "for a request's body, from the end of its headers",
        ),
        ("--idle-timeout", timeouts.idle, "before an idle kept-alive connection is closed"),
    ):
        parser.add_argument(
            flag, type=_seconds, default=default, help=f"seconds {what} (default: {default:g})"
        )
    parser.add_argument(
        "--max-object-bytes",
        type=_bytes,
        default=defaults.limits.max_object_bytes,
        help="the most a request's object may be once decoded, as compact JSON: more is 413 "
        f"(default: {defaults.limits.max_object_bytes}, etcd's default request limit)",
    )
    parser.add_argument(
        "--body-cache-bytes",
        type=_cache_bytes,
        default=defaults.body_cache_bytes,
        help="memory for the stored bodies of recently written and read objects, all "
        "resources together: a GET it answers needs no database read (default: "
        f"{defaults.body_cache_bytes}, the bodies of ~11k objects of 1 KB)",
    )


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # NaN too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds")
    return value


def _bytes(text: str, *, zero: bool = False) -> int:
    """A count of bytes: positive, or (`zero`) not negative."""
    value = int(text)
    if value < 0 or (value == 0 and not zero):
        what = "a number" if zero else "a positive number"
        raise argparse.ArgumentTypeError(f"{text!r} is not {what} of bytes")
    return value


def _cache_bytes(text: str) -> int:
    return _bytes(text, zero=True)


def serving_options(args: argparse.Namespace) -> dict[str, Any]:
    """The GatewayOptions fields `add_serving_arguments` sets."""
    return {
        "shutdown_delay": args.shutdown_delay,
        "drain_timeout": args.drain_timeout,
        "timeouts": Timeouts(
            read_header=args.read_header_timeout,
            read_body=args.read_body_timeout,
            idle=args.idle_timeout,
        ),
        "limits": DecodeLimits(max_object_bytes=args.max_object_bytes),
        "body_cache_bytes": args.body_cache_bytes,
    }


def log_json(choice: str) -> bool | None:
    return {"auto": None, "json": True, "console": False}[choice]


def run_until_signalled(options: GatewayOptions) -> int:
    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_gateway(options, stop)

    # uvloop: the event loop and its TLS transport in C (libuv), where asyncio's sslproto is
    # Python: every request, list chunk and watch event passes through it.
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(serve())
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
            **serving_options(args),
        )
    )
