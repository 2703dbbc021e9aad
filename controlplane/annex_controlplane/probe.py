"""Plain GETs for readiness checks: etcd's /health and kube-apiserver with the admin cert."""

from __future__ import annotations

import ssl
from types import TracebackType

import aiohttp

from annex_controlplane.pki import Pki

REQUEST_TIMEOUT_SECONDS = 5.0


class Probe:
    """An HTTP client trusting the cluster CA and presenting the admin certificate."""

    def __init__(self, pki: Pki) -> None:
        self._pki = pki
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Probe:
        context = ssl.create_default_context(cafile=str(self._pki.ca.cert))
        context.load_cert_chain(str(self._pki.admin.cert), str(self._pki.admin.key))
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=context),
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def get(self, url: str) -> tuple[int, str]:
        """(status, body); status 0 with the error text when nothing answered."""
        assert self._session is not None, "use Probe as an async context manager"
        try:
            async with self._session.get(url) as response:
                return response.status, await response.text(errors="replace")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return 0, f"{type(exc).__name__}: {exc}"
