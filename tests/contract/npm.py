"""The npm tools the contract tests run (``tests/contract/typescript/package.json``, pinned
by its ``package-lock.json``): installed with ``npm ci`` when missing.

Without Node the tests that need it skip, except in CI (``CI`` set), where Node is part
of the machine (``.ci/run`` installs it) and a skip would hide a broken contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "typescript"
BIN = HERE / "node_modules" / ".bin"


def tools() -> Path:
    """``node_modules/.bin`` of the locked tools, installed first if need be."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("Node and npm are missing in CI: the contract's clients cannot be checked")
        pytest.skip("Node and npm are not installed")
    lock = HERE / "package-lock.json"
    installed = HERE / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return BIN
