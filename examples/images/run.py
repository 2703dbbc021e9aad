"""The whole golden-image service in one command, against `annex dev` (or --kubeconfig).

It applies both ApiDefinitions (kustomization.yaml), waits until their APIServices are
Available, then runs the controller, the scheduler and --workers workers as processes, each
line of their logs prefixed with its role, until Ctrl-C or until one of them exits.

    python examples/images/run.py          # or: make example
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV_KUBECONFIG = HERE.parents[1] / ".annex" / "dev" / "controlplane" / "kubeconfig"
APISERVICES = ("v1alpha1.images.example.com", "v1alpha1.builds.images.example.com")
AVAILABLE_TIMEOUT = "90s"
STOP_SECONDS = 15.0


async def kubectl(kubeconfig: str, *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        "kubectl", "--kubeconfig", kubeconfig, *args, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    sys.stdout.write(out.decode())
    if process.returncode:
        raise SystemExit(f"kubectl {' '.join(args)} failed ({process.returncode})")


async def install(kubeconfig: str) -> None:
    await kubectl(kubeconfig, "apply", "-k", str(HERE))
    for name in APISERVICES:
        for condition in ("create", "condition=Available"):
            await kubectl(
                kubeconfig,
                "wait",
                f"--for={condition}",
                f"apiservice/{name}",
                f"--timeout={AVAILABLE_TIMEOUT}",
            )


def role_commands(args: argparse.Namespace) -> dict[str, list[str]]:
    common = ["--kubeconfig", args.kubeconfig, *(["--verbose"] if args.verbose else [])]
    commands = {
        "controller": [sys.executable, str(HERE / "controller.py"), *common],
        "scheduler": [sys.executable, str(HERE / "scheduler.py"), *common],
    }
    for i in range(1, args.workers + 1):
        commands[f"worker-{i}"] = [
            sys.executable,
            str(HERE / "worker.py"),
            *common,
            "--name",
            f"worker-{i}",
            "--build-seconds",
            str(args.build_seconds),
        ]
    return commands


async def prefixed(role: str, stream: asyncio.StreamReader) -> None:
    async for line in stream:
        sys.stdout.write(f"{role:<10} | {line.decode(errors='replace')}")
        sys.stdout.flush()


async def run(args: argparse.Namespace) -> int:
    await install(args.kubeconfig)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    roles = {
        role: await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        for role, command in role_commands(args).items()
    }
    printers = [
        asyncio.create_task(prefixed(role, child.stdout))
        for role, child in roles.items()
        if child.stdout is not None
    ]
    print(
        f"The golden-image service runs: {', '.join(roles)}. In another terminal:\n"
        f"  export KUBECONFIG={args.kubeconfig}\n"
        "  kubectl create -f examples/images/image.yaml\n"
        "  kubectl wait --for=condition=Ready image/debian-base\n"
        "Ctrl-C stops it.",
        flush=True,
    )
    exits = {asyncio.create_task(child.wait()): role for role, child in roles.items()}
    stopped = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([stopped, *exits], return_when=asyncio.FIRST_COMPLETED)
    # On Ctrl-C the roles get SIGINT from the terminal too: their exits are no failure then.
    failed = [] if stop.is_set() else [f"{exits[t]} exited with {t.result()}" for t in done]
    for child in roles.values():
        if child.returncode is None:
            child.terminate()
    try:
        await asyncio.wait_for(asyncio.gather(*exits), STOP_SECONDS)
    except TimeoutError:
        for child in roles.values():
            if child.returncode is None:
                child.kill()
        await asyncio.gather(*exits)
    await asyncio.gather(*printers)
    stopped.cancel()
    if failed:
        print("; ".join(failed) + ": stopped the others", file=sys.stderr)
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the golden-image service.")
    parser.add_argument("--kubeconfig", default=str(DEV_KUBECONFIG), help="default: annex dev's")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--build-seconds", type=float, default=2.0)
    parser.add_argument("--verbose", "-v", action="store_true")
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
