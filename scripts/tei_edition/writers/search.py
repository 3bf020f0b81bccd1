"""Full-text search of the static site with Pagefind (from PyPI), which finds the witness's
spellings as well as the regular forms.

Pagefind indexes the text of the pages as written, so the two readings of a choice would run
together ("NakhichevanNakhchivan"). The pages tell it what to read: the text of `main`, not the
witness's side of each choice, but the witness's form as an extra word (`data-witness`) where
the choice is a whole word. The search page (search.html, search.js) lists the results and
leads to the passage: view.js finds the term on the page it opens (`?find=`), switching to the
diplomatic view for a form only the witness has.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html

from ..diagnostics import error
from ..html import html_element
from ..htmlpaths import ElementIndex, with_class

SEARCH_PAGE = "search.html"
SEARCH_SCRIPT = "search.js"
WITNESS_SIDE = with_class("only-diplomatic")


def prepare_for_indexing(main: lxml.html.HtmlElement, parts: ElementIndex) -> None:
    """Mark what Pagefind indexes: the page's text, each whole-word choice's witness form
    (`parts`: the elements of what `main` holds)."""
    main.set("data-pagefind-body", "")
    for element in [*parts.of_class("only-diplomatic"), *parts.of_class("app-popup")]:
        element.set("data-pagefind-ignore", "")
    for choice in parts.of_class("choice"):
        witness = "".join(text for side in WITNESS_SIDE(choice)
                          for text in side.itertext()).strip()
        if witness and " " not in witness and stands_alone(choice):
            choice.set("data-witness", witness)
            choice.set("data-pagefind-index-attrs", "data-witness")


def stands_alone(choice: lxml.html.HtmlElement) -> bool:
    """Whether no letter touches the choice (a whole word, not a part of one)."""
    before = choice.getprevious().tail if choice.getprevious() is not None else (
        choice.getparent().text)
    after = choice.tail
    return not ((before or " ")[-1:].isalpha() or (after or " ")[:1].isalpha())


def search_page(main: lxml.html.HtmlElement) -> None:
    """The search form; search.js shows the results (no script: the form says so)."""
    html_element(main, "h1", "Search")
    form = html_element(main, "form", class_="search-form", role="search")
    html_element(form, "label", "Search the edition (regular and witness spellings)",
                 for_="search-terms")
    html_element(form, "input", type="search", id="search-terms", name="q", autocomplete="off")
    html_element(main, "p", "Searching needs JavaScript and the site served over HTTP.",
                 class_="search-status", role="status")
    html_element(main, "ol", class_="search-results")


def pagefind_command(site: Path) -> list[str]:
    """Pagefind indexing the site in the folder `site` (its index goes to site/pagefind): its
    binary itself, not `python -m pagefind`, a second interpreter that imports asyncio only to
    hand over to it (a tenth of a second)."""
    from pagefind_bin_extended import get_executable

    return [str(get_executable()), "--site", str(site), "--silent"]


@contextmanager
def indexing(site: Path) -> Iterator[None]:
    """Pagefind indexing the pages already written in `site` (its index goes to site/pagefind)
    while the body of the `with` writes what it does not read (styles, scripts, fonts): the
    two share the machine's cores instead of taking turns. Pagefind reads only the *.html
    files, so the body must write none. An error in the body stops Pagefind."""
    with tempfile.TemporaryFile() as said:
        process = subprocess.Popen(pagefind_command(site), stdout=said, stderr=said)
        try:
            yield
        except BaseException:
            process.kill()
            process.wait()
            raise
        if process.wait() != 0:
            said.seek(0)
            message = said.read().decode(errors="replace").strip().splitlines()
            raise error(f"pagefind failed: {message[-1] if message else process.returncode}",
                        code="search-index")
    # Pagefind's own interfaces, which search.js does without (400 KB no page loads).
    for unused in [*(site / "pagefind").glob("pagefind-*ui.*"),
                   site / "pagefind" / "pagefind-highlight.js"]:
        unused.unlink(missing_ok=True)
