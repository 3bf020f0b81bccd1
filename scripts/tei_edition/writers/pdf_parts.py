"""One PDF from a book rendered in parts, one part's boxes in memory at a time.

WeasyPrint 70 writes a document by drawing every page, then tagging every page (the structure
tree of a tagged PDF is read from the boxes), so that the boxes of all the pages (some 2.4 MB a
page of the edition, laid out and before) live until the last page is tagged: a book of 1,000
pages set as one rendering, or as parts joined by `Document.copy`, needed 3.7 GB. Here each part
(a rendering of its own: the front matter, an article, the index) is drawn page by page into one
shared PDF, each page tagged right after it is drawn, and its boxes let go before the next part
is asked for: `parts` may be a generator that renders a part only then. What a drawn page keeps
is what the PDF needs: its content stream (joined into one string), its structure elements (as
bytes) and link annotations, its anchors, bookmarks and links: 176 kB a page of the synthetic
text (108 pages, some 600 structure elements each; 40 kB a page of the tests' small pages, whose
boxes took 350 kB).

The PDF is byte for byte the one `parts[0].copy(all the pages).write_pdf(…)` writes, which is
`generate_pdf` of WeasyPrint 70 reshaped:
- the fonts, colour profiles, metadata and output intent are the first part's, as `copy` takes
  them; one fonts dictionary gathers the glyphs of every part;
- an anchor is the first of its name in the book, as `resolve_links` finds it; a link to an
  anchor no part drawn so far holds (a contents entry leads into a later article) is drawn and
  checked at the end. A link whose anchor never comes is reported with WeasyPrint's own error
  (which stops the edition's build: writers/pdf.py writes no PDF WeasyPrint reported an error
  for) and left inert, without a destination; upstream drops it, so only that PDF differs;
- the structure elements come after the fonts in the PDF, where `add_tags` puts them: made with
  each page, they are numbered provisionally and written out (their bytes, not the dictionaries
  and arrays: 518 kB a page of the synthetic text were kept before), and renumbered when they
  are added;
- the finisher is given the book (the first part's `copy` of every page, each page without its
  boxes; a link's box is replaced by what is left of it: its element and its annotation).

Only on the WeasyPrint this was read against; any other version writes the copy as above (the
boxes of every part then live to the end) until this module is checked against it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pydyf
import weasyprint
from tinycss2.color5 import D50, D65
from weasyprint import DEFAULT_OPTIONS, Attachment
from weasyprint.css import ColorProfile
from weasyprint.document import Document, Page
from weasyprint.logger import LOGGER, PROGRESS_LOGGER
from weasyprint.matrix import Matrix
from weasyprint.pdf import VARIANTS, _use_references, _w3c_date_to_pdf
from weasyprint.pdf.anchors import (
    add_annotations,
    add_forms,
    add_links,
    add_outlines,
    write_pdf_attachment,
)
from weasyprint.pdf.fonts import build_fonts_dictionary
from weasyprint.pdf.stream import Stream
from weasyprint.pdf.tags import _build_box_tree
from weasyprint.urls import select_source

WEASYPRINT_VERSION = "70.0"
Finisher = Callable[[Document, pydyf.PDF], None]


def write_pdf_in_parts(parts: Iterable[Document], target: Path | str,
                       finisher: Finisher | None = None, **options: object) -> None:
    """Write the pages of `parts`, in order, as one PDF at `target`: the PDF WeasyPrint writes
    for the first part's `copy` of all the pages, with `finisher` and `options` as
    `Document.write_pdf` takes them. The parts are used up: their pages keep no boxes."""
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        documents = list(parts)
        book = documents[0].copy([page for part in documents for page in part.pages])
        book.write_pdf(target, finisher=finisher, **options)
        return
    options = written_options(options)
    book, pdf = generate_pdf(iter(parts), options)
    if finisher:
        finisher(book, pdf)
    with open(target, "wb") as output:
        pdf.write(output, options["pdf_version"], options["pdf_identifier"],
                  not options["uncompressed_pdf"])


def written_options(options: dict[str, object]) -> dict[str, object]:
    """The options as `Document.write_pdf` completes them: the defaults, then the variant's."""
    for unknown in sorted(set(options) - set(DEFAULT_OPTIONS)):
        LOGGER.error("Unknown PDF option: %s.", unknown)
    completed = {**DEFAULT_OPTIONS, **options}
    if variant := completed["pdf_variant"]:
        _, properties = VARIANTS[variant]
        for key, value in tuple(completed.items()):
            if value is None and key in properties:
                completed[key] = properties[key]
    return completed


@dataclass(slots=True)
class Drawn:
    """What the finisher may read of a link's or a form's box once its page is drawn."""

    element: object
    link_annotation: pydyf.Dictionary | None = None
    widget_annotation: pydyf.Dictionary | None = None


def drawn(box: object) -> Drawn:
    return Drawn(box.element, getattr(box, "link_annotation", None),
                 getattr(box, "widget_annotation", None))


def release_boxes(page: Page) -> None:
    """Let go of the boxes of a drawn page, keeping its links' and forms' elements and
    annotations."""
    page._page_box = None
    page.links = [(kind, target, rectangle, drawn(box))
                  for kind, target, rectangle, box in page.links]
    page.forms = {None if form is None else drawn(form): [(drawn(box), rectangle)
                                                          for box, rectangle in inputs]
                  for form, inputs in page.forms.items()}


# Provisional numbers of the structure elements, above any object number of a real PDF: in a
# reference, or in tags.py's ID of a table's header cell ("element-row-column").
PROVISIONAL = 10 ** 12
PROVISIONAL_NUMBER = re.compile(rb"(?<!\d)(\d{13,})(?= 0 R|-\d+-\d+\))")


class Written(pydyf.Object):
    """A structure element written out once its page is tagged, its references provisional
    until they are renumbered: some 100 bytes, where its dictionary and arrays took a kB."""

    __slots__ = ("data", "number")
    generation = 0
    free = "n"

    def __init__(self, element: pydyf.Dictionary) -> None:
        self.number = element.number
        self.data = element.data


class StructureTree:
    """The tagged PDF's structure tree, grown page by page as `add_tags` builds it, its objects
    kept aside, numbered provisionally, until `add_to` puts them where `add_tags` adds them.

    It stands for the PDF in `tags._build_box_tree`, which asks it for the page's reference and
    to add each structure element. A page's elements are written out once it is tagged (nothing
    changes them after their page), but a figure's, whose text alternative is the author's."""

    def __init__(self, pdf_version: object) -> None:
        self.objects: list[pydyf.Object] = []
        self.page_references: dict[int, bytes] = {}
        self.annotations: list[tuple[bytes, pydyf.Dictionary]] = []
        self.content_mapping = pydyf.Dictionary({})
        self.add_object(self.content_mapping)
        self.root = pydyf.Dictionary({
            "Type": "/StructTreeRoot",
            "ParentTree": self.content_mapping.reference,
        })
        self.add_object(self.root)
        self.document = pydyf.Dictionary({
            "Type": "/StructElem",
            "S": "/Document",
            "K": pydyf.Array(),
            "P": self.root.reference,
        })
        self.add_object(self.document)
        self.root["K"] = pydyf.Array([self.document.reference])
        if str(pdf_version) >= "2.0":  # as add_tags compares it
            namespace = pydyf.Dictionary({
                "Type": "/Namespace",
                "NS": pydyf.String("http://iso.org/pdf2/ssn"),
            })
            self.add_object(namespace)
            self.root["Namespaces"] = pydyf.Array([namespace.reference])
            self.document["NS"] = namespace.reference
        self.content_mapping["Nums"] = pydyf.Array()

    def add_object(self, pdf_object: pydyf.Object) -> None:
        pdf_object.number = PROVISIONAL + len(self.objects)
        self.objects.append(pdf_object)

    def tag(self, page: Page, page_number: int, page_reference: bytes,
            tags: dict[object, dict[str, object]]) -> None:
        """The structure elements of a page just drawn (its marked contents in `tags`)."""
        self.page_references = {page_number: page_reference}
        first = len(self.objects)
        page_nums: dict[int, bytes] = {}
        for element in _build_box_tree(page._page_box, self.document, self, page_number,
                                       page_nums, self.annotations, tags):
            self.document["K"].append(element.reference)
        assert not tags
        self.content_mapping["Nums"].append(page_number)
        self.content_mapping["Nums"].append(pydyf.Array(
            reference for _, reference in sorted(page_nums.items())).data)
        self.objects[first:] = [element if "Alt" in element else Written(element)
                                for element in self.objects[first:]]

    def add_to(self, pdf: pydyf.PDF, pages: int) -> None:
        """Add the tree to `pdf` as `add_tags` does once the `pages` are drawn."""
        for number, (reference, annotation) in enumerate(self.annotations, start=pages):
            self.content_mapping["Nums"].append(number)
            self.content_mapping["Nums"].append(reference)
            annotation["StructParent"] = number
        shift = len(pdf.objects) - PROVISIONAL
        for pdf_object in self.objects:
            pdf.add_object(pdf_object)
            if isinstance(pdf_object, Written):
                pdf_object.data = renumbered(pdf_object.data, shift)
            else:
                renumber(pdf_object, shift)
        pdf.catalog["StructTreeRoot"] = self.root.reference
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        if "Lang" not in pdf.catalog:
            LOGGER.error('Missing required "lang" attribute at the root of the document')
            pdf.catalog["Lang"] = pydyf.String()


def renumbered(data: bytes, shift: int) -> bytes:
    """`data` with its provisional numbers moved by `shift`."""
    return PROVISIONAL_NUMBER.sub(lambda number: b"%d" % (int(number[1]) + shift), data)


def renumber(container: dict | list, shift: int) -> None:
    """Move the provisional references in a structure object not written out by `shift`: the
    values it holds, and those of the dictionaries and arrays it holds (a figure's text
    alternative, a String, left as the author wrote it)."""
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, value in list(items):
        if isinstance(value, bytes):
            container[key] = renumbered(value, shift)
        elif isinstance(value, dict | list):
            renumber(value, shift)


def joined(stream: Stream) -> None:
    """A drawn page's content in one string, as pydyf joins it when it writes the stream: the
    operators drawn one by one held some forty bytes each besides their own."""
    stream.stream = [b"\n".join(pydyf._to_bytes(item) for item in stream.stream)]


def generate_pdf(parts: Iterator[Document],
                 options: dict[str, object]) -> tuple[Document, pydyf.PDF]:
    """WeasyPrint 70's `generate_pdf` for the pages of all the parts, drawn and tagged part by
    part, at write_pdf's zoom of 1; the book (the first part's copy of the drawn pages) and the
    PDF."""
    first = next(parts, None)
    if first is None:
        raise ValueError("a PDF in parts needs a part")
    book = first.copy([])
    scale = 0.75  # 72 PDF points an inch, 96 CSS pixels
    PROGRESS_LOGGER.info("Step 6 - Creating PDF")
    compress = not options["uncompressed_pdf"]
    pdf_tags = options["pdf_tags"]
    variant = options["pdf_variant"]
    if variant:
        variant_function, properties = VARIANTS[variant]
        if "pdf_tags" in properties:
            pdf_tags = properties["pdf_tags"]

    pdf = pydyf.PDF()
    color_space = pydyf.Dictionary({
        "lab-d50": pydyf.Array(("/Lab", pydyf.Dictionary({
            "WhitePoint": pydyf.Array(D50),
            "Range": pydyf.Array((-125, 125, -125, 125)),
        }))),
        "lab-d65": pydyf.Array(("/Lab", pydyf.Dictionary({
            "WhitePoint": pydyf.Array(D65),
            "Range": pydyf.Array((-125, 125, -125, 125)),
        }))),
    })
    if options["output_intent"] == "srgb":
        book.color_profiles["srgb"] = ColorProfile(
            (files("weasyprint.pdf") / "sRGB2014.icc").open("rb"), "sRGB2014.icc",
            "relative-colorimetric", (["r"], ["g"], ["b"]))
    for key, color_profile in book.color_profiles.items():
        profile = pydyf.Stream(
            [color_profile.content],
            pydyf.Dictionary({"N": len(color_profile.components)}),
            compress=compress)
        pdf.add_object(profile)
        color_profile.pdf_reference = profile.reference
        color_space[key] = pydyf.Array(("/ICCBased", profile.reference))
    pdf.add_object(color_space)
    resources = pydyf.Dictionary({
        "ExtGState": pydyf.Dictionary(),
        "XObject": pydyf.Dictionary(),
        "Pattern": pydyf.Dictionary(),
        "Shading": pydyf.Dictionary(),
        "ColorSpace": color_space.reference,
    })
    pdf.add_object(resources)
    drawing = Drawing(pdf, book, resources, scale, compress,
                      StructureTree(options["pdf_version"]) if pdf_tags else None)
    part: Document | None = first
    del first
    while part is not None:
        drawing.draw_part(part)
        part = None
        gc.collect()  # the part's boxes (in cycles: a page and its margin boxes) go now
        part = next(parts, None)
    drawing.check_links_ahead()

    add_outlines(pdf, book.make_bookmark_tree(scale, transform_pages=True))
    attachments = add_metadata(pdf, book, options, compress)
    pdf_fonts = build_fonts_dictionary(pdf, book.fonts, compress, not options["full_fonts"],
                                       options)
    pdf.add_object(pdf_fonts)
    resources["Font"] = pdf_fonts.reference
    _use_references(pdf, resources, drawing.images, book.color_profiles)
    if drawing.names:  # a name tree is sorted
        name_array = pydyf.Array()
        for anchor in sorted(drawing.names):
            name_array.append(pydyf.String(anchor[0]))
            name_array.append(anchor[1])
        if "Names" not in pdf.catalog:
            pdf.catalog["Names"] = pydyf.Dictionary()
        pdf.catalog["Names"]["Dests"] = pydyf.Dictionary({"Names": name_array})
    if drawing.structure is not None:
        drawing.structure.add_to(pdf, len(book.pages))
    add_output_intent(pdf, book, variant)
    if variant:
        variant_function(pdf, book, drawing.streams, attachments, compress)
    return book, pdf


class Drawing:
    """The pages drawn into one PDF so far, and what the book's end needs of them: generate_pdf's
    page loop, each page tagged as soon as it is drawn, its boxes then released."""

    def __init__(self, pdf: pydyf.PDF, book: Document, resources: pydyf.Dictionary,
                 scale: float, compress: bool, structure: StructureTree | None) -> None:
        self.pdf, self.book, self.resources = pdf, book, resources
        self.scale, self.compress, self.structure = scale, compress, structure
        self.images: dict[str, dict[str, object]] = {}
        self.names: list[list[object]] = []
        self.annot_files: dict[str, object] = {}
        self.streams: list[Stream] = []
        self.anchors: set[str] = set()
        self.ahead: list[tuple[str, pydyf.Dictionary | None]] = []  # links to later anchors

    def draw_part(self, part: Document) -> None:
        for page, links_and_anchors in zip(part.pages, resolved_links(part.pages, self.anchors),
                                           strict=True):
            self.draw(page, links_and_anchors)

    def draw(self, page: Page, links_and_anchors: tuple[list, list]) -> None:
        """Draw `page` (its links and the anchors first named on it), tag it, drop its boxes."""
        pdf, book, scale, compress = self.pdf, self.book, self.scale, self.compress
        page_number = len(book.pages)
        tags = {} if self.structure is not None else None
        matrix = Matrix(scale, 0, 0, -scale, 0, page.height * scale)
        page_width = scale * (page.width + page.bleed["left"] + page.bleed["right"])
        page_height = scale * (page.height + page.bleed["top"] + page.bleed["bottom"])
        left = -scale * page.bleed["left"]
        top = -scale * page.bleed["top"]
        right = left + page_width
        bottom = top + page_height
        page_rectangle = (left / scale, top / scale,
                          (right - left) / scale, (bottom - top) / scale)
        stream = Stream(book.fonts, page_rectangle, self.resources, self.images, tags,
                        book.color_profiles, book.output_intent, compress=compress)
        stream.transform(d=-1, f=(page.height * scale))
        pdf.add_object(stream)
        self.streams.append(stream)
        pdf_page = pydyf.Dictionary({
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([left, top, right, bottom]),
            "Contents": stream.reference,
            "Resources": self.resources.reference,
        })
        if tags is not None:
            pdf_page["Tabs"] = "/S"
            pdf_page["StructParents"] = page_number
        pdf.add_page(pdf_page)
        add_links(links_and_anchors, matrix, pdf, pdf_page, self.names, tags)
        add_annotations(links_and_anchors[0], matrix, book, pdf, pdf_page, self.annot_files,
                        compress)
        add_forms(page.forms, matrix, pdf, pdf_page, self.resources, stream,
                  book.font_config.font_map)
        page.paint(stream, scale)
        bleed = {key: value * 0.75 for key, value in page.bleed.items()}
        trim_left = left + bleed["left"]
        trim_top = top + bleed["top"]
        trim_right = right - bleed["right"]
        trim_bottom = bottom - bleed["bottom"]
        # WeasyPrint's BleedBox: between the CSS bleed box and the page, at most 10 pt away.
        pdf_page["TrimBox"] = pydyf.Array([trim_left, trim_top, trim_right, trim_bottom])
        pdf_page["BleedBox"] = pydyf.Array([
            trim_left - min(10, bleed["left"]), trim_top - min(10, bleed["top"]),
            trim_right + min(10, bleed["right"]), trim_bottom + min(10, bleed["bottom"])])
        if self.structure is not None:
            self.structure.tag(page, page_number, pdf_page.reference, tags)
            stream._tags = {}  # the table of its marked contents, emptied, held 8 kB
        self.ahead += [(target, getattr(box, "link_annotation", None))
                       for kind, target, _, box in links_and_anchors[0]
                       if kind == "internal" and target not in self.anchors]
        joined(stream)
        release_boxes(page)
        book.pages.append(page)

    def check_links_ahead(self) -> None:
        """Report the links to an anchor no part held, as resolve_links does; leave them inert."""
        for target, annotation in self.ahead:
            if target not in self.anchors:
                LOGGER.error("No anchor #%s for internal URI reference", target)
                if annotation is not None:
                    del annotation["Dest"]


def resolved_links(pages: list[Page], anchors: set[str]) -> Iterator[tuple[list, list]]:
    """Each page's links and the anchors first named on it (the book's `anchors` so far are
    updated with the part's), as `resolve_links` gives them; a link to an anchor not drawn
    yet is kept, to be checked at the end."""
    paged_anchors = []
    for page in pages:
        paged_anchors.append([])
        for anchor_name, (point_x, point_y, _, _) in page.anchors.items():
            if anchor_name not in anchors:
                paged_anchors[-1].append((anchor_name, point_x, point_y))
                anchors.add(anchor_name)
    for page, first_named in zip(pages, paged_anchors, strict=True):
        yield list(page.links), first_named


def add_metadata(pdf: pydyf.PDF, book: Document, options: dict[str, object],
                 compress: bool) -> list[Attachment]:
    """generate_pdf's step 7: the document information and embedded files; the attachments."""
    PROGRESS_LOGGER.info("Step 7 - Adding PDF metadata")
    pdf.info["Producer"] = pydyf.String(f"WeasyPrint {weasyprint.VERSION}")
    metadata = book.metadata
    if metadata.title:
        pdf.info["Title"] = pydyf.String(metadata.title)
    if metadata.authors:
        pdf.info["Author"] = pydyf.String(", ".join(metadata.authors))
    if metadata.description:
        pdf.info["Subject"] = pydyf.String(metadata.description)
    if metadata.keywords:
        pdf.info["Keywords"] = pydyf.String(", ".join(metadata.keywords))
    if metadata.generator:
        pdf.info["Creator"] = pydyf.String(metadata.generator)
    if metadata.created:
        pdf.info["CreationDate"] = pydyf.String(_w3c_date_to_pdf(metadata.created, "created"))
    if metadata.modified:
        pdf.info["ModDate"] = pydyf.String(_w3c_date_to_pdf(metadata.modified, "modified"))
    if metadata.lang:
        pdf.catalog["Lang"] = pydyf.String(metadata.lang)
    if options["custom_metadata"]:
        for key, value in metadata.custom.items():
            key = "".join(char for char in key if char.isalnum())
            key = key.encode("ascii", errors="ignore").decode()
            if key:
                pdf.info[key] = pydyf.String(value)
    if options["xmp_metadata"]:
        for url in options["xmp_metadata"]:
            with select_source(url, url_fetcher=book.url_fetcher) as (file_obj, _, charset, _):
                xmp_metadata = file_obj.read()
                if charset:
                    xmp_metadata = xmp_metadata.decode(charset).encode()
                metadata.xmp_metadata.append(xmp_metadata)
    attachments = metadata.attachments.copy()
    if options["attachments"]:
        relationships = iter(options["attachment_relationships"] or [])
        for attachment in options["attachments"]:
            if not isinstance(attachment, Attachment):
                attachment = Attachment(attachment, url_fetcher=book.url_fetcher,
                                        relationship=next(relationships, "Unspecified"))
            attachments.append(attachment)
    pdf_attachments = [written for attachment in attachments
                       if (written := write_pdf_attachment(pdf, attachment, compress))
                       is not None]
    if pdf_attachments:
        content = pydyf.Dictionary({"Names": pydyf.Array()})
        for pdf_attachment in pdf_attachments:
            content["Names"].append(pdf_attachment["F"])
            content["Names"].append(pdf_attachment.reference)
        pdf.add_object(content)
        if "Names" not in pdf.catalog:
            pdf.catalog["Names"] = pydyf.Dictionary()
        pdf.catalog["Names"]["EmbeddedFiles"] = content.reference
    return attachments


def add_output_intent(pdf: pydyf.PDF, book: Document, variant: str | None) -> None:
    """generate_pdf's output intent: the profile named by the option, or the CMYK one, or any."""
    profiles = book.color_profiles
    color_profile = profiles.get(book.output_intent) or profiles.get("device-cmyk") or next(
        iter(profiles.values()), None)
    if color_profile:
        subtype = "/GTS_PDFA1" if variant and "pdf/a" in variant else "/GTS_PDFX"
        intents = pydyf.Dictionary({"Type": "/OutputIntent", "S": subtype})
        intents["OutputConditionIdentifier"] = pydyf.String(color_profile.name)
        intents["Info"] = pydyf.String(color_profile.name)
        intents["DestOutputProfile"] = color_profile.pdf_reference
        pdf.catalog["OutputIntents"] = pydyf.Array([intents])
