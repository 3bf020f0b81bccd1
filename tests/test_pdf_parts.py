"""The PDF of a book rendered in parts (writers/pdf_parts.py): the bytes WeasyPrint writes for the
parts joined by `Document.copy`, with only one part's boxes in memory at a time."""

from __future__ import annotations

import gc
import re
import tracemalloc
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
import weasyprint

from tei_edition.writers import pdf_parts
from tei_edition.writers.pdf import bleed_box
from tei_edition.writers.pdf_links import with_links_described

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "styles" / "color" / "FOGRA39L-argyll.icc"
STYLE = """@page { size: A6; margin: 15mm 12mm; @bottom-center { content: counter(page) } }
body { font-family: 'Linux Libertine'; font-size: 10pt; hyphens: auto; text-align: justify }
.fn { float: footnote } ::footnote-call { content: counter(footnote) }
h1, h2 { break-before: page }"""
CMYK = f"@color-profile device-cmyk {{ src: url({PROFILE.as_uri()}); " \
       "components: cyan, magenta, yellow, black } p { color: device-cmyk(0 0 0 1) }"
# A figure whose text alternative reads like a structure element's provisional reference.
DRAWING = ("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'>"
           "<rect width='40' height='20' fill='gray'/></svg>").replace("'", "%27")
SENTENCE = ("The delegation reached the frontier in the late autumn of 1920 and the Government "
            "agreed on the boundary, as the minutes say at length. ")
HEAD = ("<head><title>Parts</title><meta name='author' content='Editor'>"
        "<meta name='dcterms.created' content='2026-12-01T10:00:00Z'>"
        "<meta name='dcterms.modified' content='2026-12-02T10:00:00Z'></head>")


def part_html(number: int, parts: int, pages: int = 2) -> str:
    """One part of a book: the first holds the contents (links into every later part), each
    its heading, notes, a table with headers, a figure, a link back to the first, one to the
    web."""
    contents = "".join(f"<li><a href='#part-{n}'>Part {n}</a></li>" for n in range(parts))
    nav = f"<nav><h1 id='contents'>Contents</h1><ul>{contents}</ul></nav>" if number == 0 else ""
    text = "".join(
        f"<p id='p{number}-{n}'>{SENTENCE}<span class='fn'>Note {number}.{n}.</span> "
        f"{SENTENCE * 3} <a href='#contents'>contents</a>, <a href='#p{number}-0'>above</a>, "
        f"<a href='https://example.org/{number}'>source</a>. {SENTENCE * 2}</p>"
        for n in range(pages * 3))
    table = ("<table><thead><tr><th>Year</th><th scope='col'>Place</th></tr></thead><tbody>"
             f"<tr><td>1920</td><td>Kars {number}</td></tr>"
             "<tr><th scope='row'>1921</th><td>Moscow</td></tr></tbody></table>")
    figure = (f"<img src='{DRAWING}' alt='Plan 1000000000001 0 R of the frontier, {number}'>")
    return (f"<html lang='en'>{HEAD}<body><section id='part-{number}'>{nav}"
            f"<h2>Part {number}</h2><h3 id='sub-{number}'>Section</h3>{table}{figure}{text}"
            "</section></body></html>")


def rendered(html: str, rendering: dict[str, object]) -> weasyprint.document.Document:
    profiles: dict[str, object] = {}
    styles = [weasyprint.CSS(string=STYLE)]
    if rendering.get("pdf_variant") == "pdf/x-4":
        styles.append(weasyprint.CSS(string=CMYK, color_profiles=profiles))
    return weasyprint.HTML(string=html, base_url=str(ROOT)).render(
        stylesheets=styles, color_profiles=profiles, **rendering)


def book_html(parts: int) -> lxml.html.HtmlElement:
    """The whole book as one HTML, as the links' finisher reads it."""
    bodies = "".join(lxml.html.tostring(lxml.html.fromstring(part_html(n, parts)).find("body"),
                                        encoding="unicode")[6:-7] for n in range(parts))
    return lxml.html.fromstring(f"<html lang='en'><body>{bodies}</body></html>")


def inflated(pdf: bytes) -> bytes:
    """The PDF's streams (object streams too) decompressed, its dictionaries readable."""
    return b"\n".join(zlib.decompress(stream) for stream in re.findall(
        rb"/FlateDecode/Length \d+>>\nstream\n(.*?)\nendstream", pdf, re.DOTALL))


VARIANTS = [None, "pdf/x-4", "pdf/a-3b"]


@pytest.mark.parametrize("parts", [1, 3])
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_parts_make_the_pdf_of_their_copy(tmp_path: Path, parts: int,
                                              variant: str | None) -> None:
    """Byte for byte the PDF of the first part's copy of every page (tagged, bookmarks, a
    contents linked into later parts, notes, tables, the variant's metadata), with the
    edition's finishers: the links described, and the press's boxes and document ID."""
    rendering = {"pdf_variant": variant, "pdf_tags": True}
    finisher = with_links_described(book_html(parts), bleed_box(3 if variant else None))
    documents = [rendered(part_html(n, parts), rendering) for n in range(parts)]
    assert sum(len(document.pages) for document in documents) >= 2 * parts + 1
    documents[0].copy([page for document in documents for page in document.pages]).write_pdf(
        tmp_path / "copy.pdf", finisher=finisher, **rendering)
    pdf_parts.write_pdf_in_parts(
        (rendered(part_html(n, parts), rendering) for n in range(parts)),
        tmp_path / "parts.pdf", finisher=finisher, **rendering)
    written = (tmp_path / "parts.pdf").read_bytes()
    assert written == (tmp_path / "copy.pdf").read_bytes()
    objects = inflated(written)
    assert objects.count(b"/Dest (part-") == parts  # the contents lead into the later parts
    assert b"/Outlines" in objects and objects.count(b"/StructParent ") > 5 * parts


def test_a_part_s_boxes_are_gone_before_the_next_is_rendered(tmp_path: Path) -> None:
    boxes: list[weakref.ref] = []
    alive_when_asked: list[bool] = []

    def parts() -> Iterator[weasyprint.document.Document]:
        for number in range(3):
            alive_when_asked.extend(box() is not None for box in boxes)
            document = rendered(part_html(number, 3), {"pdf_tags": True})
            boxes.append(weakref.ref(document.pages[-1]._page_box))
            yield document

    pdf_parts.write_pdf_in_parts(parts(), tmp_path / "parts.pdf", pdf_tags=True)
    assert len(boxes) == 3 and alive_when_asked == [False] * 3


def kept_after_drawing(parts: int) -> tuple[int, int]:
    """The pages of a book of `parts` parts (each rendered when the writer asks for it) and the
    bytes of Python memory still allocated once they are drawn, before the PDF is written."""
    gc.collect()
    tracemalloc.start()
    try:
        book, _pdf = pdf_parts.generate_pdf(
            (rendered(part_html(n, parts, pages=3), {"pdf_tags": True}) for n in range(parts)),
            pdf_parts.written_options({"pdf_tags": True}))
        gc.collect()
        return len(book.pages), tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


def test_a_drawn_page_keeps_only_what_the_pdf_needs() -> None:
    """Its content (one string), structure elements (written out), annotations, anchors: some
    40 kB a page of these small pages, whose every line is tagged (its boxes kept: 350 kB)."""
    rendered(part_html(0, 1, pages=1), {})  # the caches of a first rendering filled
    (few, kept_by_few), (more, kept_by_more) = kept_after_drawing(1), kept_after_drawing(2)
    assert more > few + 5
    assert (kept_by_more - kept_by_few) / (more - few) < 100_000


def test_a_link_to_no_anchor_is_reported(tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint's error, as for a whole document; the link is left leading nowhere."""
    lost = part_html(0, 1).replace("#contents", "#nowhere")
    pdf_parts.write_pdf_in_parts([rendered(lost, {})], tmp_path / "parts.pdf")
    assert "No anchor #nowhere for internal URI reference" in caplog.text
    assert b"nowhere" not in inflated((tmp_path / "parts.pdf").read_bytes())


def test_another_weasyprint_writes_the_copy(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Not read against another version, the writer joins the parts by `copy`."""
    monkeypatch.setattr(pdf_parts, "WEASYPRINT_VERSION", "71.0")
    monkeypatch.setattr(pdf_parts, "generate_pdf", None)  # it is not called
    for name, documents in (("parts.pdf", [rendered(part_html(n, 2), {}) for n in range(2)]),
                            ("copy.pdf", [rendered(part_html(n, 2), {}) for n in range(2)])):
        if name == "parts.pdf":
            pdf_parts.write_pdf_in_parts(iter(documents), tmp_path / name, pdf_tags=True)
        else:
            documents[0].copy([page for document in documents for page in document.pages]
                              ).write_pdf(tmp_path / name, pdf_tags=True)
    assert (tmp_path / "parts.pdf").read_bytes() == (tmp_path / "copy.pdf").read_bytes()


def test_no_part_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs a part"):
        pdf_parts.write_pdf_in_parts(iter([]), tmp_path / "parts.pdf")
    assert not (tmp_path / "parts.pdf").exists()
