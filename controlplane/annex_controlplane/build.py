"""Build kube-apiserver, kube-controller-manager and etcd from source through the Go module proxy, once, into a cache.

k8s.io/kubernetes is not meant to be used as a module: its go.mod points every k8s.io staging
module at `./staging/src/k8s.io/X`, which does not exist in the module zip. A small module that
requires kubernetes and replaces each of those with the published `k8s.io/X v0.<minor>.<patch>`
builds cleanly, so that is what we generate. The list comes from kubernetes' own go.mod, so a
version bump needs no code change here.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from annex_controlplane.errors import ControlPlaneError, log_tail
from annex_controlplane.gotool import check_go, exclusive, go_env, run_go
from annex_controlplane.progress import Reporter, phase, stderr_reporter

# The pinned versions: change them here and nowhere else.
KUBERNETES_VERSION = "v1.37.2"
# What kubernetes v1.37.2 itself requires for go.etcd.io/etcd/server/v3.
ETCD_VERSION = "v3.7.0"
GO_MINIMUM = (1, 26)
GO_DIRECTIVE = "1.26.0"

MODULE_PATH = "kubeannex.local/controlplane"
KUBE_APISERVER_PACKAGE = "k8s.io/kubernetes/cmd/kube-apiserver"
KUBE_CONTROLLER_MANAGER_PACKAGE = "k8s.io/kubernetes/cmd/kube-controller-manager"
ETCD_PACKAGE = "go.etcd.io/etcd/server/v3"

TOOLS_GO = f"""//go:build tools

package tools

import (
\t_ "{ETCD_PACKAGE}"
\t_ "{KUBE_APISERVER_PACKAGE}"
\t_ "{KUBE_CONTROLLER_MANAGER_PACKAGE}"
)
"""


@dataclass(frozen=True)
class Binaries:
    """Paths of the executables the control plane runs."""

    kube_apiserver: Path
    kube_controller_manager: Path
    etcd: Path

    @classmethod
    def in_dir(cls, directory: Path) -> Binaries:
        return cls(
            kube_apiserver=directory / "kube-apiserver",
            kube_controller_manager=directory / "kube-controller-manager",
            etcd=directory / "etcd",
        )

    def exist(self) -> bool:
        """All of them, so a cache from before a binary was added gets rebuilt."""
        return all(
            path.is_file() and os.access(path, os.X_OK)
            for path in (self.kube_apiserver, self.kube_controller_manager, self.etcd)
        )


# --- pure parts (unit-tested) -------------------------------------------------------------


def staging_version(kubernetes_version: str) -> str:
    """Staging modules are tagged v0.<minor>.<patch> for kubernetes v1.<minor>.<patch>."""
    match = re.fullmatch(r"v1\.(\d+\.\d+(?:[-+].*)?)", kubernetes_version)
    if not match:
        raise ValueError(f"not a kubernetes v1.x.y version: {kubernetes_version!r}")
    return f"v0.{match.group(1)}"


_REPLACE_LINE = re.compile(
    r"^(?P<path>\S+)(?:\s+\S+)?\s+=>\s+\./staging/src/(?P<target>\S+)$",
)


def staging_modules(kubernetes_gomod: str) -> list[str]:
    """Module paths kubernetes' go.mod replaces with `./staging/src/...`, sorted."""
    found: set[str] = set()
    in_block = False
    for raw in kubernetes_gomod.splitlines():
        line = raw.split("//", 1)[0].strip()
        if in_block:
            if line == ")":
                in_block = False
                continue
        elif line.startswith("replace"):
            rest = line[len("replace") :].strip()
            if rest == "(":
                in_block = True
                continue
            line = rest
        else:
            continue
        match = _REPLACE_LINE.match(line)
        if match:
            found.add(match.group("path"))
    if not found:
        raise ControlPlaneError("kubernetes' go.mod has no ./staging/src replacements; format?")
    return sorted(found)


def render_gomod(
    staging: Iterable[str],
    *,
    kubernetes_version: str = KUBERNETES_VERSION,
    etcd_version: str = ETCD_VERSION,
) -> str:
    """The go.mod of the build module: kubernetes and etcd, staging modules from the proxy."""
    version = staging_version(kubernetes_version)
    replaces = "".join(f"\t{path} => {path} {version}\n" for path in sorted(set(staging)))
    return (
        f"module {MODULE_PATH}\n\n"
        f"go {GO_DIRECTIVE}\n\n"
        "require (\n"
        f"\t{ETCD_PACKAGE} {etcd_version}\n"
        f"\tk8s.io/kubernetes {kubernetes_version}\n"
        ")\n\n"
        f"replace (\n{replaces})\n"
    )


def ldflags(kubernetes_version: str = KUBERNETES_VERSION) -> str:
    """Strip symbols and stamp the version, which `kubectl version` and /version report."""
    match = re.match(r"v(\d+)\.(\d+)", kubernetes_version)
    if not match:
        raise ValueError(f"not a kubernetes version: {kubernetes_version!r}")
    major, minor = match.groups()
    prefix = "k8s.io/component-base/version"
    return (
        f"-s -w -X {prefix}.gitVersion={kubernetes_version}"
        f" -X {prefix}.gitMajor={major} -X {prefix}.gitMinor={minor}"
    )


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    """`$KUBE_ANNEX_CACHE`, else `${XDG_CACHE_HOME:-~/.cache}/kube-annex`."""
    env = os.environ if env is None else env
    if env.get("KUBE_ANNEX_CACHE"):
        return Path(env["KUBE_ANNEX_CACHE"]).expanduser()
    xdg = env.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(xdg).expanduser() / "kube-annex"


def version_dir(
    env: Mapping[str, str] | None = None, kubernetes_version: str = KUBERNETES_VERSION
) -> Path:
    return cache_root(env) / "controlplane" / kubernetes_version


def cached_binaries(
    env: Mapping[str, str] | None = None, kubernetes_version: str = KUBERNETES_VERSION
) -> Binaries:
    return Binaries.in_dir(version_dir(env, kubernetes_version) / "bin")


# --- the build ------------------------------------------------------------------------------


async def ensure_binaries(
    *,
    kubernetes_version: str = KUBERNETES_VERSION,
    etcd_version: str = ETCD_VERSION,
    report: Reporter = stderr_reporter,
) -> Binaries:
    """Return the cached binaries, building them first if needed (minutes when cold)."""
    binaries = cached_binaries(kubernetes_version=kubernetes_version)
    if binaries.exist():
        return binaries
    root = version_dir(kubernetes_version=kubernetes_version)
    root.mkdir(parents=True, exist_ok=True)
    async with exclusive(root / ".lock", report):
        if binaries.exist():  # another process built them while we waited
            report(f"using binaries built meanwhile in {binaries.etcd.parent}")
            return binaries
        started = time.monotonic()
        await _build(root, kubernetes_version, etcd_version, report)
        report(
            f"built kube-apiserver and kube-controller-manager {kubernetes_version} "
            f"and etcd {etcd_version} "
            f"in {time.monotonic() - started:.1f} s into {binaries.etcd.parent}"
        )
    return binaries


async def _build(root: Path, kubernetes_version: str, etcd_version: str, report: Reporter) -> None:
    go = await check_go(report, GO_MINIMUM, f"kube-apiserver {kubernetes_version}")
    work = await asyncio.to_thread(_fresh_work_dir, root)
    log = work / "go.log"
    env = go_env()
    report(f"building in {work} (go output: {log})")

    kubernetes = f"k8s.io/kubernetes@{kubernetes_version}"
    async with phase(report, f"go mod download {kubernetes}"):
        out = await run_go(go, ["mod", "download", "-json", kubernetes], work, log, env)
    gomod_path = _downloaded_gomod(out, log)

    gomod_text = await asyncio.to_thread(gomod_path.read_text)
    staging = staging_modules(gomod_text)
    report(f"{len(staging)} staging modules replaced with {staging_version(kubernetes_version)}")
    gomod = render_gomod(staging, kubernetes_version=kubernetes_version, etcd_version=etcd_version)
    await asyncio.to_thread((work / "go.mod").write_text, gomod)
    await asyncio.to_thread((work / "tools.go").write_text, TOOLS_GO)

    async with phase(report, "go mod tidy"):
        await run_go(go, ["mod", "tidy"], work, log, env)

    out_dir = work / "bin"
    build_args = [
        "build",
        "-o",
        f"{out_dir}/",
        "-ldflags",
        ldflags(kubernetes_version),
        KUBE_APISERVER_PACKAGE,
        KUBE_CONTROLLER_MANAGER_PACKAGE,
        ETCD_PACKAGE,
    ]
    async with phase(report, "go build kube-apiserver, kube-controller-manager and etcd"):
        await run_go(go, build_args, work, log, env)

    await asyncio.to_thread(_install, work, root / "bin")


def _fresh_work_dir(root: Path) -> Path:
    # Failed builds leave their directory for inspection; nobody else holds the lock now.
    for stale in root.glob("build-*"):
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=root))
    (work / "bin").mkdir()
    return work


def _install(work: Path, final: Path) -> None:
    """Move the built binaries into place with one rename, so readers never see half."""
    out_dir = work / "bin"
    # etcd's main package is the module root, so go names the binary after its last element.
    (out_dir / "server").rename(out_dir / "etcd")
    if not Binaries.in_dir(out_dir).exist():
        raise ControlPlaneError(f"go build finished but {out_dir} lacks the binaries")
    if final.exists():  # an incomplete leftover from outside this code; ours appear atomically
        shutil.rmtree(final)
    out_dir.rename(final)
    shutil.rmtree(work, ignore_errors=True)


def _downloaded_gomod(download_json: str, log: Path) -> Path:
    try:
        info = json.loads(download_json)
    except json.JSONDecodeError as exc:
        raise ControlPlaneError(
            f"unexpected `go mod download -json` output ({exc}):\n{download_json[-2000:]}"
        ) from exc
    if info.get("Error"):
        raise ControlPlaneError(f"go mod download failed: {info['Error']}\n{log_tail(log)}")
    gomod = info.get("GoMod")
    if not gomod or not Path(gomod).is_file():
        raise ControlPlaneError(f"go mod download reported no go.mod file: {download_json!r}")
    return Path(gomod)
