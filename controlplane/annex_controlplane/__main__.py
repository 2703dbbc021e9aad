"""`python -m annex_controlplane build|up`: build the binaries, or run a control plane."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from pathlib import Path

from annex_controlplane.build import ensure_binaries
from annex_controlplane.cluster import ControlPlane
from annex_controlplane.errors import ControlPlaneError


async def _build() -> None:
    started = time.monotonic()
    binaries = await ensure_binaries()
    print(f"kube-apiserver: {binaries.kube_apiserver}")
    print(f"etcd:           {binaries.etcd}")
    print(f"ready in {time.monotonic() - started:.1f} s")


async def _up(workdir: Path | None, keep: bool) -> None:
    # SIGTERM stops it as cleanly as Ctrl-C does (asyncio.run turns SIGINT into cancellation).
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    async with ControlPlane.start(workdir, keep_workdir=keep) as cp:
        print(f"kube-apiserver: {cp.server}")
        print(f"kubeconfig:     {cp.kubeconfig}")
        print(f"logs:           {cp.apiserver_log.parent}")
        print(f"export KUBECONFIG={cp.kubeconfig}")
        print("running; press Ctrl-C to stop", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m annex_controlplane", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build kube-apiserver and etcd into the cache if needed")
    up = commands.add_parser("up", help="run kube-apiserver and etcd until Ctrl-C")
    up.add_argument("--workdir", type=Path, help="keep state here instead of a temp dir")
    up.add_argument("--keep", action="store_true", help="do not remove the temp dir on exit")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            asyncio.run(_build())
        else:
            asyncio.run(_up(args.workdir, args.keep))
    except ControlPlaneError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
