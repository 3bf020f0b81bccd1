"""pandoc reads a long book in parts, so that its memory follows the part, not the book.

pandoc's HTML reader held 1.3 GB to read the EPUB writer's HTML of a 3 MB TEI (10 MB of
HTML) at once. The book is cut between the body's top-level blocks into parts of about
`PART_BYTES`; pandoc reads them one after the other with its own HTML reader
(pandoc_parts_reader.lua) and writes one EPUB from the blocks joined, the same document as
from one reading: each part carries the notes its calls point to (pandoc resolves a call
against the endnotes of the file it reads), and a copy of the headings before it, which the
reader needs to give a heading without an id the same identifier as in one run ("notes",
then "notes-1"); the reader drops that copy.
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import subprocess
from pathlib import Path

import lxml.html
import pypandoc

from ..html import serialize
from ..resources import real_path

PART_BYTES = 400_000  # of HTML: pandoc's reader holds about a hundred times the part it reads
READER = Path(__file__).resolve().parent.parent / "pandoc_parts_reader.lua"
PRIOR_HEADINGS = "pandoc-prior-headings"  # the class the reader drops the copy by
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# pandoc's runtime compacts its oldest generation in place instead of copying it (about half
# the heap of the book's blocks, for some 40 % more of pandoc's time), and collects it when it
# has grown by 30 % (-F1.3), not doubled: the heap is then 1.3 times the book's blocks, not 2.
# A 3 MB TEI: pandoc 526 MB -> 424 MB at -F1.5, its CPU 55 s -> 66 s (what cutting long
# articles into files saved: epub.chapter_level); with the markup the book does not use left
# out (epub_styles.drop_unused_markup) 355 MB at -F1.5 for 44 s of CPU, 341 MB at -F1.4 for
# 55 s, 332 MB at -F1.3 for 59 s, where -F1.25 gave 335 MB for 76 s.
COMPACTING = ("+RTS", "-c", "-F1.3", "-RTS")


def write_parts(html: lxml.html.HtmlElement, folder: Path) -> Path:
    """Cut `html` (emptied on the way) into part files in `folder`; the list of them, which
    is pandoc's input."""
    body = html.find("body")
    endnotes = body.xpath(".//section[@role='doc-endnotes']")
    notes = {item.get("id"): item for section in endnotes for item in section.iter("li")}
    notes_shell = [(section.tag, dict(section.attrib)) for section in endnotes[:1]]
    notes_shell += [(listing.tag, dict(listing.attrib)) for section in endnotes[:1]
                    for listing in section.iterchildren("ol", "ul")][:1]
    for section in endnotes:
        section.drop_tree()
    head = copy.deepcopy(html.find("head"))
    shell = html.makeelement(html.tag, dict(html.attrib))
    body_attributes = dict(body.attrib)
    parts: list[Path] = []
    headings: list[lxml.html.HtmlElement] = []
    blocks = list(body)
    taken = 0
    while taken < len(blocks):
        part = shell.makeelement(shell.tag, dict(shell.attrib))
        part.append(head if not parts else part.makeelement("head", {}))
        part_body = part.makeelement("body", body_attributes)
        part.append(part_body)
        if parts:
            prior = part_body.makeelement("div", {"class": PRIOR_HEADINGS})
            prior.extend(copy.deepcopy(heading) for heading in headings)
            part_body.append(prior)
        else:
            part_body.text = body.text
        size = 0
        while taken < len(blocks) and size < PART_BYTES:
            block = blocks[taken]
            taken += 1
            size += len(lxml.html.tostring(block, encoding="utf-8"))
            part_body.append(block)
            headings += [copy.deepcopy(heading) for heading in block.iter(*HEADINGS)]
        add_notes(part_body, notes, notes_shell)
        parts.append(folder / f"part-{len(parts) + 1:04}.html")
        parts[-1].write_bytes(serialize(part))
    manifest = folder / "parts.txt"
    manifest.write_text("".join(f"{real_path(path)}\n" for path in parts), encoding="utf-8")
    return manifest


def add_notes(body: lxml.html.HtmlElement, notes: dict[str, lxml.html.HtmlElement],
              shell: list[tuple[str, dict[str, str]]]) -> None:
    """The notes the part's calls point to (and those their own calls point to), in an
    endnotes section as the book's."""
    if not shell:
        return
    wanted: list[str] = []
    pending = [body]
    while pending:
        for call in pending.pop().xpath(".//a[@role='doc-noteref']"):
            target = call.get("href", "")[1:]
            if target in notes and target not in wanted:
                wanted.append(target)
                pending.append(notes[target])
    if not wanted:
        return
    section = body.makeelement(*shell[0])
    body.append(section)
    listing = section if len(shell) == 1 else section.makeelement(*shell[1])
    if listing is not section:
        section.append(listing)
    listing.extend(copy.deepcopy(notes[target]) for target in wanted)


def give_back_freed_memory() -> None:
    """Return to the system the pages of the trees the writer has dropped: glibc keeps them for
    the process, and pandoc, started next, would need its memory beside them (180 MB of a
    3 MB TEI's build). Nothing where the C library is not glibc."""
    library = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    if trim is not None:
        trim(0)


def run_pandoc(manifest: Path, output_format: str, output: Path, options: list[str]) -> None:
    """pandoc on the parts listed in `manifest`; its own message when it fails."""
    process = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", str(READER), "--to", output_format,
         "--output", str(output), *options, str(manifest), *COMPACTING],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if process.returncode:
        message = process.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"pandoc exited {process.returncode}: {message}")
