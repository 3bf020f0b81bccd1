"""Atomic output: write to a temporary file beside the target, then rename over it.

A failed or interrupted build therefore never leaves a half-written file, and never deletes the
previous good output. Nor does it replace what is not an output: a file target must be a regular
file (or nothing), a folder target a folder this module made (it holds SITE_MARKER) or nothing.
An output that cannot be written is said at the path the user gave, never at the temporary's.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .diagnostics import EditionError, error
from .interrupts import stop_if_received
from .resources import in_symlink_loop

# Written into every folder atomic_directory makes: only such a folder is replaced by the next
# build, so `-o` naming a folder of the user's (the edition's own, say) is refused, not emptied.
SITE_MARKER = ".edition-output"


def refused(target: Path, folder: bool) -> EditionError | None:
    """Why an output may not replace `target` (with `folder`, a site's folder; else a file),
    if it may not: a build says so before its work as well as when it writes."""
    if in_symlink_loop(target):  # was taken for a dangling link, replaced; or not a folder
        loop = next(path for path in (*reversed(target.parents), target)
                    if in_symlink_loop(path))
        return error(f"{'the output' if loop == target else loop} is a symbolic link loop; "
                     "nothing written: choose another output", target, code="output-refused")
    holder = next((parent for parent in target.parents if parent.exists()), None)
    if holder is not None and not holder.is_dir():  # mkdir would say "File exists"
        return error(f"{holder} is a file, not a folder the output can go in; nothing "
                     "written: choose another output", target, code="output-refused")
    if folder and target.exists() and not target.is_dir():
        return error("the output exists and is not a folder; nothing written: choose a folder "
                     "name", target, code="output-refused")
    if folder and target.is_dir() and any(target.iterdir()) and not (
            target / SITE_MARKER).exists():
        return error("the output folder holds files that no build made (it has no "
                     f"{SITE_MARKER}); nothing written or removed: choose an empty or new "
                     "folder", target, code="output-refused")
    if not folder and target.exists() and not target.is_file():
        return error("the output exists and is not a regular file (a folder, device or "
                     "pipe); nothing written: choose a file name", target, code="output-refused")
    return None


@contextmanager
def atomic_path(target: Path, suffix: str = "", product: str = "the output") -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `target`, on error it is removed."""
    target = Path(target)
    if (refusal := refused(target, folder=False)) is not None:
        raise refusal
    with _said_at(target, product):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp",
                                        dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        with _said_at(target, product, temporary):
            yield temporary
        stop_if_received()  # a Ctrl-C a library swallowed: nothing put in place
        with _said_at(target, product):
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_directory(target: Path, product: str = "the output") -> Iterator[Path]:
    """Yield a fresh temporary directory; on success it replaces the directory `target`."""
    target = Path(target)
    if (refusal := refused(target, folder=True)) is not None:
        raise refusal
    with _said_at(target, product):
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        with _said_at(target, product, temporary):
            yield temporary
        stop_if_received()
        with _said_at(target, product):
            (temporary / SITE_MARKER).write_text(
                "Made by `edition build`; the next build into this folder replaces it whole.\n",
                encoding="utf-8")
            os.chmod(temporary, 0o755)
            if target.exists():
                retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.",
                                                dir=target.parent))
                os.replace(target, retired / "old")
                os.replace(temporary, target)
                shutil.rmtree(retired)
            else:
                os.replace(temporary, target)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


# Out of room for any file being written: the output's, though the error names none.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextmanager
def _said_at(target: Path, product: str, temporary: Path | None = None) -> Iterator[None]:
    """An OSError writing the output said as `target: error: cannot write PRODUCT: why`, one
    line without the temporary's name. With `temporary`, the block also does other work (a
    writer's): only an error on the temporary (or a file in it), or a full disk, is the
    output's; others, an input not read say, go on as they are."""
    try:
        yield
    except OSError as failure:
        if temporary is not None and not _on(failure, temporary):
            raise
        raise _unwritable(target, product, failure) from None


def _on(failure: OSError, temporary: Path) -> bool:
    named = failure.filename
    if not isinstance(named, (str, bytes, os.PathLike)):
        return failure.errno in _FULL
    path = Path(os.fsdecode(named))
    return path == temporary or temporary in path.parents


def _unwritable(target: Path, product: str, failure: OSError) -> EditionError:
    return error(f"cannot write {product}: {failure.strerror or failure}", target,
                 code="output-unwritable")


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))
