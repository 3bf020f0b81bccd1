"""Shared fixtures: the repository's layout, the official schema (loaded once per session),
and a way to run the `edition` command in-process."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "edition"
SOURCES = EDITION / "sources"
ARTICLES = ("nakhchivan-autonomy", "treaty-of-kars")


def hide_the_machines_fonts() -> Path:
    """A fontconfig configuration that knows only the fonts shipped in styles/fonts.

    A machine with Linux Libertine installed system-wide (or any other font) must not make a PDF
    test pass that fails on a fresh machine: every build in the tests, in-process or in a
    subprocess, sees the fonts a fresh clone has and nothing else. Set before WeasyPrint loads.
    """
    folder = Path(tempfile.mkdtemp(prefix="edition-fontconfig-"))
    configuration = folder / "fonts.conf"
    configuration.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{ROOT / 'styles' / 'fonts'}</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(configuration)
    os.environ.pop("FONTCONFIG_PATH", None)
    return configuration


FONTCONFIG_FILE = hide_the_machines_fonts()


def manifest_verdicts() -> dict[str, str]:
    """The MANIFEST's tei_all verdict per corpus file: 'valid' or 'invalid'."""
    verdicts = {}
    for row in (ROOT / "tests" / "corpus" / "MANIFEST.md").read_text().splitlines():
        cells = [cell.strip() for cell in row.split("|")]
        if len(cells) > 6 and cells[1].endswith(".xml"):
            verdicts[cells[1]] = "valid" if cells[5] == "valid" else "invalid"
    return verdicts



EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
# EPUBCheck runs seconds, not minutes: the JVM's quick compiler alone and its serial collector
# halve the CPU it takes (7 s instead of 15 s of a small book's check, most of it start-up).
QUICK_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def epubcheck(book: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Debian's EPUBCheck on `book` (the tests install it: scripts/install-system-deps)."""
    return subprocess.run(["java", *QUICK_JVM, "-jar", str(EPUBCHECK), *options, str(book)],
                          capture_output=True, text=True, timeout=300, check=False)


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The official TEI P5 tei_all schema (about 13 s to compile: once per session)."""
    return etree.RelaxNG(etree.parse(str(ROOT / "schema" / "tei_all.rng")))


@pytest.fixture
def run_cli():
    """Run `edition ARGS…` in-process; return exit status and captured output."""
    from tei_edition.cli import main

    def run(*args: object) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = main([str(arg) for arg in args])
        return Result(status, out.getvalue(), err.getvalue())

    return run


def cpu_seconds() -> float:
    """CPU time of the tests' process and its finished children: a guard against a refusal
    that runs on for minutes, which another job on the machine does not trip as it does a
    wall clock."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def watched_page(context: object) -> object:
    """A new Playwright page of `context` whose console errors and warnings and uncaught
    exceptions collect in `page.problems`, for a test to assert there are none."""
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda exception: problems.append(str(exception)))
    page.problems = problems
    return page
