"""The build a worker runs, mocked: it takes `seconds`, fails as apt-get does on a package name
Debian could not have, and yields a digest derived from what was built."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re

# Debian Policy §5.6.1: lowercase letters, digits, '+', '-' and '.', at least two characters,
# starting with a letter or digit.
PACKAGE_NAME = re.compile(r"[a-z0-9][a-z0-9+.-]+")


class BuildFailed(Exception):
    pass


def digest_of(base_image: str, packages: list[str]) -> str:
    """A stand-in for the built image's digest: sha256 of its inputs, canonically encoded."""
    encoded = json.dumps([base_image, packages], separators=(",", ":")).encode()
    return f"sha256:{hashlib.sha256(encoded).hexdigest()}"


async def build(base_image: str, packages: list[str], seconds: float) -> str:
    """The digest of the image built from `base_image` with `packages`, or BuildFailed."""
    await asyncio.sleep(seconds)  # pulling the base image, installing: mocked
    for package in packages:
        if not PACKAGE_NAME.fullmatch(package):
            raise BuildFailed(f"E: Unable to locate package {package}")
    return digest_of(base_image, packages)
