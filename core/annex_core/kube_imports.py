"""Import kubernetes-asyncio's client without its generated APIs and models.

`import kubernetes_asyncio` runs package `__init__`s that import every generated API and model
class: ~34 MB of RSS per process (a third of an idle gateway), of which annex uses none
(`annex_core.kube` sends plain JSON through `ApiClient` and needs only it, `Configuration` and
the configuration loading). So, before the first import, the three heavy packages are put in
`sys.modules` without running their `__init__`; the modules annex uses are imported from them
as usual. Nothing is lost: the first attribute such a package lacks (`client.CoreV1Api`,
`client.models.V1Pod`) runs its real `__init__` then and answers as if it had run at import.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

# Outermost first: a package must be in place before its subpackage is.
DEFERRED = ("kubernetes_asyncio", "kubernetes_asyncio.client", "kubernetes_asyncio.client.models")


def defer_generated_models() -> None:
    """Idempotent; does nothing when kubernetes-asyncio is already imported (by a test, or an
    example controller that uses its models)."""
    if DEFERRED[0] in sys.modules:
        return
    for name in DEFERRED:
        module = _module_without_init(name)
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(sys.modules[parent], child, module)
    # In dependency order: `from package import rest` would find no attribute `rest` on the
    # package (and so run its __init__) had `rest` not been imported as a module first.
    for submodule in ("exceptions", "configuration", "rest", "api_client"):
        importlib.import_module(f"kubernetes_asyncio.client.{submodule}")
    client: Any = sys.modules["kubernetes_asyncio.client"]
    # What the configuration loaders import from the package itself.
    client.Configuration = client.configuration.Configuration
    client.ApiClient = client.api_client.ApiClient
    importlib.import_module("kubernetes_asyncio.config")


def _module_without_init(name: str) -> ModuleType:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot find {name}", name=name)
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def run_init_on_first_miss(attribute: str) -> Any:
        # A module's __getattr__ is asked only for what its namespace lacks (PEP 562).
        del module.__getattr__
        loader.exec_module(module)
        return getattr(module, attribute)

    module.__getattr__ = run_init_on_first_miss  # type: ignore[method-assign]
    sys.modules[name] = module
    return module
