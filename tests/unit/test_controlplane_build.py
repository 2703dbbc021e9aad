"""The pure parts of the control-plane build: go.mod generation, versions, cache layout."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from annex_controlplane import build
from annex_controlplane.build import (
    Binaries,
    cache_root,
    ensure_binaries,
    ldflags,
    render_gomod,
    staging_modules,
    staging_version,
)
from annex_controlplane.errors import ControlPlaneError
from annex_controlplane.gotool import parse_go_version

# Shaped like k8s.io/kubernetes' go.mod: a replace block, comments, a replace with a version
# on the left, a single-line replace, and replacements that are not staging modules.
SAMPLE_KUBERNETES_GOMOD = """\
// This is a generated file. Do not edit directly.

module k8s.io/kubernetes

go 1.26.0

require (
\tgo.etcd.io/etcd/server/v3 v3.7.0 // indirect
\tk8s.io/api v0.0.0
\tk8s.io/apiserver v0.0.0
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/apiserver => ./staging/src/k8s.io/apiserver // trailing comment
\tk8s.io/client-go v0.0.0 => ./staging/src/k8s.io/client-go
\tgithub.com/example/fork => github.com/example/fork v1.2.3
\t// k8s.io/commented-out => ./staging/src/k8s.io/commented-out
)

replace k8s.io/kms => ./staging/src/k8s.io/kms

replace github.com/other/thing => ../thing
"""

EXPECTED_GOMOD = """\
module kubeannex.local/controlplane

go 1.26.0

require (
\tgo.etcd.io/etcd/server/v3 v3.7.0
\tk8s.io/kubernetes v1.37.2
)

replace (
\tk8s.io/api => k8s.io/api v0.37.2
\tk8s.io/apiserver => k8s.io/apiserver v0.37.2
\tk8s.io/client-go => k8s.io/client-go v0.37.2
\tk8s.io/kms => k8s.io/kms v0.37.2
)
"""


def test_staging_modules_come_from_every_staging_replace() -> None:
    assert staging_modules(SAMPLE_KUBERNETES_GOMOD) == [
        "k8s.io/api",
        "k8s.io/apiserver",
        "k8s.io/client-go",
        "k8s.io/kms",
    ]


def test_staging_modules_refuses_a_go_mod_without_staging() -> None:
    with pytest.raises(ControlPlaneError, match="staging"):
        staging_modules("module example.com/x\n\ngo 1.26.0\n")


def test_render_gomod_replaces_staging_with_published_versions() -> None:
    gomod = render_gomod(
        staging_modules(SAMPLE_KUBERNETES_GOMOD),
        kubernetes_version="v1.37.2",
        etcd_version="v3.7.0",
    )
    assert gomod == EXPECTED_GOMOD


def test_render_gomod_sorts_and_deduplicates() -> None:
    gomod = render_gomod(["k8s.io/b", "k8s.io/a", "k8s.io/b"], kubernetes_version="v1.2.3")
    assert "\tk8s.io/a => k8s.io/a v0.2.3\n\tk8s.io/b => k8s.io/b v0.2.3\n)" in gomod


def test_pinned_versions_agree() -> None:
    assert build.KUBERNETES_VERSION == "v1.37.2"
    assert build.ETCD_VERSION == "v3.7.0"
    assert staging_version(build.KUBERNETES_VERSION) == "v0.37.2"


@pytest.mark.parametrize(
    ("kubernetes", "staging"),
    [("v1.37.2", "v0.37.2"), ("v1.30.10", "v0.30.10"), ("v1.38.0-rc.1", "v0.38.0-rc.1")],
)
def test_staging_version(kubernetes: str, staging: str) -> None:
    assert staging_version(kubernetes) == staging


@pytest.mark.parametrize("bad", ["1.37.2", "v2.0.0", "v1.37", "latest"])
def test_staging_version_rejects_other_strings(bad: str) -> None:
    with pytest.raises(ValueError, match="kubernetes"):
        staging_version(bad)


def test_ldflags_stamp_the_version() -> None:
    assert ldflags("v1.37.2") == (
        "-s -w -X k8s.io/component-base/version.gitVersion=v1.37.2"
        " -X k8s.io/component-base/version.gitMajor=1"
        " -X k8s.io/component-base/version.gitMinor=37"
    )


def test_tools_go_imports_every_main_package_behind_a_build_tag() -> None:
    assert build.TOOLS_GO.startswith("//go:build tools\n")
    assert '_ "k8s.io/kubernetes/cmd/kube-apiserver"' in build.TOOLS_GO
    assert '_ "k8s.io/kubernetes/cmd/kube-controller-manager"' in build.TOOLS_GO
    assert '_ "go.etcd.io/etcd/server/v3"' in build.TOOLS_GO


@pytest.mark.parametrize(
    ("text", "version"),
    [("go1.26.8\n", (1, 26)), ("go1.27rc1", (1, 27)), ("go1.25.3", (1, 25)), ("go2.0", (2, 0))],
)
def test_parse_go_version(text: str, version: tuple[int, int]) -> None:
    assert parse_go_version(text) == version


def test_parse_go_version_rejects_garbage() -> None:
    with pytest.raises(ControlPlaneError, match="Go version"):
        parse_go_version("devel +abcdef")


def test_cache_root_precedence(tmp_path: Path) -> None:
    home = str(Path("~").expanduser())
    assert cache_root({"KUBE_ANNEX_CACHE": str(tmp_path / "c"), "XDG_CACHE_HOME": "/x"}) == (
        tmp_path / "c"
    )
    assert cache_root({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "kube-annex"
    assert cache_root({}) == Path(home) / ".cache" / "kube-annex"
    assert build.cached_binaries({"KUBE_ANNEX_CACHE": str(tmp_path)}) == Binaries.in_dir(
        tmp_path / "controlplane" / "v1.37.2" / "bin"
    )


def _executable(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)


async def test_cached_binaries_are_used_without_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binaries = Binaries.in_dir(tmp_path / "controlplane" / "v1.37.2" / "bin")
    _executable(binaries.kube_apiserver)
    _executable(binaries.kube_controller_manager)
    _executable(binaries.etcd)
    monkeypatch.setenv("KUBE_ANNEX_CACHE", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    async def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("go must not run when the binaries are cached")

    monkeypatch.setattr(asyncio, "create_subprocess_exec", no_subprocess)
    lines: list[str] = []
    assert await ensure_binaries(report=lines.append) == binaries


def test_binaries_live_side_by_side(tmp_path: Path) -> None:
    binaries = Binaries.in_dir(tmp_path)
    assert binaries.kube_apiserver == tmp_path / "kube-apiserver"
    assert binaries.kube_controller_manager == tmp_path / "kube-controller-manager"
    assert binaries.etcd == tmp_path / "etcd"


async def test_a_cache_from_before_kube_controller_manager_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only kube-apiserver and etcd cached: not enough, so the build runs (and here finds no go)."""
    binaries = Binaries.in_dir(tmp_path / "controlplane" / "v1.37.2" / "bin")
    _executable(binaries.kube_apiserver)
    _executable(binaries.etcd)
    assert not binaries.exist()
    monkeypatch.setenv("KUBE_ANNEX_CACHE", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ControlPlaneError, match=r"`go` is not on PATH"):
        await ensure_binaries(report=lambda _line: None)
    _executable(binaries.kube_controller_manager)
    assert binaries.exist()


async def test_missing_go_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBE_ANNEX_CACHE", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ControlPlaneError, match=r"`go` is not on PATH.*1\.26"):
        await ensure_binaries(report=lambda _line: None)


async def test_old_go_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _executable(tmp_path / "gobin" / "go", "#!/bin/sh\necho go1.25.3\n")
    monkeypatch.setenv("KUBE_ANNEX_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", f"{tmp_path / 'gobin'}{os.pathsep}/usr/bin{os.pathsep}/bin")
    with pytest.raises(ControlPlaneError, match=r"go1\.25\.3.*Go >= 1\.26"):
        await ensure_binaries(report=lambda _line: None)
    assert not (tmp_path / "cache" / "controlplane" / "v1.37.2" / "bin").exists()
