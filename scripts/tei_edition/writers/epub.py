"""The EPUB writer: the same semantic HTML, packaged as EPUB 3 by pandoc (pypandoc).

An e-book shows one reading, the normalised one, so the writer starts from `reading_copy`, then
leaves to pandoc what pandoc does: notes (`doc-noteref`/`doc-endnotes`) become EPUB footnotes,
headings become the nav and the chapters, metadata from the teiHeader fills the package document
(with schema.org accessibility metadata), and the fonts shipped in styles/fonts are embedded.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import lxml.html
import pypandoc
from PIL import Image, ImageDraw, ImageFont

from ..atomic import atomic_path
from ..html import Document, Metadata, serialize
from . import FONTS, STYLES, BuildOptions, date_the_output, reading_copy

COVER_SIZE = (1600, 2400)
ACCESSIBILITY_SUMMARY = (
    "The text is fully textual and in reading order, with a navigable table of contents, "
    "structured headings, footnotes linked both ways, and the apparatus, registers and "
    "bibliography as linked back matter. There are no images of text."
)


def write_epub(document: Document, output: Path, options: BuildOptions) -> None:
    """Write `output` as EPUB 3 (atomically: a failed build leaves the old file)."""
    html = for_pandoc(document)
    with tempfile.TemporaryDirectory(prefix="edition-epub-") as work:
        folder = Path(work)
        metadata_file = folder / "metadata.json"
        metadata_file.write_text(json.dumps(package_metadata(document.metadata)),
                                 encoding="utf-8")
        cover = folder / "cover.png"
        draw_cover(document.metadata, cover)
        with atomic_path(output, suffix=".epub") as temporary:
            pypandoc.convert_text(
                serialize(html).decode("utf-8"), "epub3", format="html",
                outputfile=str(temporary),
                extra_args=[
                    f"--metadata-file={metadata_file}",
                    f"--epub-cover-image={cover}",
                    f"--css={STYLES / 'epub.css'}",
                    *(f"--epub-embed-font={font}" for font in sorted(FONTS.glob("*.otf"))),
                    "--split-level=2", "--toc", "--toc-depth=3",
                ],
            )


def for_pandoc(document: Document) -> lxml.html.HtmlElement:
    """The reading copy without what pandoc makes itself (title page, contents, note numbers,
    authors from the head), and each article's title a top-level heading so that pandoc makes
    every article a chapter of its own."""
    html = reading_copy(document)
    date_the_output(html, "EPUB")
    for selector in ("title-page", "toc", "footnote-number"):
        for element in html.find_class(selector):
            element.drop_tree()
    # an empty <meta> would become an empty dc: element, which EPUBCheck refuses
    for element in [*html.xpath("//head/meta[@name='author' or "
                                "(@content and not(normalize-space(@content)))]"),
                    *html.xpath("//section[@role='doc-endnotes']/h3")]:
        element.drop_tree()
    notes = set(html.xpath("//section[@role='doc-endnotes']//li/@id"))
    for link in html.iter("a"):
        if link.get("href", "")[1:] in notes and link.get("role") not in ("doc-noteref",
                                                                          "doc-backlink"):
            link.tag = "span"  # pandoc renames the notes: a cross-reference to one is text
            del link.attrib["href"]
    for wrapper in [*html.iter("main", "article"), *html.find_class("article-header")]:
        wrapper.drop_tag()
    for image in html.iter("img"):
        image.set("src", url2pathname(urlparse(image.get("src", "")).path))
    for paragraph in html.xpath("//p[@id]"):
        # pandoc's paragraphs have no id either: the id goes to an anchor at its start
        anchor = paragraph.makeelement("span", {"id": paragraph.attrib.pop("id")})
        anchor.tail, paragraph.text = paragraph.text, None
        paragraph.insert(0, anchor)
    for paragraph in html.xpath("//p[@class]"):
        # pandoc's paragraphs have no attributes: the class goes to a div around the paragraph.
        wrapper = paragraph.makeelement("div", {"class": paragraph.attrib.pop("class")})
        paragraph.addprevious(wrapper)
        wrapper.append(paragraph)
    return html


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
        "identifier": [{"scheme": "URN", "text": f"urn:x-edition:{metadata.identifier}"}]
        if metadata.identifier else None,  # pandoc makes a UUID
        "date": metadata.date,
        "publisher": metadata.publisher,
        "rights": f"{metadata.licence} {metadata.licence_url}".strip(),
        "description": "; ".join(filter(None, metadata.sources)),
        "accessModes": ["textual"],
        "accessModeSufficient": ["textual"],
        "accessibilityFeatures": ["readingOrder", "structuralNavigation", "tableOfContents",
                                  "displayTransformability"],
        "accessibilityHazards": ["none"],
        "accessibilitySummary": ACCESSIBILITY_SUMMARY,
    }
    return {name: value for name, value in fields.items() if value}


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
