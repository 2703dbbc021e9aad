"""The StatusError a call raises, for tests of what the gateway refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annex_gateway.apierrors import StatusError


def status_error(call: Callable[..., Any], *args: Any, **kwargs: Any) -> StatusError:
    with pytest.raises(StatusError) as caught:
        call(*args, **kwargs)
    return caught.value
