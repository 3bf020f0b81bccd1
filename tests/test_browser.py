"""The web edition in a real browser: Debian's headless Chromium driven by playwright.

The test starts the browser itself (playwright's own browser download is not reachable; Debian's
/usr/bin/chromium is used with the flags TOOLCHAIN.md found necessary here) and reads the site from
disk (file:// URLs), as a reader without a server would.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, watched_page

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
    page = watched_page(context)
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


def test_the_tab_key_passes_the_apparatus_not_every_name(site: Path, page: object) -> None:
    """Names are links out of the tab order; marks, notes and citations are in it."""
    page.goto(url(site, "treaty-of-kars.html"))
    stops = page.evaluate("""() => [...document.querySelectorAll('a[href], input, summary')]
        .filter(e => e.tabIndex >= 0 && e.getClientRects().length).map(e => e.className)""")
    assert not [kind for kind in stops if "name" in kind.split()]
    assert {"app-mark", "footnote-ref"} <= {kind.split()[0] for kind in stops if kind}
    page.focus("a.app-mark >> nth=0")
    page.keyboard.press("Tab")
    assert "name" not in page.evaluate("document.activeElement.className").split()


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
    # the entry's lemma, signed by the editors ("l. 5 Sevres edd."), is the popup's
    lemma = popup.inner_text().split(" ] ")[0]
    assert entry.inner_text().split(" ] ")[0].removesuffix(" edd.").endswith(lemma)


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


def test_every_paragraph_and_witness_line_has_a_permalink(site: Path, page: object) -> None:
    page.goto(url(site, "treaty-of-kars.html"))
    ids = page.evaluate("""() => ({
        paragraphs: [...document.querySelectorAll('article section.div p')].map(p => p.id),
        lines: [...document.querySelectorAll('article .lb')].map(l => [l.id, l.dataset.n])})""")
    assert ids["paragraphs"] and all(ids["paragraphs"])
    assert ids["paragraphs"][:2] == ["treaty-of-kars-p1", "treaty-of-kars-p2"]
    numbered = {n for anchor, n in ids["lines"] if anchor == f"treaty-of-kars-l{n}"}
    assert numbered == {n for _, n in ids["lines"]}  # every witness line has its address


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_permalink_opens_at_its_passage_in_the_view_it_names(site: Path, browser: object,
                                                              size: str) -> None:
    context = browser.new_context(**(PHONE if size == "phone" else
                                     {"viewport": {"width": 1366, "height": 900}}))
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html") + "?view=diplomatic#treaty-of-kars-l552")
    assert page.is_checked("#view-diplomatic")
    target = page.locator(":target")
    assert target.get_attribute("id") == "treaty-of-kars-l552"
    # The line's number shows in the margin, the line is on screen, not flush against the top.
    box = target.bounding_box()
    height = page.viewport_size["height"]
    assert 10 < box["y"] < height / 2, box
    # Only the target is marked, not its section: its number in the margin, no bar at the end
    # of the line before (where the line's break stands).
    assert page.evaluate("getComputedStyle(document.querySelector('section.div')).backgroundColor"
                         ) == "rgba(0, 0, 0, 0)"
    assert target.evaluate("e => getComputedStyle(e).borderLeftWidth") == "0px"
    assert target.evaluate("e => getComputedStyle(e, '::after').fontWeight") == "700"
    page.screenshot(path=str(SCREENSHOTS / f"permalink-l552-{size}.png"))

    # The switch writes the view into the address: the address is the permalink to share.
    page.click("label[for=view-normalised]")
    assert "view=normalised" in page.url
    context.close()


def test_a_tap_on_an_apparatus_mark_opens_its_entry_within_the_screen(site: Path,
                                                                      browser: object) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html"))
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    marks = page.locator("a.app-mark")
    assert marks.count() > 20
    assert "Apparatus" in marks.first.get_attribute("aria-label")
    for index in range(marks.count()):
        mark = marks.nth(index)
        mark.scroll_into_view_if_needed()
        mark.tap()
        popup = mark.locator(".app-popup")
        assert popup.is_visible(), f"mark {index} did not open in place"
        box = popup.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (index, box)
        if index == 4:
            page.screenshot(path=str(SCREENSHOTS / "apparatus-tap-phone.png"))
        assert "#" not in page.url  # still in the text, not at the apparatus
        page.keyboard.press("Escape")
        assert not popup.is_visible()
    # A second tap on an open mark leads to its entry in the apparatus.
    marks.last.tap()
    marks.last.tap()
    assert page.url.endswith(marks.last.get_attribute("href"))
    assert page.locator(":target").evaluate("e => e.closest('.apparatus') !== null")
    context.close()


def test_a_tap_on_the_mark_an_open_entry_covers_opens_that_mark(site: Path,
                                                              browser: object) -> None:
    """Mark c's entry opens over the next line, where mark d stands: a tap there reaches d
    (c closes, d opens, the page stays in the text), and a tap in the text closes d."""
    context = browser.new_context(**PHONE)
    page = watched_page(context)
    page.goto(url(site, "treaty-of-kars.html"))
    above, below = (page.locator(f"#treaty-of-kars-l{n}-app-mark") for n in (26, 27))
    above.scroll_into_view_if_needed()
    above.tap()
    assert above.locator(".app-popup").is_visible()
    entry, mark = above.locator(".app-popup").bounding_box(), below.bounding_box()
    x, y = mark["x"] + mark["width"] / 2, mark["y"] + mark["height"] / 2
    assert entry["x"] < x < entry["x"] + entry["width"] and entry["y"] < y < entry["y"] + entry[
        "height"], (entry, mark)  # the entry covers the mark under it
    page.touchscreen.tap(x, y)
    assert below.locator(".app-popup").is_visible()
    assert not above.locator(".app-popup").is_visible()
    assert "#" not in page.url
    page.touchscreen.tap(5, y)  # in the page's margin
    assert not below.locator(".app-popup").is_visible()
    assert page.problems == []
    context.close()


SMALL_LINKS = "a.app-mark, a.footnote-ref, a.footnote-back, a.bib-backlink"


@pytest.mark.parametrize("view", ["normalised", "diplomatic"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("name", ["treaty-of-kars.html", "nakhchivan-autonomy.html"])
def test_small_links_have_a_hit_area_of_24_px(site: Path, browser: object, name: str,
                                              size: str, view: str) -> None:
    """WCAG 2.5.8: a finger or pointer anywhere in the 24×24 px square around an apparatus
    mark, a note call or a back-link hits that link (or, where another small link stands within
    24 px, as the criterion's spacing allows, that one), in either view, while the lines keep
    their spacing (the links' own boxes stay as tall as their text)."""
    context = browser.new_context(**(PHONE if size == "phone" else
                                     {"viewport": {"width": 1366, "height": 900}}))
    page = context.new_page()
    page.goto(url(site, name) + f"?view={view}")
    links, missed, heights = page.evaluate("""(selector) => {
        const links = [...document.querySelectorAll(selector)].filter(
            link => link.getClientRects().length);
        const centre = (link) => { const box = link.getBoundingClientRect();
            return [box.left + box.width / 2, box.top + box.height / 2]; };
        const missed = [], heights = [];
        for (const link of links) {
            link.scrollIntoView({block: 'center'});
            heights.push(link.getBoundingClientRect().height
                         - parseFloat(getComputedStyle(link.parentElement).lineHeight));
            const [x, y] = centre(link);
            const crowded = links.some(other => other !== link
                && Math.hypot(centre(other)[0] - x, centre(other)[1] - y) < 24);
            for (let dx = -11.5; dx <= 11.5; dx += 4.6) {
                for (let dy = -11.5; dy <= 11.5; dy += 4.6) {
                    const hit = document.elementFromPoint(x + dx, y + dy)?.closest('a');
                    if (hit !== link && !(crowded && hit && hit.matches(selector))) {
                        missed.push([link.className, link.getAttribute('href'), dx, dy]);
                    }
                }
            }
        }
        return [links.length, missed, heights]; }""", SMALL_LINKS)
    context.close()
    assert links > 20 and missed == []
    assert max(heights) <= 0.5  # the hit area is drawn over the text: no link is padded to a
    # box taller than its line


def test_every_initial_of_the_index_is_a_24_px_target(site: Path, browser: object) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url(site, "index-of-names.html"))
    boxes = page.evaluate("""() => [...document.querySelectorAll('nav.alphabet a')].map(
        a => [a.textContent, a.getBoundingClientRect().width, a.getBoundingClientRect().height])""")
    context.close()
    assert len(boxes) > 20
    assert [box for box in boxes if box[1] < 24 or box[2] < 24] == []


def test_the_search_box_is_styled_for_a_phone_in_either_theme(site: Path,
                                                             browser: object) -> None:
    """16 px type at least (a phone zooms in on a field with less), a box a thumb can hit, the
    dark theme's colours in the dark theme."""
    for scheme in ("light", "dark"):
        context = browser.new_context(**PHONE, color_scheme=scheme)
        page = context.new_page()
        page.goto(url(site, "search.html"))
        field = page.locator("#search-terms")
        style = field.evaluate("""e => { const s = getComputedStyle(e);
            const theme = getComputedStyle(document.documentElement);
            return [parseFloat(s.fontSize), s.backgroundColor, s.color,
                    theme.getPropertyValue('--popup'), theme.getPropertyValue('--ink')]; }""")
        box = field.bounding_box()
        context.close()
        assert style[0] >= 16 and box["height"] >= 32 and box["width"] >= 300, (style, box)
        assert (style[1], style[2]) == (rgb(style[3]), rgb(style[4])), (scheme, style)
        background = luminance(style[1])
        assert (background < 0.1 if scheme == "dark" else background > 0.9), (scheme, style)


def rgb(hex_colour: str) -> str:
    """A `#rgb` or `#rrggbb` colour as getComputedStyle gives it."""
    digits = hex_colour.strip().lstrip("#")
    digits = "".join(digit * 2 for digit in digits) if len(digits) == 3 else digits
    red, green, blue = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


def luminance(colour: str) -> float:
    """The relative luminance (WCAG) of a computed `rgb(…)` colour."""
    channels = [int(value) / 255 for value in colour[colour.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_on_a_phone_the_navigation_shows_every_part_whole(site: Path, browser: object) -> None:
    """The navigation wraps: every link on screen, none cut at the edge, no sideways scrolling."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html"))
    width = PHONE["viewport"]["width"]
    links = page.evaluate("""() => [...document.querySelectorAll('.site-nav a')].map(a => {
        const box = a.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + 2, box.top + box.height / 2);
        return [a.textContent, box.left, box.right, hit === a || a.contains(hit)]; })""")
    list_width = page.evaluate("[document.querySelector('.site-nav ul').scrollWidth, "
                               "document.querySelector('.site-nav ul').clientWidth]")
    context.close()
    assert [text for text, *_ in links][-1] == "Search"
    assert all(left >= 0 and right <= width and shown for _, left, right, shown in links), links
    assert list_width[0] <= list_width[1]


def test_the_map_takes_the_dark_theme_and_its_names_are_readable_on_a_phone(
        site: Path, browser: object) -> None:
    context = browser.new_context(**PHONE, color_scheme="dark")
    page = context.new_page()
    page.goto(url(site, "map-of-places.html"))
    sea, land, sizes = page.evaluate("""() => {
        const svg = document.querySelector('.place-map-svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [getComputedStyle(svg.querySelector('.map-sea')).fill,
                getComputedStyle(svg.querySelector('.map-country')).fill,
                [...svg.querySelectorAll('text')].map(
                    t => parseFloat(getComputedStyle(t).fontSize) * scale)]; }""")
    context.close()
    assert luminance(sea) < 0.1 and luminance(land) < 0.1, (sea, land)
    assert sizes and min(sizes) >= 11, sizes


@pytest.mark.parametrize("device", [PHONE, {"viewport": {"width": 1366, "height": 900}}],
                         ids=["phone", "desktop"])
def test_the_maps_names_as_drawn_overlap_no_other(site: Path, browser: object,
                                                  device: dict) -> None:
    """The phone review found "Iravan (Yerevan)" over ARMENIA and AZERBAIJAN: the boxes the
    browser gives the map's names (their lines' full height) meet no other, at either size."""
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(url(site, "map-of-places.html"))
    boxes = page.evaluate("""() => [...document.querySelectorAll('.place-map-svg text')].map(
        text => { const box = text.getBBox();
                  return [text.textContent, box.x, box.y, box.x + box.width,
                          box.y + box.height]; })""")
    context.close()
    assert len(boxes) >= 7 + 6 + 1
    assert not [(one[0], other[0]) for one, other in itertools.combinations(boxes, 2)
                if one[1] < other[3] and other[1] < one[3] and one[2] < other[4]
                and other[2] < one[4]]


def test_note_labels_and_apparatus_entries_wrap_as_lists_do(site: Path, browser: object) -> None:
    """On a phone "probably 3" stays one label (no "probably" alone on its line), and an
    apparatus entry that wraps goes on under its text, not under its letter."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html"))
    labels = page.evaluate("""() => [...document.querySelectorAll('.footnote-number')].map(
        label => [label.textContent, label.getBoundingClientRect().height])""")
    hanging = page.evaluate("""() => [...document.querySelectorAll('.apparatus-list li')].map(
        item => {
            const key = item.querySelector('.app-key');
            const range = document.createRange();
            range.selectNodeContents(item);
            range.setStartAfter(key);
            const rects = [...range.getClientRects()].filter(r => r.width > 0);
            const later = rects.filter(r => r.top > rects[0].bottom - 2);
            const start = later.length ? Math.min(...later.map(r => r.left)) : null;
            return start === null ? null : start - key.getBoundingClientRect().right; })
        .filter(indent => indent !== null)""")
    context.close()
    assert "probably 3" in [text.replace("\u00a0", " ") for text, _ in labels]
    assert max(height for _, height in labels) == min(height for _, height in labels), labels
    assert len(hanging) > 3 and min(hanging) >= -1, hanging  # wrapped lines start under the text


def test_print_hides_the_notes_back_links(site: Path, page: object) -> None:
    page.goto(url(site, "treaty-of-kars.html"))
    back = page.locator("a.footnote-back").first
    assert back.is_visible()
    page.emulate_media(media="print")
    assert not back.is_visible()


def test_printing_an_article_starts_its_text_on_the_first_page(site: Path,
                                                               tmp_path: Path) -> None:
    pdf = tmp_path / "kars.pdf"
    subprocess.run([str(CHROMIUM), *FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    url(site, "treaty-of-kars.html")], check=True, capture_output=True,
                   timeout=120)
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                                capture_output=True, text=True, check=True).stdout
    assert "Kars conference: Known and unknown facts" in first_page
    assert "The Russian-Turkish treaty signed in Moscow" in " ".join(first_page.split())


def test_the_citation_box_cites_the_passage_and_view_being_read(site: Path, page: object) -> None:
    address = url(site, "treaty-of-kars.html") + "?view=diplomatic#treaty-of-kars-p3"
    page.goto(address)
    page.click(".cite-box summary")
    assert page.locator(".cite-box .permalink").inner_text() == address
    assert page.locator(".cite-chicago").inner_text().endswith(f"{address}.")
    assert f"url = {{{address}}}" in page.locator(".cite-bibtex").inner_text()
    # A click in another paragraph makes it the passage cited.
    page.locator("#treaty-of-kars-p5").click(position={"x": 5, "y": 5})
    assert page.url.endswith("?view=diplomatic#treaty-of-kars-p5")
    assert page.locator(".cite-box .permalink").inner_text() == page.url
    assert page.problems == []


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site over HTTP, as it is published (a search index cannot be read from file:)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *arguments: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def test_words_typed_while_the_search_index_loads_are_searched(server: str,
                                                               page: object) -> None:
    """A reader who types before Pagefind has loaded gets results: the page listened for
    typing only once it had loaded, and the words typed before were never searched (CI's
    run of 1d35ae2 timed out on that race)."""
    def late(route: object) -> None:
        time.sleep(1.5)
        route.continue_()

    page.route("**/pagefind/pagefind.js", late)
    page.goto(f"{server}search.html", wait_until="domcontentloaded")
    page.fill("#search-terms", "Kars")  # while pagefind.js is on its way
    page.locator(".search-results li").first.wait_for(timeout=15_000)
    page.wait_for_url("**q=Kars*", timeout=5_000)  # and the query is in the address


@pytest.mark.parametrize(("term", "view"), [("Nakhichevan", "diplomatic"),
                                            ("Nakhchivan", "normalised"),
                                            ("Kars", "normalised")])
def test_search_finds_witness_and_regular_spellings_and_leads_to_the_passage(
        server: str, page: object, term: str, view: str) -> None:
    page.goto(f"{server}search.html")
    page.fill("#search-terms", term)
    results = page.locator(".search-results li")
    results.first.wait_for()
    titles = results.locator("a").all_inner_texts()
    assert any(title.lstrip("[").startswith("Kars conference") for title in titles), titles
    assert re.search(f"<mark>\\W?{term}", results.first.locator("p").inner_html())
    results.locator("a", has_text="Kars conference").first.click()
    page.wait_for_load_state()
    target = page.locator(":target")
    assert target.count() == 1 and target.get_attribute("id").startswith("treaty-of-kars-p")
    assert page.is_checked(f"#view-{view}")
    # The term is there, in the view the passage opened in, on screen.
    shown = target.evaluate("""(e, term) => [...e.querySelectorAll('*')].some(
        s => s.checkVisibility() && s.childNodes.length === 1 && s.textContent === term)""", term)
    assert shown or term in target.inner_text()
    # The term is marked where the passage is found, in the view shown (a highlight, the
    # page's text unchanged), every mark on the term and in the passage.
    marked = target.evaluate("""(e) => CSS.highlights.has('find') ? [...CSS.highlights.get('find')]
        .map(range => [range.toString(), e.contains(range.commonAncestorContainer),
                       range.startContainer.parentElement.checkVisibility()]) : []""")
    assert marked and all(text.lower() == term.lower() and inside and visible
                          for text, inside, visible in marked), marked
    box = target.bounding_box()
    assert box["y"] < page.viewport_size["height"]
    # The address is the passage's permalink: the view named, the search term gone; the
    # citation box cites it.
    assert f"view={view}" in page.url and "find=" not in page.url, page.url
    assert page.url.endswith(f"#{target.get_attribute('id')}")
    assert page.locator(".cite-box .permalink").text_content() == page.url
    assert page.problems == []


AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test installs it)")
@pytest.mark.parametrize("name", ["index.html", "treaty-of-kars.html", "index-of-names.html",
                                  "search.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violations(site: Path, browser: object, name: str,
                                      scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme,
                                  bypass_csp=True)  # axe is injected as a script of its own
    page = context.new_page()
    page.goto(url(site, name))
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes:
        ['violations']})).violations.map(v => [v.id, v.nodes.length, v.nodes[0].html])""")
    context.close()
    assert violations == []


def test_an_initial_of_the_index_leads_to_the_first_entry_filed_under_it(site: Path,
                                                                        page: object) -> None:
    page.goto(url(site, "index-of-names.html"))
    letters = page.locator("nav.alphabet[aria-label='Places by initial'] a")
    assert letters.count() > 10
    letters.filter(has_text="M").click()
    target = page.locator(":target")
    assert target.locator(".headword").inner_text().startswith("M")
    previous = target.evaluate("e => e.previousElementSibling?.querySelector('.headword')"
                               "?.textContent ?? ''")
    assert not previous.startswith("M")  # the first entry under M
    assert 0 < target.bounding_box()["y"] < 200


def test_on_a_phone_the_text_begins_in_the_first_half_of_the_screen(site: Path,
                                                                   browser: object) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html"))
    first = page.locator("article section.div p").first.bounding_box()
    assert first["y"] < PHONE["viewport"]["height"] / 2, first
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    context.close()


def site_pages(site: Path) -> list[str]:
    return sorted(path.name for path in site.glob("*.html"))


@pytest.mark.parametrize("view", ["normalised", "diplomatic"])
def test_at_200_percent_zoom_on_a_phone_no_page_scrolls_sideways(site: Path, browser: object,
                                                      view: str) -> None:
    """WCAG 1.4.10 Reflow: at 195 CSS px wide (a 390 px phone at 200 % zoom) every page of the
    site, its citation box open, fits the screen: the view switch wraps, long download names and
    words break, nothing is cut or reached by scrolling sideways."""
    context = browser.new_context(viewport={"width": 195, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    wide = {}
    for name in site_pages(site):
        page.goto(url(site, name) + f"?view={view}")
        overflow = page.evaluate("""() => {
            for (const details of document.querySelectorAll('details')) details.open = true;
            const width = document.documentElement.clientWidth;
            return [document.documentElement.scrollWidth - width,
                    [...document.querySelectorAll('body *')].filter(e => e.getClientRects().length
                        && !e.closest('.app-popup') && e.getBoundingClientRect().right > width + 1)
                    .map(e => `${e.tagName}.${e.className}: ${e.textContent.slice(0, 30)}`)
                    .slice(0, 5)]; }""")
        if overflow[0] > 0 or overflow[1]:
            wide[name] = overflow
    switch = None
    if (site / "treaty-of-kars.html").exists():
        page.goto(url(site, "treaty-of-kars.html"))
        switch = page.evaluate("""() => [...document.querySelectorAll('.view-switch label')]
            .map(label => label.getBoundingClientRect().right)""")
    context.close()
    assert wide == {}
    assert switch and max(switch) <= 195, switch  # "Diplomatic" whole on screen


LINE_LENGTHS = """() => {
    const lengths = [];
    for (const paragraph of document.querySelectorAll('.article section.div p')) {
        const lines = new Map();
        const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            if (!text.parentElement.checkVisibility() || text.parentElement.closest('.app-popup')) {
                continue;
            }
            const range = document.createRange();
            for (let i = 0; i < text.length; i++) {
                range.setStart(text, i);
                range.setEnd(text, i + 1);
                const rect = range.getClientRects()[0];
                if (rect) {
                    const line = Math.round(rect.bottom + window.scrollY);
                    lines.set(line, (lines.get(line) || 0) + 1);
                }
            }
        }
        lengths.push(...[...lines.values()].slice(0, -1));  // a paragraph's last line is short
    }
    return lengths.sort((a, b) => a - b); }"""


@pytest.mark.parametrize("width", [1366, 1024, 768])
@pytest.mark.parametrize("name", ["treaty-of-kars.html", "nakhchivan-autonomy.html"])
def test_the_text_is_set_to_a_readable_measure(site: Path, browser: object, width: int,
                                               name: str) -> None:
    """On a tablet or a wide screen a line of the text holds about 65–75 characters, not the
    95–100 of a 720 px column of 18 px type."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url(site, name))
    lengths = page.evaluate(LINE_LENGTHS)
    context.close()
    median = lengths[len(lengths) // 2]
    assert len(lengths) > 100 and 60 <= median <= 75, (median, lengths[-10:])
    assert lengths[int(len(lengths) * 0.9)] <= 85, lengths[-20:]


def test_the_query_typed_is_kept_in_the_address_and_back_restores_the_results(
        server: str, page: object) -> None:
    """The query goes into the address as the reader types (search.html?q=…, replaced, not a
    page of history per letter), so Back from a result shows the results again."""
    page.goto(f"{server}search.html")
    page.locator("#search-terms").press_sequentially("Kars", delay=30)
    page.wait_for_url("**/search.html?q=Kars", timeout=5000)
    results = page.locator(".search-results li")
    results.first.wait_for()
    count = results.count()
    results.locator("a").first.click()
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_url("**/search.html?q=Kars", timeout=5000)
    assert page.input_value("#search-terms") == "Kars"
    results.first.wait_for()
    assert results.count() == count
    page.go_back()  # the typing left no entries of its own in the history
    assert page.url in ("about:blank", ""), page.url
    assert page.problems == []


def test_an_open_apparatus_entry_hides_the_text_under_it(site: Path, browser: object) -> None:
    """An entry open over the next line paints above it, and covers that line to below its
    names' dotted underlines: none shows through the entry or runs along its lower edge as if
    it underlined the entry's text (the entry and a band 3 px under it look the same with the
    names' underlines drawn or not)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url(site, "treaty-of-kars.html"))
    marks = page.locator("a.app-mark")
    differing = []
    for index in range(marks.count()):
        mark = marks.nth(index)
        for block in ("center", "end"):  # opened below its mark, and above (at the screen's foot)
            mark.evaluate("(mark, block) => mark.scrollIntoView({block})", block)
            mark.tap()
            popup = mark.locator(".app-popup")
            box = popup.bounding_box()
            above = popup.evaluate("e => e.classList.contains('above')")
            clip = {"x": box["x"] + 1, "y": box["y"] - (3 if above else 1),
                    "width": box["width"] - 2, "height": box["height"] + 4}
            shots = []
            for colour in ("", "transparent"):
                page.evaluate("""(colour) => { for (const name of document.querySelectorAll(
                    '.name')) name.style.borderBottomColor = colour; }""", colour)
                shots.append(page.screenshot(clip=clip, animations="disabled"))
            if shots[0] != shots[1]:
                differing.append((mark.get_attribute("id"), block, above))
            page.keyboard.press("Escape")
    count = marks.count()
    context.close()
    assert count > 20 and differing == []


def test_a_query_of_words_apart_leads_to_a_passage_holding_each_and_marks_them(
        site: Path, page: object) -> None:
    """No passage holds "Tiflis Moscow" as a phrase: the first holding both words is opened
    and each word is marked; an apparatus entry's text (hidden in a popup) is not searched."""
    page.goto(url(site, "treaty-of-kars.html") + "?find=Tiflis%20Moscow")
    target = page.locator(":target")
    assert target.count() == 1
    text = target.inner_text().lower()
    assert "tiflis" in text and "moscow" in text
    marked = page.evaluate("[...CSS.highlights.get('find')].map(range => range.toString())")
    assert {word.lower() for word in marked} == {"tiflis", "moscow"}, marked
    # "(error)" stands in a paragraph only in its marks' popups: the passage opened for it is
    # an entry of the apparatus list, not the paragraph holding the first mark.
    page.goto(url(site, "treaty-of-kars.html") + "?find=(error)")
    target = page.locator(":target")
    assert target.count() == 1
    assert target.evaluate("e => e.closest('.apparatus') !== null"), target.inner_text()
    assert page.problems == []
