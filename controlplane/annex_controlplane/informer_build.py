"""Build annex-informer, the client-go informer the tests run (sources in ./informer), into the cache.

It lives next to the control plane's binaries but in a directory of its own, named after a
digest of its sources, with its own lock: building or changing it never invalidates
kube-apiserver, kube-controller-manager or etcd, and an edited main.go is simply a new build.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from annex_controlplane.build import GO_MINIMUM, cache_root
from annex_controlplane.errors import ControlPlaneError
from annex_controlplane.gotool import check_go, exclusive, go_env, run_go
from annex_controlplane.progress import Reporter, phase, stderr_reporter

SOURCE_DIR = Path(__file__).parent / "informer"
SOURCE_FILES = ("go.mod", "go.sum", "main.go")
BINARY = "annex-informer"


# --- pure parts (unit-tested) -------------------------------------------------------------


def source_digest(sources: Mapping[str, bytes]) -> str:
    """A short sha256 of the files' names and contents: a new digest is a new build."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        content = sources[name]
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:16]


def required_version(gomod: str, module: str) -> str:
    """The version go.mod requires of `module`, in a require block or a single line."""
    match = re.search(rf"^\s*(?:require\s+)?{re.escape(module)}\s+(\S+)", gomod, re.MULTILINE)
    if not match:
        raise ControlPlaneError(f"go.mod does not require {module}")
    return match.group(1)


def informer_binary(digest: str, env: Mapping[str, str] | None = None) -> Path:
    return cache_root(env) / "informer" / digest / "bin" / BINARY


# --- the build ------------------------------------------------------------------------------


def read_sources(source_dir: Path = SOURCE_DIR) -> dict[str, bytes]:
    return {name: (source_dir / name).read_bytes() for name in SOURCE_FILES}


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


async def ensure_informer(*, report: Reporter = stderr_reporter) -> Path:
    """The path of the cached annex-informer, built first if needed (a minute or more when cold)."""
    sources = await asyncio.to_thread(read_sources)
    binary = informer_binary(source_digest(sources))
    if _executable(binary):
        return binary
    root = binary.parent.parent
    root.mkdir(parents=True, exist_ok=True)
    async with exclusive(root / ".lock", report):
        if _executable(binary):  # another process built it while we waited
            return binary
        started = time.monotonic()
        await _build(root, sources, report)
        report(f"built {BINARY} in {time.monotonic() - started:.1f} s into {binary.parent}")
    return binary


async def _build(root: Path, sources: Mapping[str, bytes], report: Reporter) -> None:
    client_go = required_version(sources["go.mod"].decode(), "k8s.io/client-go")
    go = await check_go(report, GO_MINIMUM, f"the client-go {client_go} informer")
    work = await asyncio.to_thread(_fresh_work_dir, root, sources)
    # No -trimpath: compiled packages are then shared with the control plane's build in
    # Go's build cache wherever the dependency versions agree.
    args = ["build", "-ldflags", "-s -w", "-o", f"{work / 'bin' / BINARY}", "."]
    async with phase(report, f"go build {BINARY} (client-go {client_go})"):
        await run_go(go, args, work, work / "go.log", go_env())
    await asyncio.to_thread(_install, work, root / "bin")


def _fresh_work_dir(root: Path, sources: Mapping[str, bytes]) -> Path:
    # Failed builds leave their directory for inspection; nobody else holds the lock now.
    for stale in root.glob("build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=root))
    for name, content in sources.items():
        (work / name).write_bytes(content)
    (work / "bin").mkdir()
    return work


def _install(work: Path, final: Path) -> None:
    """One rename puts the binary in place, so readers never see half of it."""
    if final.exists():  # an incomplete leftover from outside this code; ours appear atomically
        shutil.rmtree(final)
    (work / "bin").rename(final)
    shutil.rmtree(work, ignore_errors=True)
