"""The EPUB writer: the same semantic HTML, packaged as EPUB 3 by pandoc (which reads it in
parts: pandoc_parts.py).

An e-book shows one reading, the normalised one, so the writer starts from `reading_copy`, gives
pandoc markup it understands (headings typed with `epub:type`, the apparatus and references as
labelled entries rather than numbered lists, no witness line numbers the book never shows), then
leaves to pandoc what pandoc does: notes (`doc-noteref`/`doc-endnotes`) become EPUB footnotes,
headings become the nav and the chapters, metadata from the teiHeader fills the package document
(with schema.org accessibility metadata), and the fonts shipped in styles/fonts are embedded.
What pandoc leaves undone is finished in the package (epub_package.py).
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
import uuid
from pathlib import Path

import lxml.html
from lxml import etree
from PIL import Image, ImageDraw, ImageFont

from ..atomic import atomic_path
from ..html import Document, Metadata
from ..reference_list import link_references_back
from ..resources import file_path
from . import (
    FONTS,
    STYLES,
    BuildOptions,
    build_date,
    captions_after_their_paragraphs,
    date_the_output,
    label_figures_not_reproduced,
    pandoc_parts,
    reading_copy,
)
from .epub_package import READS, finish_package
from .epub_styles import drop_unused_markup
from .fonts import subset_fonts

COVER_SIZE = (1600, 2400)
ACCESSIBILITY_SUMMARY = (
    "The text is fully textual and in reading order, with a navigable table of contents, "
    "structured headings, footnotes linked both ways, and the apparatus, registers and "
    "bibliography as linked back matter. The cover is an image of the title, which the title "
    "page gives as text; a map, where the edition has one, has a text alternative, and its "
    "places are named in words beside it."
)
# Of HTML in one chapter file: the 300 kB older reading systems (Adobe's) took at most in one
# content document, still the usual advice to producers for a file a reader opens and paginates.
LONGEST_CHAPTER = 300_000
# The EPUB's one stylesheet: its own, then the phrase renderings every format shares.
STYLESHEETS = ("epub.css", "phrase-rendering.css")


def epub_stylesheet() -> str:
    return "".join((STYLES / name).read_text(encoding="utf-8") for name in STYLESHEETS)


def write_epub(document: Document, output: Path, options: BuildOptions) -> None:
    """Write `output` as EPUB 3 (atomically: a failed build leaves the old file). The writer
    takes the document for its own: its tree is emptied once the writer has its copy."""
    html = for_pandoc(document)
    document.html.clear()  # pandoc runs beside none of the book in Python (150 MB of a 3 MB TEI)
    with tempfile.TemporaryDirectory(prefix="edition-epub-") as work:
        folder = Path(work)
        stylesheet = folder / "epub.css"
        stylesheet.write_text(epub_stylesheet(), encoding="utf-8")
        metadata_file = folder / "metadata.json"
        metadata_file.write_text(json.dumps(package_metadata(document.metadata)),
                                 encoding="utf-8")
        cover = folder / "cover.png"
        draw_cover(document.metadata, cover)
        drawings_as_image_files(html, folder)
        fonts = subset_fonts("".join(html.itertext()), folder / "fonts", None)
        level = chapter_level(html)
        parts = pandoc_parts.write_parts(html, folder)
        del html  # the book is in the parts: pandoc runs beside what the document alone holds
        pandoc_parts.give_back_freed_memory()
        with atomic_path(output, suffix=".epub", product="the EPUB") as temporary:
            pandoc_parts.run_pandoc(parts, "epub3", temporary, [
                f"--metadata-file={metadata_file}", f"--epub-cover-image={cover}",
                f"--css={stylesheet}", *(f"--epub-embed-font={font}" for font in fonts),
                f"--split-level={level}", "--toc", "--toc-depth=3"])
            finish_package(temporary)


def for_pandoc(document: Document) -> lxml.html.HtmlElement:
    """The reading copy without what pandoc makes itself (title page, contents, authors from
    the head), and each article's title a top-level heading so that pandoc makes every article
    a chapter of its own. Pandoc numbers the notes 1, 2, 3… itself: each note keeps its label,
    and its number (`data-note-number`) where the label says more ("probably 3"), which the
    package gets back (epub_package.py). What the book does not use goes last
    (epub_styles.drop_unused_markup)."""
    html = reading_copy(document)
    date_the_output(html, "This EPUB was made on")
    captions_after_their_paragraphs(html)  # not read in the middle of a sentence
    label_figures_not_reproduced(html)
    named_by_their_headings(html)
    link_references_back(html)
    for selector in ("title-page", "toc"):
        for element in html.find_class(selector):
            element.drop_tree()
    # an empty <meta> would become an empty dc: element, which EPUBCheck refuses
    for element in [*html.xpath("//head/meta[@name='author' or "
                                "(@content and not(normalize-space(@content)))]"),
                    *html.xpath("//section[@role='doc-endnotes']/h3")]:
        element.drop_tree()
    notes = set(html.xpath("//li[@id][ancestor::section[@role='doc-endnotes']]/@id"))
    called: set[str] = set()
    for link in html.iter("a"):
        target = link.get("href", "")[1:]
        if target not in notes or link.get("role") == "doc-backlink":
            continue
        if link.get("role") == "doc-noteref" and target not in called:
            called.add(target)
            continue
        # pandoc renames the notes: a cross-reference to one names it, and the package
        # links it to the note pandoc made (epub_package.link_note_references); a second call
        # of one note (the "37–38" that calls 37 and 38 share) is such a reference, where
        # pandoc would set the note's text twice
        link.tag = "span"
        if link.attrib.pop("role", None):  # pandoc's note leads back to the first call only
            link.attrib.pop("id", None)
        link.set("data-note-ref", link.attrib.pop("href")[1:])
    first_calls: dict[str, str] = {}  # a note's number as its first call has it: 37 of "37-38"
    for call in html.iterfind(".//a[@role='doc-noteref'][@data-n]"):
        first_calls.setdefault(call.get("href", "")[1:], call.get("data-n"))
    referenced = set(html.xpath("//@data-note-ref"))
    for label in html.find_class("footnote-number"):
        note = label.getparent()
        number = first_calls.get(note.get("id", ""), note.get("data-n", label.text_content()))
        if number != label.text_content():  # "probably 3", "37–38": its call shows the number
            label.set("data-note-number", number)
        if note.get("id") in referenced:  # which note it was, for a cross-reference to it
            label.set("data-note", note.get("id"))
    for wrapper in [*html.iter("main", "article"), *html.find_class("article-header")]:
        wrapper.drop_tag()
    for image in html.iter("img"):
        image.set("src", str(file_path(image.get("src", ""))))
    type_headings(html)
    entries_not_lists(html)
    no_line_numbers(html)
    permalinks = html.xpath("//p/@id")  # a paragraph's address (permalinks.py) stays its own
    for paragraph in html.xpath("//p[@class or @id]"):
        # pandoc's paragraphs have no attributes: class and id (the paragraph's permalink) go to
        # a div around the paragraph; a paragraph of the text is a "paragraph" (epub.css).
        wrapper = paragraph.makeelement("div", {
            "class": paragraph.attrib.pop("class", "paragraph"),
            **({"id": paragraph.attrib.pop("id")} if "id" in paragraph.attrib else {})})
        paragraph.addprevious(wrapper)
        wrapper.append(paragraph)
    drop_unused_markup(html, epub_stylesheet(), READS, permalinks)
    return html


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def named_by_their_headings(html: lxml.html.HtmlElement) -> None:
    """A part named by its heading (`aria-labelledby`) is given the heading's words instead
    (`aria-label`): pandoc moves a heading's id to a section of its own, and the reference
    then named the part by all its text (EPUB review: the chronology, the map)."""
    for part in html.xpath("//*[@aria-labelledby]"):
        names = [html.get_element_by_id(name, None)
                 for name in part.get("aria-labelledby").split()]
        if names and all(name is not None and name.tag in HEADINGS for name in names):
            part.set("aria-label", " ".join(" ".join(name.text_content().split())
                                            for name in names))
            del part.attrib["aria-labelledby"]


def chapter_level(html: lxml.html.HtmlElement) -> int:
    """The heading level pandoc cuts the book into chapter files at: each article (a top-level
    heading, h2) a file with its notes, or, when an article's HTML passes `LONGEST_CHAPTER`,
    each of its sections (h3) as well, every file ending with its own notes. A file of
    megabytes is slow to open in a reading system, and pandoc writes each file whole in
    memory: a 3 MB TEI in one article (7 MB of XHTML, 13,000 notes) was some 100 MB of its
    peak. Pandoc's split level holds for the whole book: every article is cut at its sections
    then (the FRUS monograph, 2.7 MB in one article, by its chapters)."""
    longest = chapter = 0
    for block in html.find("body"):
        if block.tag == "h2" or block.find(".//h2") is not None:
            chapter = 0
        chapter += len(lxml.html.tostring(block, encoding="utf-8"))
        longest = max(longest, chapter)
    return 3 if longest > LONGEST_CHAPTER else 2


SVG_NS = "http://www.w3.org/2000/svg"


def drawings_as_image_files(html: lxml.html.HtmlElement, folder: Path) -> None:
    """Each inline SVG drawing (the map of places) as an SVG file shown by an <img>: pandoc's
    HTML reader would drop its namespace and lowercase its viewBox. Links inside a drawing
    lead nowhere from an image, so they go; the drawing's title becomes the image's text."""
    for number, drawing in enumerate(list(html.iter("svg")), start=1):
        standalone = copy.deepcopy(drawing)
        for link in list(standalone.iter("a")):
            for title in link.findall("title"):
                link.remove(title)
            link.drop_tag()
        # The HTML tree has no namespaces: the SVG namespace is declared on the root as written.
        markup = etree.tostring(standalone, encoding="unicode").replace(
            "<svg", f'<svg xmlns="{SVG_NS}"', 1)
        file = folder / f"drawing-{number}.svg"
        file.write_bytes(etree.tostring(etree.fromstring(markup), xml_declaration=True,
                                        encoding="UTF-8"))
        image = drawing.makeelement("img", {"src": str(file), "alt": drawing.findtext("title"),
                                            "class": drawing.get("class", "")})
        image.tail = drawing.tail
        drawing.getparent().replace(drawing, image)


# Headings whose chapter is not body matter, and the epub:type pandoc gives their chapter.
HEADING_TYPES = {"imprint-heading": "imprint", "note-on-the-text-heading": "preface",
                 "index-of-names": "index"}


def type_headings(html: lxml.html.HtmlElement) -> None:
    """The imprint and the Note on the text are front matter, the index of names back matter:
    pandoc types a chapter by the `epub:type` of its first heading, which the attributes of
    their own sections would hide."""
    for wrapper in html.xpath("//section[@id='imprint' or @id='note-on-the-text']"):
        wrapper.attrib.clear()
    for anchor, kind in HEADING_TYPES.items():
        for element in html.xpath(f"//*[@id='{anchor}']"):
            heading = element if element.tag in ("h1", "h2") else element.find(".//h2")
            if heading is not None:
                heading.set("epub:type", kind)


def entries_not_lists(html: lxml.html.HtmlElement) -> None:
    """The apparatus (keyed a, b, c…) and the references (labelled [1], [2]…) carry their own
    labels: as lists, a reading system would number them a second time ("1. a l. 5 …"). An
    index entry begins with its headword: as a list item it would get a bullet, and pandoc
    would drop the classes epub.css sets it with a hanging indent by."""
    for listing in [*html.find_class("apparatus-list"), *html.find_class("references"),
                    *html.find_class("register-entries")]:
        listing.tag = "div"
        for item in listing.iterchildren("li"):
            item.tag = "div"
            item.set("class", f"{item.get('class', '')} entry".strip())


def no_line_numbers(html: lxml.html.HtmlElement) -> None:
    """The book shows no witness lines, so no "l. 5": an apparatus entry's lemma links to its
    place, an index entry's occurrences are numbered in each article (1, 2, 3)."""
    for place in html.find_class("app-place"):
        lemma = place.getnext()
        if lemma is not None and "lemma" in lemma.classes:
            place.tail, lemma.tail = lemma.tail, None
            place[:] = [lemma]
        else:
            place[:] = []
            place.text = "text"
    for group in html.find_class("occurrence-group"):
        for number, occurrence in enumerate(group.find_class("occurrence"), start=1):
            occurrence.text = str(number)
    for line in html.find_class("chronology-line"):  # the article's title links there alone
        line.drop_tree()


def package_metadata(metadata: Metadata) -> dict[str, object]:
    """Pandoc's EPUB metadata fields, from the teiHeader; a field the header leaves empty is
    left out (EPUBCheck refuses an empty dc:date, dc:rights or dc:description)."""
    creators = [{"role": "author", "text": author} for author in metadata.authors]
    creators += [{"role": "editor", "text": editor} for editor in metadata.editors]
    fields = {
        "title": [{"type": kind, "text": text} for kind, text in
                  (("main", metadata.title), ("subtitle", metadata.subtitle)) if text],
        "creator": creators,
        "lang": metadata.language,
        "identifier": [{"text": book_identifier(metadata)}],
        "date": publication_date(metadata),
        "publisher": metadata.publisher,
        "rights": f"{metadata.licence} {metadata.licence_url}".strip(),
        "description": metadata.subtitle,
        "source": "; ".join(filter(None, metadata.sources)),
        "accessModes": ["textual", "visual"],  # the cover and a map are seen (EPUB review)
        "accessModeSufficient": ["textual"],  # each also said in words
        "accessibilityFeatures": ["readingOrder", "structuralNavigation", "tableOfContents",
                                  "displayTransformability"],
        "accessibilityHazards": ["none"],
        "accessibilitySummary": ACCESSIBILITY_SUMMARY,
    }
    return {name: value for name, value in fields.items() if value}


def book_identifier(metadata: Metadata) -> str:
    """A registered URN that stays the same from build to build: a name-based UUID (version 5)
    of the edition's own identifier, or of its title where the header gives none."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, metadata.identifier or metadata.title)}"


def publication_date(metadata: Metadata) -> str:
    """The edition's date when the teiHeader gives a full one, else the day this book was made."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", metadata.date):
        return metadata.date
    return build_date().date().isoformat()


def draw_cover(metadata: Metadata, target: Path) -> None:
    """A typographic cover in the edition's fonts: title, subtitle, authors."""
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, (255, 253, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, width - 60, height - 60), outline=(122, 46, 18), width=6)
    y = 520
    for text, font_name, size, colour in (
        (metadata.title, "LinLibertine_R.otf", 104, (29, 29, 27)),
        (metadata.subtitle, "LinLibertine_RI.otf", 62, (29, 29, 27)),
        (", ".join(metadata.authors), "LinBiolinum_R.otf", 60, (122, 46, 18)),
    ):
        font = ImageFont.truetype(str(FONTS / font_name), size)
        for line in wrap(draw, text, font, width - 320):
            line_width = draw.textlength(line, font=font)
            draw.text(((width - line_width) / 2, y), line, font=font, fill=colour)
            y += int(size * 1.3)
        y += 140
    image.save(target, format="PNG", optimize=True)


def wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
         width: int) -> list[str]:
    """Greedy line breaking by measured width (for the few lines of the cover)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
