"""Atomic outputs, as the README promises them: a writer that fails or is killed after it has
started (an exception from WeasyPrint or pandoc, a full disk) leaves the previous output byte for
byte and no temporary file beside it; make deletes a target its failed recipe did change."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT
from tei_edition.atomic import SITE_MARKER, atomic_directory, atomic_path
from tei_edition.diagnostics import EditionError
from tei_edition.pipeline import publish

SMALL_TEI = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Small</title></titleStmt><publicationStmt><p>Test</p></publicationStmt>
<sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>A small text.</p></body></text></TEI>"""
PREVIOUS = b"the previous good output"
DISK_FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder` (hidden ones too), with the bytes of the files."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
            for path in sorted(folder.rglob("*"))}


def previous_output(folder: Path, output_format: str) -> Path:
    """An earlier build's output in `folder`: a file, or for the site a folder of files."""
    output = folder / ("site" if output_format == "html" else f"edition.{output_format}")
    if output_format == "html":
        (output / "styles").mkdir(parents=True)
        (output / "index.html").write_bytes(PREVIOUS)
        (output / "styles" / "web.css").write_bytes(PREVIOUS)
        (output / SITE_MARKER).write_bytes(b"")  # what a build leaves in its folder
    else:
        output.write_bytes(PREVIOUS)
    return output


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("source") / "small.xml"
    path.write_text(SMALL_TEI, encoding="utf-8")
    return path


# --- atomic.py itself ---------------------------------------------------------------------

def test_a_failure_inside_atomic_path_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "edition.pdf"
    target.write_bytes(PREVIOUS)
    with pytest.raises(EditionError), atomic_path(target, suffix=".pdf") as temporary:
        temporary.write_bytes(b"%PDF-1.7 half a book")
        assert temporary.parent == target.parent  # a rename, not a copy across file systems
        assert target.read_bytes() == PREVIOUS  # the writer never writes the target itself
        raise DISK_FULL
    assert snapshot(tmp_path) == {"edition.pdf": PREVIOUS}


def test_atomic_path_replaces_the_file_only_when_the_writer_is_done(tmp_path: Path) -> None:
    target = tmp_path / "edition.pdf"
    target.write_bytes(PREVIOUS)
    with atomic_path(target, suffix=".pdf") as temporary:
        temporary.write_bytes(b"the new book")
        assert target.read_bytes() == PREVIOUS
    assert snapshot(tmp_path) == {"edition.pdf": b"the new book"}
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_failure_inside_atomic_directory_keeps_the_previous_folder(tmp_path: Path) -> None:
    site = previous_output(tmp_path, "html")
    before = snapshot(tmp_path)
    with pytest.raises(EditionError), atomic_directory(site) as building:
        (building / "index.html").write_bytes(b"<html>half")
        assert (site / "index.html").read_bytes() == PREVIOUS  # not deleted before the build
        raise DISK_FULL
    assert snapshot(tmp_path) == before


def test_atomic_directory_replaces_the_folder_when_it_is_complete(tmp_path: Path) -> None:
    site = previous_output(tmp_path, "html")
    with atomic_directory(site) as building:
        (building / "index.html").write_bytes(b"the new site")
        assert (site / "styles" / "web.css").read_bytes() == PREVIOUS
    marker = (site / SITE_MARKER).read_bytes()
    assert marker.startswith(b"Made by `edition build`")
    assert snapshot(tmp_path) == {"site": None, f"site/{SITE_MARKER}": marker,
                                  "site/index.html": b"the new site"}


def test_an_output_not_written_is_said_at_its_path_not_the_temporarys(tmp_path: Path) -> None:
    """`target: error: cannot write …: why`, one line: the temporary's name is nobody's
    business, whether the temporary could not be made, written (in), or renamed."""
    target = tmp_path / "edition.pdf"
    with pytest.raises(EditionError) as written, \
            atomic_path(target, suffix=".pdf", product="the PDF") as temporary:
        (temporary / "part").write_bytes(b"")  # a writer's OSError, on the temporary
    assert str(written.value) == f"{target}: error: cannot write the PDF: Not a directory"
    with pytest.raises(EditionError) as renamed, \
            atomic_path(target, suffix=".pdf", product="the PDF") as temporary:
        temporary.unlink()  # os.replace() then fails on the temporary
    assert str(renamed.value) == (
        f"{target}: error: cannot write the PDF: No such file or directory")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(EditionError) as not_made, \
            atomic_path(Path("/proc/edition.pdf"), product="the PDF"):
        pass
    assert str(not_made.value) == (
        "/proc/edition.pdf: error: cannot write the PDF: No such file or directory")
    with pytest.raises(EditionError) as folder_not_made, \
            atomic_directory(Path("/proc/site"), "the web site"):
        pass
    assert str(folder_not_made.value) == (
        "/proc/site: error: cannot write the web site: No such file or directory")


def test_an_error_on_another_file_inside_atomic_path_is_not_the_outputs(tmp_path: Path) -> None:
    """A writer failing to read an input (an image gone) is that file's error, not the
    output's: it goes on unchanged."""
    missing = tmp_path / "figure.png"
    with pytest.raises(FileNotFoundError) as raised, atomic_path(tmp_path / "edition.pdf"):
        missing.read_bytes()
    assert raised.value.filename == str(missing)
    assert list(tmp_path.iterdir()) == []


# --- each writer, a fault injected after it has started -------------------------------------

def weasyprint_fails(monkeypatch: pytest.MonkeyPatch, fault: Exception) -> None:
    """The writer of the book's parts writes part of the PDF, then fails (WeasyPrint's own
    error or a full disk)."""
    from tei_edition.writers import pdf

    def write_pdf_in_parts(parts: object, target: Path, **options: object) -> None:
        Path(target).write_bytes(b"%PDF-1.7 half a book")
        raise fault

    monkeypatch.setattr(pdf, "write_pdf_in_parts", write_pdf_in_parts)


def pandoc_fails(monkeypatch: pytest.MonkeyPatch, fault: Exception) -> None:
    """pandoc writes part of the EPUB, then fails."""
    from tei_edition.writers import pandoc_parts

    def run_pandoc(parts: Path, output_format: str, output: Path, options: list[str]) -> None:
        Path(output).write_bytes(b"PK\x03\x04 half an EPUB")
        raise fault

    monkeypatch.setattr(pandoc_parts, "run_pandoc", run_pandoc)


def disk_fills_during_the_site(monkeypatch: pytest.MonkeyPatch, fault: Exception) -> None:
    """The pages are written; copying the styles and fonts, last, finds the disk full."""
    from tei_edition.writers import web

    def copyfile(*args: object, **options: object) -> None:
        raise fault

    monkeypatch.setattr(web.shutil, "copyfile", copyfile)


FAULTS: dict[str, tuple[str, Callable[[pytest.MonkeyPatch, Exception], None], Exception]] = {
    "weasyprint-error": ("pdf", weasyprint_fails, RuntimeError("WeasyPrint failed")),
    "pdf-disk-full": ("pdf", weasyprint_fails, DISK_FULL),
    "pandoc-error": ("epub", pandoc_fails, RuntimeError("pandoc died")),
    "epub-disk-full": ("epub", pandoc_fails, DISK_FULL),
    "site-disk-full": ("html", disk_fills_during_the_site, DISK_FULL),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_writer_failing_midway_keeps_the_previous_output(
        fault: str, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output_format, inject, exception = FAULTS[fault]
    output = previous_output(tmp_path, output_format)
    before = snapshot(tmp_path)
    inject(monkeypatch, exception)
    diagnostics = publish(source, output_format, output, depfile=tmp_path / "out.d")
    # the failure is the build's one error line, naming what failed
    failures = [d for d in diagnostics if d.severity.name == "ERROR"]
    assert len(failures) == 1
    if isinstance(exception, OSError):  # a full disk: the output's, said at its path
        assert failures[0].file == str(output)
        assert failures[0].message.endswith(exception.strerror)
    else:
        assert str(exception) in failures[0].message
    assert snapshot(tmp_path) == before


def test_a_full_disk_is_one_line_and_exit_status_1(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    output = previous_output(tmp_path, "pdf")
    weasyprint_fails(monkeypatch, DISK_FULL)
    result = run_cli("build", "pdf", source, "-o", output)
    assert result.status == 1
    assert result.stderr.splitlines()[-1] == (
        f"{output}: error: cannot write the PDF: No space left on device")
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == {"edition.pdf": PREVIOUS}


# A build in its own process whose pandoc has written part of the EPUB and then hangs.
HANGING_WRITER = """
import sys, time
from pathlib import Path
from tei_edition.writers import pandoc_parts

def run_pandoc(parts, output_format, output, options):
    Path(output).write_bytes(b"PK half an EPUB")
    print(output, flush=True)
    time.sleep(60)

pandoc_parts.run_pandoc = run_pandoc
from tei_edition.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_build_killed_midway_keeps_the_previous_output(how: signal.Signals, source: Path,
                                                         tmp_path: Path) -> None:
    """`kill`, Ctrl-C: the temporary goes too. `kill -9` gives the process no chance to remove
    it, but still cannot touch the previous output."""
    output = previous_output(tmp_path, "epub")
    build = subprocess.Popen([sys.executable, "-c", HANGING_WRITER, "build", "epub", str(source),
                              "-o", str(output)], stdout=subprocess.PIPE, text=True,
                             stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": ""})
    try:
        half_written = Path(build.stdout.readline().strip())
        assert half_written.parent == tmp_path and half_written.exists()
        build.send_signal(how)
        build.wait(timeout=30)
    finally:
        build.kill()
        build.stdout.close()
    left = snapshot(tmp_path)
    assert left.pop("edition.epub") == PREVIOUS
    if how == signal.SIGKILL:
        assert build.returncode == -how
        assert left == {half_written.name: b"PK half an EPUB"}
    else:
        assert build.returncode == 128 + how
        assert left == {}


# `python -m tei_edition.cli ARGS…` given a Ctrl-C while it imports lxml, its first heavy module.
INTERRUPTED_WHILE_LOADING = """
import os, runpy, signal, sys

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == "lxml.etree":
            os.kill(os.getpid(), signal.SIGINT)
        return None

signal.signal(signal.SIGINT, signal.default_int_handler)
sys.meta_path.insert(0, Interrupting())
runpy.run_module("tei_edition.cli", run_name="__main__", alter_sys=True)
"""


def test_a_ctrl_c_while_the_modules_load_is_exit_130_without_a_traceback(
        source: Path, tmp_path: Path) -> None:
    """The first tenths of a second go to imports: a Ctrl-C there printed Python's traceback."""
    output = tmp_path / "site"
    build = subprocess.run([sys.executable, "-c", INTERRUPTED_WHILE_LOADING, "build", "html",
                            str(source), "-o", str(output)], capture_output=True, text=True,
                           timeout=60, env={**os.environ, "PYTHONPATH": ""})
    assert (build.returncode, build.stderr) == (130, "")
    assert not output.exists()


# `python -m tei_edition.cli ARGS…` whose text stage gets a Ctrl-C that it swallows, as
# WeasyPrint's image loading does (`except BaseException`: "failed to load image").
INTERRUPT_SWALLOWED = """
import os, runpy, signal, sys
import tei_edition.text

normalised_text = tei_edition.text.normalised_text

def swallowing(tree):
    try:
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:
        pass
    return normalised_text(tree)

tei_edition.text.normalised_text = swallowing
runpy.run_module("tei_edition.cli", run_name="__main__", alter_sys=True)
"""


def test_a_ctrl_c_a_library_swallows_still_stops_the_command(source: Path,
                                                             tmp_path: Path) -> None:
    """The command went on to write its output and exit 0: now it writes nothing, keeps the
    previous output and exits 130."""
    output = tmp_path / "small.txt"
    output.write_bytes(PREVIOUS)
    run = subprocess.run([sys.executable, "-c", INTERRUPT_SWALLOWED, "text", str(source), "-o",
                          str(output)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": ""})
    assert (run.returncode, run.stderr) == (130, "")
    assert snapshot(tmp_path) == {"small.txt": PREVIOUS}


def test_the_command_runs_outside_the_main_thread(source: Path, tmp_path: Path) -> None:
    """Only the main thread may handle SIGTERM; elsewhere (an embedding program) the command
    runs without."""
    from tei_edition.cli import main

    output = tmp_path / "small.txt"
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(main, ["text", str(source), "-o", str(output)]).result() == 0
    assert output.read_text(encoding="utf-8").strip() == "A small text."


# --- make -----------------------------------------------------------------------------------

FAKE_BUILD = """#!/bin/sh
# A build that fails; with WRITE set it has replaced its output first (as a build does that
# writes the output and then fails on the dependency file).
while [ "$1" != "-o" ]; do shift; done
[ -n "$WRITE" ] && printf 'the new output' > "$2"
exit 1
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Makefile with the edition, its `edition` command replaced by a failing build."""
    shutil.copy2(ROOT / "Makefile", tmp_path)
    shutil.copytree(ROOT / "edition", tmp_path / "edition")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "edition.epub").write_bytes(PREVIOUS)
    fake = tmp_path / "fake-edition"
    fake.write_text(FAKE_BUILD)
    fake.chmod(0o755)
    return tmp_path


@pytest.mark.parametrize(("written", "left"), [("yes", None), ("", PREVIOUS)],
                         ids=["output-replaced", "output-untouched"])
def test_make_deletes_a_target_its_failed_recipe_changed(project: Path, written: str,
                                                         left: bytes | None) -> None:
    """A failed build that had already replaced its output must not leave it looking up to
    date; one that had not keeps the previous output."""
    run = subprocess.run(
        ["make", "-C", str(project), "-o.venv/.installed", "-o.venv/.system-build",
         "-Wedition/edition.xml", f"EDITION={project / 'fake-edition'}", "build/edition.epub"],
        capture_output=True, text=True, env={**os.environ, "WRITE": written}, check=False)
    assert run.returncode != 0
    epub = project / "build" / "edition.epub"
    assert (epub.read_bytes() if epub.exists() else None) == left, run.stderr
