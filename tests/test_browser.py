"""The web edition in a real browser: Debian's headless Chromium driven by playwright.

The test starts the browser itself (playwright's own browser download is not reachable; Debian's
/usr/bin/chromium is used with the flags TOOLCHAIN.md found necessary here) and reads the site from
disk (file:// URLs), as a reader without a server would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")

# The first choice of the Kars article whose witness reads "Nakhichevan", as seen in each view.
WITNESS_CHOICE = """() => [...document.querySelectorAll('.choice')].find(
    c => [...c.querySelectorAll('.only-diplomatic')].some(s => s.textContent === 'Nakhichevan'))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tei_edition.cli import main

    output = tmp_path_factory.mktemp("site") / "html"
    assert main(["build", "html", "-o", str(output)]) == 0
    return output


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per module; playwright gives it a fresh temporary profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A page in a fresh context (own storage), collecting console errors and warnings."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda exception: problems.append(str(exception)))
    page.problems = problems
    yield page
    context.close()


def url(site: Path, name: str) -> str:
    return (site / name).as_uri()


def test_view_switch_shows_the_witness_form_and_is_remembered(site: Path, page: object) -> None:
    page.goto(url(site, "treaty-of-kars.html"))
    choice = page.evaluate_handle(WITNESS_CHOICE).as_element()
    assert choice is not None, "no choice with the witness form Nakhichevan in the Kars article"
    assert choice.inner_text() == "Nakhchivan"

    page.click("label[for=view-diplomatic]")
    assert choice.inner_text() == "Nakhichevan"
    choice.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kars-diplomatic.png"))

    # Another page opens in the view the reader chose.
    page.click(".site-nav a[href='nakhchivan-autonomy.html']")
    page.wait_for_load_state()
    assert page.is_checked("#view-diplomatic")
    assert page.locator(".fw").first.is_visible()  # the magazine's running heads are witness
    page.click("label[for=view-normalised]")
    assert not page.locator(".fw").first.is_visible()
    assert page.problems == []


def test_switch_works_without_javascript(site: Path, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html"))
    assert page.is_checked("#view-normalised")
    witness = page.locator(".only-diplomatic", has_text="Nakhichevan").first
    assert not witness.is_visible()
    page.click("label[for=view-diplomatic]")
    assert witness.is_visible()
    context.close()


def test_citation_leads_to_its_bibliography_entry(site: Path, page: object) -> None:
    page.goto(url(site, "nakhchivan-autonomy.html"))
    citation = page.locator("a.biblioref").first
    number = citation.inner_text()
    citation.click()
    target = page.locator(":target")
    assert target.count() == 1
    assert target.evaluate("e => e.closest('[role=doc-bibliography]') !== null")
    assert target.is_visible() and target.bounding_box()["y"] < 900
    assert f"[{number}]" in target.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "bibliography-entry.png"))
    assert page.problems == []


def test_name_leads_to_its_register_entry_and_back(site: Path, page: object) -> None:
    page.goto(url(site, "treaty-of-kars.html"))
    name = page.locator("a.name[data-ref='persons.xml#shahtakhtinsky']").first
    occurrence = name.get_attribute("id")
    name.click()
    page.wait_for_load_state()
    assert page.url.endswith("index-of-names.html#person-shahtakhtinsky")
    entry = page.locator(":target")
    assert entry.is_visible()
    assert entry.inner_text().startswith("Shahtakhtinsky, Behbud Agha (1881–1924)")
    page.screenshot(path=str(SCREENSHOTS / "register-entry.png"))
    # The entry lists the occurrence we came from, and leads back to it.
    entry.locator(f"a.occurrence[href='treaty-of-kars.html#{occurrence}']").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"treaty-of-kars.html#{occurrence}")
    assert page.problems == []


def test_apparatus_mark_shows_its_entry_on_hover_and_leads_to_it(site: Path, page: object) -> None:
    page.goto(url(site, "treaty-of-kars.html"))
    mark = page.locator("a.app-mark").first
    popup = mark.locator(".app-popup")
    assert not popup.is_visible()
    mark.hover()
    assert popup.is_visible() and " ] " in popup.inner_text()
    mark.click()
    entry = page.locator(":target")
    assert entry.evaluate("e => e.closest('.apparatus') !== null")
    assert entry.inner_text().split(" ] ")[0].endswith(popup.inner_text().split(" ] ")[0])
