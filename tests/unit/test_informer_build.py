"""The pure parts of the annex-informer build: its cache key, its place, its pinned client-go."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from annex_controlplane.build import KUBERNETES_VERSION, staging_version, version_dir
from annex_controlplane.errors import ControlPlaneError
from annex_controlplane.informer_build import (
    ensure_informer,
    informer_binary,
    read_sources,
    required_version,
    source_digest,
)

GOMOD = """\
module kubeannex.local/informer

go 1.26.0

require k8s.io/klog/v2 v2.140.0

require (
\tk8s.io/apimachinery v0.37.2
\tk8s.io/client-go v0.37.2 // indirect
)
"""


def test_the_digest_is_stable_and_follows_names_and_contents() -> None:
    sources = {"main.go": b"package main\n", "go.mod": b"module x\n"}
    assert source_digest(sources) == source_digest(dict(reversed(sources.items())))
    assert source_digest(sources) != source_digest({**sources, "main.go": b"package main \n"})
    assert source_digest({"a": b"bc"}) != source_digest({"ab": b"c"})
    assert len(source_digest(sources)) == 16


def test_required_version_reads_blocks_and_single_lines() -> None:
    assert required_version(GOMOD, "k8s.io/client-go") == "v0.37.2"
    assert required_version(GOMOD, "k8s.io/klog/v2") == "v2.140.0"
    with pytest.raises(ControlPlaneError, match=r"does not require k8s\.io/api"):
        required_version(GOMOD, "k8s.io/api")


def test_the_shipped_module_pins_the_harness_client_go() -> None:
    gomod = read_sources()["go.mod"].decode()
    for module in ("k8s.io/client-go", "k8s.io/apimachinery", "k8s.io/api"):
        assert required_version(gomod, module) == staging_version(KUBERNETES_VERSION)


def test_the_binary_has_a_cache_directory_of_its_own(tmp_path: Path) -> None:
    env = {"KUBE_ANNEX_CACHE": str(tmp_path)}
    binary = informer_binary("0123456789abcdef", env)
    assert binary == tmp_path / "informer" / "0123456789abcdef" / "bin" / "annex-informer"
    assert not binary.is_relative_to(version_dir(env))


async def test_a_cached_informer_is_used_without_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBE_ANNEX_CACHE", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    binary = informer_binary(source_digest(read_sources()))
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\nexit 0\n")
    binary.chmod(0o755)

    async def no_subprocess(*args: object, **kwargs: object) -> None:
        raise AssertionError("go must not run when the informer is cached")

    monkeypatch.setattr(asyncio, "create_subprocess_exec", no_subprocess)
    assert await ensure_informer(report=lambda _line: None) == binary


async def test_missing_go_is_a_clear_error_and_leaves_the_control_plane_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBE_ANNEX_CACHE", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ControlPlaneError, match=r"`go` is not on PATH.*client-go v0\.37\.2"):
        await ensure_informer(report=lambda _line: None)
    assert not (tmp_path / "controlplane").exists()
