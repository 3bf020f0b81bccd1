"""The one policy on outside resources: what the pipeline may open, and from where.

Every file or URL the pipeline follows (XInclude targets, images, fonts, stylesheets) goes through
`confine`, which allows local files inside one root folder and nothing else: no network, no
`file:///etc/passwd`, no `../../` escapes. WeasyPrint gets the same policy as its `url_fetcher`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from .diagnostics import Diagnostic, error, warning


def file_path(url: str) -> Path:
    """The local file a `file:` URL names (what urllib.request's url2pathname gives on POSIX;
    that module pulls in http.client and email, a tenth of a small build's start-up)."""
    return Path(unquote(urlparse(url).path))


def real_path(path: str | os.PathLike[str]) -> Path:
    """`path` absolute, its symbolic links followed, as Path.resolve() does, except that a
    symbolic link loop stays in the path instead of raising RuntimeError (Python < 3.13;
    3.13's resolve() is this): what follows it then finds no file there and says so at the
    path, one line, where the loop stopped every command with a traceback."""
    return Path(os.path.realpath(path))


def in_symlink_loop(path: str | os.PathLike[str]) -> bool:
    """Does `path` lead into a symbolic link loop (a -> b, b -> a), itself or a folder on its
    way? Like a dangling link it does not exist, but it is no name a file could take: an
    output is not put there, an input is not "no such file"."""
    try:
        os.stat(path)
    except OSError as failure:
        return failure.errno == errno.ELOOP
    return False


def why_not_a_file(path: Path) -> str | None:
    """What stands at `path` instead of a regular file to read, said as every command says
    it (a loop is not "no such file", nor a folder), or None where a file is."""
    if path.is_file():
        return None
    if path.exists():
        return "not a regular file"
    what = "a symbolic link loop, no file" if in_symlink_loop(path) else "no such file"
    link = f" (a symbolic link to {os.readlink(path)})" if path.is_symlink() else ""
    return f"{what}{link}"


class RefusedResource(Exception):
    """A reference to something outside what the edition may read."""


def confine(reference: str, base: Path, root: Path) -> Path:
    """Resolve `reference` (relative to the file `base`) to a path inside `root`, or refuse it."""
    parsed = urlparse(reference)
    if parsed.scheme not in ("", "file") or parsed.netloc:
        raise RefusedResource(f"refused non-local reference {reference!r}")
    raw = Path(unquote(parsed.path))
    target = raw if raw.is_absolute() else base.parent / raw
    resolved = real_path(target)
    root = real_path(root)
    if not resolved.is_relative_to(root):
        raise RefusedResource(f"refused {reference!r}: outside {root}")
    return resolved


def confined_url_fetcher(root: Path, report: Callable[[Diagnostic], None]) -> object:
    """A WeasyPrint url_fetcher that serves files under `root` and refuses everything else.

    A refused resource is reported as a warning (so the build goes on without it), not fetched.
    WeasyPrint 70 takes a `URLFetcher` object; its `fetch` is the one method we narrow.
    """
    from weasyprint.urls import URLFetcher

    class ConfinedURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> object:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = confine(url, root / "_", root)
            except RefusedResource as refusal:
                report(warning(str(refusal), code="resource-refused"))
                raise ValueError(str(refusal)) from None
            return super().fetch(path.as_uri(), headers)

    return ConfinedURLFetcher(allowed_protocols=("file", "data"))


def refusal_error(refusal: RefusedResource, file: Path, line: int | None) -> Exception:
    return error(str(refusal), file, line, code="resource-refused")
