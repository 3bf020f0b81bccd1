"""`edition serve` as the editor meets it: a save shows in the open page, a save that does not
build shows its problem in a banner over the last good text, and the server answers only on
127.0.0.1 and only with files of its build folder.

The server runs as the editor starts it (a process of its own) on a temporary copy of a small
edition, a fixture article with the registers, so that a rebuild takes a fraction of a second;
the page is Debian's Chromium, launched as tests/test_browser.py does.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import EDITION, ROOT, watched_page
from test_browser import CHROMIUM, FLAGS

SHOWN_WITHIN_MS = 3000
FIXTURE = ROOT / "tests" / "fixtures" / "apparatus" / "good.xml"


@dataclass
class Server:
    url: str
    article: Path
    site: Path
    process: subprocess.Popen

    @property
    def port(self) -> int:
        return urlsplit(self.url).port

    def edit(self, old: str, new: str) -> None:
        """Save the article with `old` replaced, as an editor does."""
        text = self.article.read_text(encoding="utf-8")
        assert old in text
        self.article.write_text(text.replace(old, new, 1), encoding="utf-8")

    def get(self, path: str, timeout: float = 5, **headers: str) -> http.client.HTTPResponse:
        """A request with the path sent as it is (a browser would normalise `..`)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}", **headers})
        return connection.getresponse()


def small_edition(folder: Path) -> Path:
    """A copy of the fixture article with the edition's registers; returns the article."""
    edition = folder / "edition"
    edition.mkdir()
    shutil.copyfile(FIXTURE, edition / "article.xml")
    for register in ("persons.xml", "places.xml", "orgs.xml"):
        shutil.copyfile(EDITION / register, edition / register)
    return edition / "article.xml"


@contextmanager
def running(folder: Path) -> Iterator[Server]:
    """`edition serve edition/article.xml` in `folder`, on a free port, until the block ends."""
    log = folder / "serve.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tei_edition.cli", "serve", "edition/article.xml", "--port",
             "0", "-o", "build"], cwd=folder, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("Serving the edition at "), log.read_text()
        yield Server(line.split()[4], folder / "edition" / "article.xml",
                     folder / "build" / "html", process)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    small_edition(folder)
    with running(folder) as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, server: Server) -> Iterator[object]:
    context = browser.new_context()
    page = watched_page(context)
    page.goto(f"{server.url}article.html")
    page.wait_for_function("() => document.getElementById('edition-live-tools') !== null")
    yield page
    context.close()


def shown_within(page: object, condition: str) -> float:
    """Seconds until the page shows what `condition` (a JS expression) tests for.

    A live reload replaces the document, so the condition may be read while the new one is
    still without its <main>: conditions must be null-safe (`?.`), not throw.
    """
    started = time.perf_counter()
    page.wait_for_function(f"() => {condition}", timeout=SHOWN_WITHIN_MS)
    return time.perf_counter() - started


def test_a_save_shows_in_the_open_page_without_a_reload_by_hand(server: Server,
                                                                page: object) -> None:
    assert "Soviet leader." in page.inner_text("main")
    server.edit("leader.</p>", "leader, saved a moment ago.</p>")
    shown_within(page, "document.querySelector('main')?.innerText.includes('saved a moment ago')")
    assert page.problems == []


def test_a_save_that_does_not_build_shows_its_error_over_the_last_good_text(
        server: Server, page: object) -> None:
    page.evaluate("() => { window.stillTheSamePage = true; }")
    text = server.article.read_text(encoding="utf-8")
    line = text[:text.index("spoke")].count("\n") + 1
    server.edit("spoke", "<bogus/>spoke")
    try:
        shown_within(page, "!document.getElementById('edition-live-problems').hidden")
        banner = page.inner_text("#edition-live-problems")
        assert f"edition/article.xml:{line}:" in banner and "error: element <bogus>" in banner
        assert page.evaluate("() => window.stillTheSamePage") is True  # not reloaded
        assert "Tiflis" in page.inner_text("main")  # the last good text stays
        assert (server.site / "article.html").is_file()
    finally:
        server.edit("<bogus/>spoke", "spoke")
    shown_within(page, "document.getElementById('edition-live-problems') === null"
                 " || document.getElementById('edition-live-problems').hidden")
    page.wait_for_function("() => document.getElementById('edition-live-problems') !== null")
    assert page.is_hidden("#edition-live-problems")


def test_the_pdf_is_built_on_request_from_the_page(server: Server, page: object) -> None:
    page.click("#edition-live-tools button")
    page.wait_for_selector("#edition-live-tools a", timeout=60_000)
    response = server.get("/_edition/edition.pdf")
    assert response.status == 200 and response.read().startswith(b"%PDF-")


def test_the_server_listens_on_the_loopback_address_only(server: Server) -> None:
    """Every socket listening on the port (IPv4 and IPv6) is 127.0.0.1's."""
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == server.port:  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"]  # 127.0.0.1, little-endian hex


@pytest.mark.parametrize("path", ["/../../secret.txt", "/%2e%2e/%2e%2e/secret.txt",
                                  "/..%2f..%2fsecret.txt", "/styles/../../../secret.txt",
                                  "//tmp/../secret.txt", "/%00", "/outside.txt"])
def test_nothing_outside_the_build_folder_is_served(server: Server, path: str) -> None:
    secret = server.site.parent.parent / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    (server.site / "inside.txt").write_text("part of the site", encoding="utf-8")
    (server.site / "outside.txt").symlink_to(secret)  # a link out of the site
    try:
        assert server.get("/inside.txt").read() == b"part of the site"
        response = server.get(path)
        assert response.status == 404 and b"not for the web" not in response.read()
    finally:
        (server.site / "outside.txt").unlink()
        (server.site / "inside.txt").unlink()


def test_a_request_for_another_host_or_from_another_site_is_refused(server: Server) -> None:
    assert server.get("/article.html", Host=f"attacker.example:{server.port}").status == 421
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("POST", "/_edition/pdf", headers={
        "Host": f"127.0.0.1:{server.port}", "Origin": "http://attacker.example"})
    assert connection.getresponse().status == 403


def test_only_a_save_of_a_file_the_site_is_made_from_rebuilds_it(tmp_path: Path) -> None:
    from tei_edition.serve import Builder
    from tei_edition.writers import STYLES

    article = small_edition(tmp_path)
    edition = article.parent
    builder = Builder(article, tmp_path / "build")
    builder.build_site()
    assert builder.state.generation == 1 and builder.state.problems == []
    assert builder.concerns([article])
    assert builder.concerns([edition / "places.xml"])  # a register the article points to
    assert builder.concerns([STYLES / "web.css"])
    assert not builder.concerns([edition / "notes.txt", edition / "sources" / "draft.xml"])

    article.write_text("<TEI", encoding="utf-8")
    builder.build_site()
    assert builder.state.generation == 1
    assert builder.state.problems[0].startswith(f"{article}:1:")
    assert (tmp_path / "build" / "html" / "article.html").is_file()  # the last good site
    assert builder.concerns([edition / "notes.txt"])  # the fix may be anywhere


def test_an_edition_that_never_built_shows_why_on_its_first_page(tmp_path: Path) -> None:
    small_edition(tmp_path).write_text("<TEI>", encoding="utf-8")
    with running(tmp_path) as server:
        page = server.get("/").read().decode()
        assert "has not been built yet" in page and "/_edition/live.js" in page
        events = server.get("/_edition/events")
        assert events.getheader("Content-Type") == "text/event-stream"
        assert events.readline() == b"event: state\n"
        state = json.loads(events.readline().decode().removeprefix("data: "))
        assert state["generation"] == 0
        assert state["problems"][0].startswith("edition/article.xml:1:")


def serve_and_fail(*args: object) -> subprocess.CompletedProcess:
    """`edition serve ARGS…` expected to stop at once (a server that starts would time out)."""
    return subprocess.run([sys.executable, "-m", "tei_edition.cli", "serve", *map(str, args)],
                          capture_output=True, text=True, timeout=60)


def test_a_missing_file_or_a_busy_port_is_a_one_line_error(tmp_path: Path) -> None:
    result = serve_and_fail(tmp_path / "missing.xml", "--port", "0")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "missing.xml" in result.stderr and "no such file" in result.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = serve_and_fail(small_edition(tmp_path), "--port", busy.getsockname()[1],
                                "-o", tmp_path / "build")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "cannot serve on 127.0.0.1" in result.stderr and "--port" in result.stderr


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_a_port_out_of_range_is_a_one_line_usage_error(port: str) -> None:
    result = serve_and_fail("--port", port)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr == (f"edition serve: error: --port {port}: a port is a number from 0 "
                             "to 65535 (0: any free one)\n")


def state_events(server: Server) -> Iterator[dict]:
    """The states the server announces, as they come (the first: the state now); a rebuild
    on a busy machine may take longer than a page's request is given."""
    for line in server.get("/_edition/events", timeout=120):
        if line.startswith(b"data: "):
            yield json.loads(line.decode().removeprefix("data: "))


def first_state(states: Iterator[dict], condition: Callable[[dict], bool]) -> dict:
    return next(state for state in states if condition(state))


def test_a_register_deleted_then_restored_is_watched_again(tmp_path: Path) -> None:
    """Deleting a register stops the build (it is an error); restoring it builds again, and
    a later save of it still rebuilds: the watcher does not lose it."""
    small_edition(tmp_path)
    register = tmp_path / "edition" / "places.xml"
    text = register.read_text(encoding="utf-8")
    with running(tmp_path) as server:
        states = state_events(server)
        built = next(states)
        assert built["generation"] == 1 and built["problems"] == []
        register.unlink()
        failed = first_state(states, lambda state: state["problems"] != [])
        assert "places.xml, which does not exist" in failed["problems"][0]
        register.write_text(text, encoding="utf-8")
        restored = first_state(states, lambda state: state["problems"] == [])
        assert restored["generation"] == 2
        register.write_text(text.replace("</listPlace>", "</listPlace>\n"), encoding="utf-8")
        edited = first_state(states, lambda state: state["generation"] == 3)
        assert edited["problems"] == []
