"""What pandoc's EPUB writer leaves undone, finished in the package it wrote.

Pandoc titles every chapter after its file ("ch003.xhtml"), writes EPUB 3 footnotes as
unnumbered `<aside>`s after a rule with no heading and no way back, and lists in the nav's
landmarks neither where the body begins nor the index. This module rewrites those few parts of
the chapters and the nav, and fits the stylesheet and the documents' classes to each other
(epub_styles.py); everything else stays as pandoc wrote it.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

from .epub_styles import fit_styles

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
NS = {"x": XHTML_NS, "epub": OPS_NS}
EPUB_TYPE = f"{{{OPS_NS}}}type"
CHAPTERS = "EPUB/text/"
NAV = "EPUB/nav.xhtml"
# What of the writer's HTML this module reads back in pandoc's chapters: a note's label, with
# the note's number and id (epub.py), and a cross-reference to a note.
READS = frozenset({"footnote-number", "data-note-number", "data-note", "data-note-ref"})


def finish_package(epub: Path) -> None:
    """Rewrite `epub` in place with titled chapters, numbered notes, a complete nav, and a
    stylesheet with the rules its documents use."""
    with zipfile.ZipFile(epub) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    chapters = {info.filename: etree.fromstring(data) for info, data in members
                if info.filename.startswith(CHAPTERS) and info.filename.endswith(".xhtml")}
    notes: list[str] = []  # chapters (paths from the nav) that have a notes section
    where = notes_made(chapters)
    for name, chapter in chapters.items():
        title_chapter(chapter)
        if number_notes(chapter):
            notes.append(name.removeprefix("EPUB/"))
        link_note_references(chapter, name, where)
    nav = complete_nav(etree.fromstring(next(data for info, data in members
                                             if info.filename == NAV)), chapters, notes)
    # Fitting the stylesheet also drops the classes it leaves unstyled from the documents.
    rewritten = {info.filename: fit_styles(data.decode("utf-8"), [*chapters.values(), nav])
                 .encode("utf-8") for info, data in members if info.filename.endswith(".css")}
    rewritten |= {name: serialize(chapter) for name, chapter in chapters.items()}
    rewritten[NAV] = serialize(nav)
    with zipfile.ZipFile(epub, "w") as archive:
        for info, data in members:  # mimetype first and stored, as pandoc wrote it
            archive.writestr(info, rewritten.get(info.filename, data))


def serialize(tree: etree._Element) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def title_chapter(chapter: etree._Element) -> None:
    """The chapter's title is its first heading, not its file name."""
    heading = next(chapter.getroottree().iter(f"{{{NS['x']}}}h1", f"{{{NS['x']}}}h2"), None)
    title = chapter.find("x:head/x:title", NS)
    if heading is not None and title is not None:
        title.text = " ".join("".join(heading.itertext()).split())


def number_notes(chapter: etree._Element) -> bool:
    """Give the chapter's notes a heading, and each note its label linked back to its call.

    Pandoc numbers the notes of a chapter in one series, the editors' notes among the author's;
    each note and its call get back the author's number (or "ed. 1") that the note carries
    (epub.py), so that a note that says "note 30" means the note the reader sees as 30."""
    section = chapter.find(".//x:section[@epub:type='footnotes']", NS)
    if section is None:
        return False
    rule = section.find("x:hr", NS)
    heading = etree.Element(f"{{{XHTML_NS}}}h3", {"class": "notes-heading"})
    heading.text = "Notes"
    if rule is not None:
        section.replace(rule, heading)
    else:
        section.insert(0, heading)
    calls = {call.get("href", "").lstrip("#"): call
             for call in chapter.iterfind(".//x:a[@role='doc-noteref']", NS)}
    for note in section.iterfind("x:aside", NS):
        call = calls.get(note.get("id", ""))
        if call is None or not call.get("id"):
            continue
        back = etree.Element(f"{{{XHTML_NS}}}a", {"href": f"#{call.get('id')}",
                                                  "role": "doc-backlink",
                                                  "class": "footnote-back"})
        back.text = "".join(call.itertext()).strip()
        label = next(iter(note.xpath(".//x:span[@class='footnote-number']", namespaces=NS)),
                     None)
        if label is not None:  # the note's own label ("probably 3"), its call the number
            back.text = "".join(label.itertext()).strip()
            call[:] = []
            call.text = label.get("data-note-number", "".join(label.itertext()))
            drop_label(label)
        # The number goes into the note's first paragraph, or before its text if it has none.
        holder = note[0] if len(note) and note[0].tag == f"{{{XHTML_NS}}}p" else note
        back.tail = ". " + (holder.text or "").lstrip()
        holder.text = None
        holder.insert(0, back)
    return True


def notes_made(chapters: dict[str, etree._Element]) -> dict[str, str]:
    """Where pandoc put each note: the id it had in the HTML (its label's `data-note`, epub.py)
    -> "chapter path#id of pandoc's note"."""
    where = {}
    for name, chapter in chapters.items():
        for note in chapter.iterfind(".//x:section[@epub:type='footnotes']/x:aside", NS):
            for label in note.xpath(".//x:span[@class='footnote-number'][@data-note != '']",
                                    namespaces=NS):
                where[label.get("data-note")] = f"{name}#{note.get('id')}"
    return where


def link_note_references(chapter: etree._Element, name: str, where: dict[str, str]) -> None:
    """A cross-reference to a note ("see note 5") or a note's second call, which epub.py handed
    to pandoc as text that names the note, links again to the note pandoc made, in this chapter
    or another; one to a note pandoc did not make stays text."""
    for reference in chapter.xpath(".//x:span[@data-note-ref]", namespaces=NS):
        target = where.get(reference.attrib.pop("data-note-ref"))
        if target is None:
            continue
        path, _, anchor = target.partition("#")
        reference.tag = f"{{{XHTML_NS}}}a"
        if "footnote-ref" in reference.get("class", "").split():  # a note's second call
            reference.set("role", "doc-noteref")
            reference.set(f"{{{OPS_NS}}}type", "noteref")
        reference.set("href", f"#{anchor}" if path == name else
                      f"{path.rpartition('/')[2]}#{anchor}")


def drop_label(label: etree._Element) -> None:
    """Take the label out of the note, with the space after it."""
    parent, previous = label.getparent(), label.getprevious()
    tail = (label.tail or "").lstrip()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(label)


def complete_nav(nav: etree._Element, chapters: dict[str, etree._Element],
                 notes: list[str]) -> etree._Element:
    """A Notes entry under each chapter that has notes; landmarks for the body and the index."""
    toc = nav.find(".//x:nav[@epub:type='toc']/x:ol", NS)
    for chapter in notes:
        item = next((li for li in toc.iterfind("x:li", NS)
                     if li.find("x:a", NS).get("href", "").startswith(chapter)), None)
        if item is None:
            continue
        sublist = item.find("x:ol", NS)
        if sublist is None:
            sublist = etree.SubElement(item, f"{{{XHTML_NS}}}ol", {"class": "toc"})
        entry = etree.SubElement(sublist, f"{{{XHTML_NS}}}li")
        link = etree.SubElement(entry, f"{{{XHTML_NS}}}a", {"href": f"{chapter}#footnotes"})
        link.text = "Notes"
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']/x:ol", NS)
    for kind, label in (("bodymatter", "Start of the text"), ("index", "Index of names")):
        chapter = first_chapter_of_type(chapters, kind)
        if chapter is None or landmarks is None:
            continue
        template = copy.deepcopy(landmarks.find("x:li", NS))
        link = template.find("x:a", NS)
        link.set("href", chapter.removeprefix("EPUB/"))
        link.set(EPUB_TYPE, kind)
        link.text = label
        landmarks.append(template)
    return nav


def first_chapter_of_type(chapters: dict[str, etree._Element], kind: str) -> str | None:
    """The first chapter (in file order, which is reading order) whose body or a section of
    it has `epub:type` `kind`."""
    for name in sorted(chapters):
        if chapters[name].xpath(f"//*[self::x:body or self::x:section][@epub:type='{kind}']",
                                namespaces=NS):
            return name
    return None
