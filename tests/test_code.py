"""The pipeline's own code: ruff-clean (the project's lint rules, pyproject.toml), scripts
without a .py suffix included, so that CI holds the code to what `make lint` checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# The Python scripts without a .py suffix, which ruff does not find by itself.
SCRIPTS = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "scripts").iterdir())
           if path.is_file() and not path.suffix
           and path.read_bytes().startswith(b"#!/usr/bin/env python")]


def test_the_code_is_ruff_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", "scripts", "tests", *SCRIPTS],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
