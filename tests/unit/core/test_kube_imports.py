"""kubernetes-asyncio without its generated models, in a fresh interpreter each (this test
process may have imported the whole library already)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_kube_client_loads_no_generated_api_or_model() -> None:
    out = run(
        """
        import sys
        import annex_core.kube
        from kubernetes_asyncio import client
        generated = [m for m in sys.modules if m.startswith(
            ("kubernetes_asyncio.client.api.", "kubernetes_asyncio.client.models.",
             "kubernetes_asyncio.watch", "kubernetes_asyncio.dynamic"))]
        print(len(generated), client.ApiClient.__name__, client.Configuration.__name__)
        """
    )
    assert out == "0 ApiClient Configuration"


def test_the_whole_library_is_there_on_first_use() -> None:
    out = run(
        """
        import annex_core.kube
        import kubernetes_asyncio
        from kubernetes_asyncio import client, watch
        from kubernetes_asyncio.client.models import V1Pod
        pod = client.V1Pod(metadata=client.V1ObjectMeta(name="p"))
        print(type(pod) is V1Pod, client.models.V1ObjectMeta.__name__,
              client.CoreV1Api.__name__, watch.Watch.__name__, kubernetes_asyncio.__version__ != "")
        """
    )
    assert out == "True V1ObjectMeta CoreV1Api Watch True"


def test_nothing_is_deferred_once_the_library_is_imported() -> None:
    out = run(
        """
        import sys
        from kubernetes_asyncio import client
        import annex_core.kube
        print("kubernetes_asyncio.client.models.v1_pod" in sys.modules, "__getattr__" in vars(client))
        """
    )
    assert out == "True False"
