"""What the hostile-input suites share: a gateway to attack, and what every answer must be.

Two ways in, one `Target`: `direct` is the gateway alone as `annex serve` runs it (x509 admin
client certificate, no control plane); `aggregated` is the same gateway behind a real
kube-apiserver (the stack of tests/stack.py, module scope, on the session control plane), so
requests reach it exactly as kube-apiserver proxies them. Each module gets its own gateway
process: memory figures of one module are not another's.

The resource attacked is `probes` in `hostile.annex.test/v1`, namespaced, whose `spec` keeps
unknown fields (anything a body nests there is data, as for a CRD with
x-kubernetes-preserve-unknown-fields).
"""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from yarl import URL

from annex_cli.serve import free_port
from annex_controlplane import ControlPlane
from tests.helpers import annex_command, eventually, log_tail, start_process, stop_process
from tests.stack import running_stack, wait_available

GROUP = "hostile.annex.test"
VERSION = "v1"
API_VERSION = f"{GROUP}/{VERSION}"
NAMESPACE = "default"
COLLECTION = f"/apis/{GROUP}/{VERSION}/namespaces/{NAMESPACE}/probes"
# Generous upper bounds, never timed assertions: a request that outlives them is a hang.
REQUEST_TIMEOUT = 60.0

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "x-kubernetes-preserve-unknown-fields": True,
            "properties": {"count": {"type": "integer"}, "ratio": {"type": "number"}},
        },
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}
DEFINITION: dict[str, Any] = {
    "apiVersion": "annex.dev/v1alpha1",
    "kind": "ApiDefinition",
    "metadata": {"name": GROUP},
    "spec": {
        "group": GROUP,
        "resources": [
            {
                "names": {"plural": "probes", "singular": "probe", "kind": "Probe"},
                "scope": "Namespaced",
                "versions": [
                    {
                        "name": VERSION,
                        "served": True,
                        "storage": True,
                        "schema": {"openAPIV3Schema": SCHEMA},
                        "subresources": {"status": {}},
                    }
                ],
            }
        ],
    },
}


@dataclass(frozen=True)
class Memory:
    rss_kib: int  # VmRSS: resident now
    peak_kib: int  # VmHWM: the most ever resident (since start or `reset_peak`)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Target:
    """A gateway under attack: where to send requests, and its process to watch."""

    name: str  # "direct" or "aggregated"
    base_url: str
    ssl: ssl.SSLContext
    gateway_pid: int
    gateway_log: Path
    headers: Mapping[str, str] = field(default_factory=dict)  # sent with every request

    def url(self, path: str, query: str = "") -> URL:
        """The URL exactly as written: percent escapes, `..` and odd bytes are sent as they are."""
        return URL(f"{self.base_url}{path}" + (f"?{query}" if query else ""), encoded=True)

    def alive(self) -> bool:
        return Path(f"/proc/{self.gateway_pid}").exists() and self._state() not in ("Z", "X")

    def _state(self) -> str:
        for line in self._status_lines():
            if line.startswith("State:"):
                return line.split()[1]
        return "X"

    def _status_lines(self) -> list[str]:
        try:
            return Path(f"/proc/{self.gateway_pid}/status").read_text().splitlines()
        except FileNotFoundError:
            return []

    def memory(self) -> Memory:
        fields = dict(line.split(":", 1) for line in self._status_lines() if ":" in line)
        return Memory(int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0]))

    def reset_peak(self) -> None:
        """Start VmHWM again from the current RSS (proc(5): clear_refs, value 5)."""
        Path(f"/proc/{self.gateway_pid}/clear_refs").write_text("5")

    def log_tail(self) -> str:
        return log_tail(self.gateway_log)


async def send(
    session: aiohttp.ClientSession,
    target: Target,
    method: str,
    path: str,
    query: str = "",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Answer:
    """One request, bounded by REQUEST_TIMEOUT; the body read whole and not decompressed."""
    async with session.request(
        method,
        target.url(path, query),
        data=body or None,  # no body: no Content-Type of aiohttp's choosing either
        headers={**target.headers, **(headers or {})},
        ssl=target.ssl,
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
    ) as response:
        return Answer(response.status, dict(response.headers), await response.read())


# Go's http.NotFound: what kube-apiserver's CRD handler answers for a resource the group does
# not serve, or a cluster-scoped one under a namespace (the gateway answers the same).
GO_NOT_FOUND = b"404 page not found\n"


def status_problems(answer: Answer) -> list[str]:
    """What is wrong with an answer by the suite's rules: no 5xx, and every error (4xx) body a
    `Status` of apiVersion v1 whose code is the HTTP status (or Go's plain 404 page)."""
    problems = []
    if answer.status >= 500:
        problems.append(f"{answer.status}: {answer.body[:300]!r}")
    if answer.status == 404 and answer.body == GO_NOT_FOUND:
        return problems
    if answer.status >= 400:
        try:
            status = answer.json()
        except ValueError:
            status = None
        if not (
            isinstance(status, dict)
            and status.get("kind") == "Status"
            and status.get("apiVersion") == "v1"
            and status.get("code") == answer.status
        ):
            problems.append(f"{answer.status} without a Status body: {answer.body[:300]!r}")
    return problems


def client_session() -> aiohttp.ClientSession:
    """A client that sends what it is given: no decompression, no cookie jar, no retries."""
    return aiohttp.ClientSession(
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT),
    )


# -- the gateway alone, as `annex serve` runs it ----------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def direct(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Target]:
    work = tmp_path_factory.mktemp("hostile-direct")
    definitions = work / "definitions"
    definitions.mkdir()
    (definitions / "probes.yaml").write_text(json.dumps(DEFINITION))
    state, log, port = work / "state", work / "serve.log", free_port()
    process = await start_process(
        annex_command("serve", str(definitions), "--port", str(port), "--state-dir", str(state)),
        log,
    )
    try:

        async def pki_written() -> bool:  # the kubeconfig is written after the certificates
            return (state / "kubeconfig").exists()

        await eventually(pki_written, timeout=30, what="annex serve's local PKI")
        context = ssl.create_default_context(cafile=str(state / "ca.crt"))
        context.load_cert_chain(str(state / "admin.crt"), str(state / "admin.key"))
        target = Target("direct", f"https://127.0.0.1:{port}", context, process.pid, log)

        async def ready() -> bool:
            assert process.returncode is None, log_tail(log)
            async with client_session() as session:
                try:
                    answer = await send(session, target, "GET", "/readyz")
                except aiohttp.ClientError:
                    return False
            return answer.status == 200

        await eventually(ready, timeout=30, what="annex serve to be ready")
        yield target
    finally:
        await stop_process(process)


# -- the same gateway behind kube-apiserver ----------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def aggregated(
    control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Target]:
    """kube-apiserver's address, as its admin; requests for the group are proxied to the
    gateway of a stack started for this module."""
    async with running_stack(control_plane, tmp_path_factory.mktemp("hostile-aggregated")) as stack:
        await stack.kubectl("apply", "-f", "-", stdin=json.dumps(DEFINITION))
        await wait_available(stack.kubectl, f"{VERSION}.{GROUP}")
        context = ssl.create_default_context(cafile=str(control_plane.ca_file))
        context.load_cert_chain(
            str(control_plane.admin_cert_file), str(control_plane.admin_key_file)
        )
        yield Target(
            "aggregated", control_plane.server, context, stack.gateway.pid, stack.gateway_log
        )
