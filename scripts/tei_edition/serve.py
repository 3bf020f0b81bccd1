"""`edition serve`: the editor's loop — save in the XML editor, see the page change.

Builds the web edition into a folder of its own (build/serve/html), serves it on 127.0.0.1
only, and watches the edition's folder, bib/ and styles/ (watchfiles: inotify through Rust's
notify, debounced). A save that touches one of the files the last build was made from (the
list `edition build --depfile` writes) rebuilds the site; each page carries a small script that
hears of it through server-sent events and reloads. A save that does not validate leaves the
last good site in place and shows its `file:line: error` lines in a banner on the page; the next
good build clears it. The PDF is built only when asked for, from the page.

The server serves the built site and its own two assets, nothing else: a path that leads
outside the folder (through `..` or a link) is not found, a request for another host name is
refused (DNS rebinding), and the PDF build only answers a request from its own pages.
"""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

from .diagnostics import EditionError, Severity, error
from .pipeline import Built, build
from .resources import real_path, why_not_a_file
from .writers import PROJECT_ROOT, STYLES

HOST = "127.0.0.1"
LIVE = "/_edition/"  # the server's own URLs: its assets, the event stream, the PDF
ASSETS = Path(__file__).resolve().parent / "live"
KEEP_ALIVE_SECONDS = 15
NOT_BUILT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'self'; script-src 'self'">
<title>Not built yet</title></head><body><main><h1>The edition has not been built yet</h1>
<p>The problems that stop it are listed above; save a fix and this page follows.</p></main>
</body></html>"""


@dataclass
class State:
    """What the pages are told: how many good builds there were (a page made by an earlier
    one reloads), the problems of the last build, and the state of the PDF."""

    generation: int = 0
    problems: list[str] = field(default_factory=list)
    pdf: str = ""
    pdf_problems: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)


class Builder:
    """Builds the site (on start and on save) and the PDF (on demand), one build at a time,
    and tells whoever waits for news."""

    def __init__(self, source: Path, folder: Path) -> None:
        self.source = source
        self.site = folder / "html"
        self.pdf = folder / f"{source.stem}.pdf"  # named as the TEI: the site offers it
        self.inputs: set[Path] | None = None  # None: rebuild on any change
        self.state = State()
        self.version = 0  # counts every change of state
        self.building = threading.Lock()
        self.news = threading.Condition()

    def watched(self) -> list[Path]:
        """The folders a save in which may change the edition: the edition's, the
        bibliography and the styles."""
        edition = real_path(self.source).parent
        folders = [edition, edition.parent / "bib", PROJECT_ROOT / "bib", STYLES]
        return [folder for folder in dict.fromkeys(folders) if folder.is_dir()]

    def concerns(self, changed: Iterable[Path]) -> bool:
        """Whether a change touches the site: a file it was made from or a style. After a
        failed build any change does (the fix may be in a file not read yet)."""
        if self.inputs is None:
            return True
        return any(real_path(path) in self.inputs or real_path(path).is_relative_to(STYLES)
                   for path in changed)

    def build_site(self) -> None:
        started = time.perf_counter()
        built = self._run("html", self.site)
        with self.news:
            if built.inputs:
                self.state.generation += 1
                self.inputs = {real_path(path) for path in built.inputs}
            else:
                self.inputs = None
            self.state.problems = _problems(built)
            self._changed()
        print("\n".join(self.state.problems) or
              f"built the site in {time.perf_counter() - started:.1f} s", file=sys.stderr,
              flush=True)

    def build_pdf(self) -> list[str]:
        with self.news:
            self.state.pdf, self.state.pdf_problems = "building", []
            self._changed()
        built = self._run("pdf", self.pdf)
        with self.news:
            self.state.pdf_problems = _problems(built)
            self.state.pdf = "built" if built.inputs else "failed"
            self._changed()
            return self.state.pdf_problems

    def _run(self, output_format: str, output: Path) -> Built:
        with self.building:
            try:
                return build(self.source, output_format, output)
            except EditionError as problem:
                return Built([problem.diagnostic])
            except Exception as exc:  # a bug must not stop the server the editor relies on
                traceback.print_exc()
                return Built([error(f"the build failed: {exc!r} (see the terminal)").diagnostic])

    def _changed(self) -> None:
        self.version += 1
        self.news.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, str]:
        """The state once it is newer than version `seen` (or as it is after `timeout`)."""
        with self.news:
            self.news.wait_for(lambda: self.version != seen, timeout)
            return self.version, self.state.as_json()


def _problems(built: Built) -> list[str]:
    return [str(d) for d in built.diagnostics if d.severity >= Severity.ERROR]


class EditionServer(ThreadingHTTPServer):
    daemon_threads = True  # the event streams of open pages do not keep the server up

    def __init__(self, port: int, builder: Builder) -> None:
        self.builder = builder
        self.stopping = threading.Event()
        super().__init__((HOST, port), LiveHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class LiveHandler(BaseHTTPRequestHandler):
    """The site's files, with the live script put into every page, and the server's URLs."""

    server: EditionServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for the build's problems."""

    def do_GET(self) -> None:
        if not self._from_here():
            return
        path = unquote(urlsplit(self.path).path)
        if path == f"{LIVE}events":
            self._events()
        elif path == f"{LIVE}edition.pdf":
            self._file(self.server.builder.pdf)
        elif path in (f"{LIVE}live.js", f"{LIVE}live.css"):
            self._file(ASSETS / path.removeprefix(LIVE))
        elif path.endswith(("/", ".html")):
            self._page(path)
        elif path == "/favicon.ico" and not (self.server.builder.site / "favicon.ico").exists():
            self.send_response(HTTPStatus.NO_CONTENT)  # the browser asks; the site has none
            self.end_headers()
        else:
            self._file(self._inside_the_site(path))

    def do_POST(self) -> None:
        if not self._from_here():
            return
        own = f"http://{self.headers.get('Host')}"
        if urlsplit(self.path).path != f"{LIVE}pdf" or self.headers.get("Origin") != own:
            self.send_error(HTTPStatus.FORBIDDEN)
            return
        problems = self.server.builder.build_pdf()
        answer = {"problems": problems, "url": None if problems else f"{LIVE}edition.pdf"}
        self._send(json.dumps(answer).encode(), "application/json")

    def _inside_the_site(self, path: str) -> Path | None:
        """The file a URL path names inside the site, or None when it leads out of it
        (through `..` or a link)."""
        site = real_path(self.server.builder.site)
        try:
            target = real_path(site / path.lstrip("/"))
        except (OSError, ValueError):  # a NUL byte, a loop of links
            return None
        return target if target.is_relative_to(site) else None

    def _from_here(self) -> bool:
        """Only a request addressed to this server by its local name (DNS rebinding)."""
        port = self.server.server_address[1]
        if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST)
            return False
        return True

    def _page(self, path: str) -> None:
        generation = self.server.builder.state.generation  # read before the file: see live.js
        file = self._inside_the_site(path)
        if file is not None and file.is_dir():
            file = file / "index.html"
        if file is not None and file.is_file():
            page = lxml.html.document_fromstring(file.read_bytes())
        elif path == "/" and generation == 0:
            page = lxml.html.document_fromstring(NOT_BUILT)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        _make_live(page, generation)
        self._send(lxml.html.tostring(page, encoding="utf-8", doctype="<!DOCTYPE html>"),
                   "text/html; charset=utf-8")

    def _file(self, file: Path | None) -> None:
        if file is None or not file.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self._send(file.read_bytes(), content_type)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state now, then each time it changes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.server.stopping.is_set():
                version, state = self.server.builder.wait(seen, KEEP_ALIVE_SECONDS)
                message = (": still here\n\n" if version == seen
                           else f"event: state\ndata: {state}\n\n")
                seen = version
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _make_live(page: lxml.html.HtmlElement, generation: int) -> None:
    """Put the live script and its style into a page, and let its Content Security Policy
    (which forbids everything not named) allow the event stream and the PDF request."""
    head = page.find("head")
    for meta in head.iterfind("meta[@http-equiv]"):
        policy = meta.get("content", "")
        if meta.get("http-equiv").lower() == "content-security-policy" and (
                "connect-src" not in policy):
            meta.set("content", f"{policy.rstrip('; ')}; connect-src 'self'")
    head.append(lxml.html.Element("link", rel="stylesheet", href=f"{LIVE}live.css"))
    head.append(lxml.html.Element("script", src=f"{LIVE}live.js", defer="defer",
                                  **{"data-generation": str(generation)}))


def serve(source: Path, port: int, folder: Path) -> int:
    """Build, serve and rebuild on save until interrupted (Ctrl-C)."""
    from watchfiles import watch

    if (why := why_not_a_file(source)) is not None:
        raise error(why, source, code="serve")
    builder = Builder(source, folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = EditionServer(port, builder)
    except OSError as problem:
        raise error(f"cannot serve on {HOST}:{port}: {problem.strerror} (choose another with "
                    "--port)", code="serve") from None
    builder.build_site()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving the edition at {server.url} (Ctrl-C to stop); watching "
          f"{', '.join(str(path) for path in builder.watched())}", flush=True)
    try:
        for changes in watch(*builder.watched(), stop_event=server.stopping, step=50,
                             raise_interrupt=True):
            if builder.concerns(Path(path) for _, path in changes):
                builder.build_site()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
    return 0
