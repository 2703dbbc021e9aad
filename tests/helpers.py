"""What the integration and end-to-end tests share: kubectl, polling, running `annex` commands."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


async def run(
    *cmd: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> Completed:
    process = await asyncio.create_subprocess_exec(
        *cmd,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=REPO,
    )
    out, err = await asyncio.wait_for(
        process.communicate(stdin.encode() if stdin is not None else None), timeout
    )
    assert process.returncode is not None
    return Completed(process.returncode, out.decode(), err.decode())


class Kubectl:
    """kubectl against one kubeconfig, with a fresh discovery cache per instance (no stale 6 h cache)."""

    def __init__(self, kubeconfig: Path, cache_dir: Path) -> None:
        self.kubeconfig = kubeconfig
        self.cache_dir = cache_dir

    async def __call__(
        self, *args: str, stdin: str | None = None, check: bool = True, timeout: float = 120
    ) -> Completed:
        result = await run(
            "kubectl",
            "--kubeconfig",
            str(self.kubeconfig),
            "--cache-dir",
            str(self.cache_dir),
            *args,
            stdin=stdin,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} failed ({result.returncode}): {result.stderr}"
            )
        return result


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    timeout: float = 60,
    interval: float = 0.25,
    what: str = "condition",
) -> T:
    """Poll `probe` until it returns something other than None or False; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            value = await probe()
        except AssertionError as e:
            value, last = None, e
        if value is not None and value is not False:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last error: {last}")


def annex_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "annex_cli.main", *args]


async def start_process(
    cmd: list[str], log_file: Path, *, append: bool = False
) -> asyncio.subprocess.Process:
    handle = log_file.open("ab" if append else "wb")
    try:
        return await asyncio.create_subprocess_exec(
            *cmd, stdout=handle, stderr=asyncio.subprocess.STDOUT, cwd=REPO
        )
    finally:
        handle.close()  # the child keeps its own descriptor


async def stop_process(process: asyncio.subprocess.Process, timeout: float = 15) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()


def log_tail(path: Path, lines: int = 60) -> str:
    return (
        "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""
    )


async def service_account_kubeconfig(
    kubectl: Kubectl, namespace: str, name: str, path: Path
) -> Path:
    """A kubeconfig for the cluster of `kubectl`, authenticated as a ServiceAccount's token.

    Components run with it have exactly the rights the manifests grant them.
    """
    token = (
        await kubectl("-n", namespace, "create", "token", name, "--duration=2h")
    ).stdout.strip()
    config = yaml.safe_load(kubectl.kubeconfig.read_text())
    config["users"] = [{"name": name, "user": {"token": token}}]
    for context in config["contexts"]:
        context["context"]["user"] = name
    path.write_text(yaml.safe_dump(config))
    return path


def namespaced_crd(group: str, plural: str, kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A CustomResourceDefinition of one namespaced resource served and stored at v1."""
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": plural, "kind": kind},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": schema},
                }
            ],
        },
    }


def namespaced_api_definition(
    group: str, plural: str, kind: str, versions: list[dict[str, Any]]
) -> dict[str, Any]:
    """An ApiDefinition of one namespaced resource, as `namespaced_crd` is a CRD's."""
    return {
        "apiVersion": "annex.dev/v1alpha1",
        "kind": "ApiDefinition",
        "metadata": {"name": group},
        "spec": {
            "group": group,
            "resources": [
                {
                    "names": {"plural": plural, "kind": kind},
                    "scope": "Namespaced",
                    "versions": versions,
                }
            ],
        },
    }
