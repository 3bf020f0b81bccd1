"""Transform stage, citations: the author's numbered references resolved to BibTeX entries and
formatted by pandoc's citeproc with the edition's CSL style.

The TEI is the single source of truth for the mapping: each article's back matter has a
`<listBibl>` whose `<bibl n="22">` holds `<ptr type="bibtex" target="../../bib/x.bib#key"/>`
(a probable identification says `cert="medium"` on the pointer and why in a `<note>`; a footnote
whose surviving text names pages carries them as `<citedRange>`). The text cites by number:
`<ref type="reference" n="22">` (inline, its pages in the following `<citedRange>`s) or
`<ref type="footnote" n="18">`.

pandoc does not resolve citations in HTML, so each article becomes one generated Markdown
document, one `<div>` per citation in text order, rendered in ONE pandoc call: citeproc gives
every citation its note form (full first, short after, as the style decides) and the sorted
bibliography. A two-line Lua filter keeps each note in place instead of moving it to a footnote.
"""

from __future__ import annotations

import enum
import html
import logging
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

if TYPE_CHECKING:  # bibtexparser is imported where a .bib is read
    from bibtexparser.library import Library
    from bibtexparser.model import Entry

from . import tei
from .articles import article_id, articles
from .diagnostics import Diagnostic, EditionError, Severity, error
from .load import read_limited
from .resources import real_path

PACKAGE = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE.parents[1]
DEFAULT_STYLE = PROJECT_ROOT / "styles" / "chicago-notes-bibliography-annotated.csl"
NOTES_INLINE_FILTER = PACKAGE / "citeproc_notes_inline.lua"
MAX_BIB_BYTES = 16 * 1024 * 1024
# bibtexparser logs each block it gives up on; the same reason is kept in `failed_blocks`,
# which the lint reports with its line, so the log itself stays quiet.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

CITING_REFS = ("reference", "footnote")  # ref/@type whose @n is one of the author's numbers
UNIDENTIFIED = "unidentified"  # BibTeX keyword of an entry that says its source is not known
UNCERTAIN = {"low", "medium", "unknown"}  # ptr/@cert values that make a binding probable
# citedRange/@unit -> the locator label pandoc's citeproc recognises (it pluralises itself).
LOCATOR_LABELS = {
    "page": "p.", "folio": "fol.", "volume": "vol.", "chapter": "chap.", "line": "l.",
    "column": "col.", "part": "pt.", "section": "sec.", "paragraph": "para.", "entry": "s.v.",
}


class Status(enum.StrEnum):
    RESOLVED = "resolved"  # bound to an identified entry
    PROBABLE = "probable"  # bound to an identified entry, identification marked as probable
    UNRESOLVED = "unresolved"  # bound to an entry that says the source is not identified
    MISSING = "missing"  # no <bibl n> for the number, or its key is in no .bib file

    @property
    def resolved(self) -> bool:
        return self in (Status.RESOLVED, Status.PROBABLE)


# --- BibTeX ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BibFile:
    path: Path
    library: Library

    def entries(self) -> dict[str, Entry]:
        return {entry.key: entry for entry in self.library.entries}


def read_bibtex(path: Path) -> BibFile:
    """Parse one .bib file with bibtexparser 2; refuse (EditionError) what is not BibTeX text."""
    path = Path(path)
    data = read_limited(path, MAX_BIB_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"not UTF-8 (byte 0x{data[exc.start]:02x}); BibTeX files must be UTF-8",
                    path, line, code="bib-unreadable") from None
    if "\x00" in text:
        raise error("binary data (NUL byte): not a BibTeX file", path,
                    text[: text.index("\x00")].count("\n") + 1, code="bib-unreadable")
    import bibtexparser  # here: a text without citations reads no .bib

    try:
        library = bibtexparser.parse_string(text.removeprefix("\ufeff"))
    except Exception as exc:  # a third-party parser on untrusted input: refuse, never crash
        raise error(f"bibtexparser could not read the file: {exc}", path,
                    code="bib-unreadable") from None
    return BibFile(path, library)


# pandoc's reader error: 'Error at "x.bib" (line 9, column 66):\nunexpected '@'\n<the line>…'
PANDOC_POSITION = re.compile(r"\(line (\d+), column (\d+)\):\s*(.*)")


def pandoc_refusal(path: Path) -> Diagnostic | None:
    """What pandoc's own BibTeX reader (the one citeproc uses) refuses in the file, as one
    error at its line and column: it refuses the whole file, so every citation into it, where
    bibtexparser recovers and reads on (a stray brace, a missing comma between fields)."""
    import pypandoc  # here, not at the top, as in `_run_citeproc`

    path = Path(path)
    reader = "biblatex" if path.suffix.lower() == ".bib" else "bibtex"  # pandoc's choice too
    try:
        process = subprocess.run(
            [pypandoc.get_pandoc_path(), "-f", reader, "-t", "csljson", str(real_path(path))],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as failure:
        return Diagnostic(Severity.ERROR, f"pandoc could not read the file: {failure}",
                          str(path), 1, code="bib-refused")
    if process.returncode == 0:
        return None
    said = process.stderr.decode("utf-8", "replace")
    position = PANDOC_POSITION.search(said)
    if position is None:
        return Diagnostic(Severity.ERROR, "pandoc's BibTeX reader refuses the file: "
                          + " ".join(said.split()), str(path), code="bib-refused")
    return Diagnostic(Severity.ERROR, f"pandoc's BibTeX reader refuses the file (and so every "
                      f"citation into it): {position[3].strip()}", str(path),
                      int(position[1]), int(position[2]), code="bib-refused")


def keywords(entry: Entry) -> set[str]:
    value = entry.fields_dict.get("keywords")
    return {word.strip().lower() for word in str(value.value).split(",")} if value else set()


# --- the TEI mapping ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pointer:
    """One `<bibl n>` of an article's listBibl: an author's number bound to a BibTeX entry."""

    number: str
    target: str
    bib_path: Path
    key: str
    certain: bool
    locator: str  # the bibl's own citedRange (a footnote whose surviving text names pages)
    identification: str  # the bibl's note on how the source was identified, if any
    file: str | None
    line: int | None


def source_file(element: etree._Element) -> str | None:
    """The file an element was read from (its XInclude base), relative to the working folder."""
    if not element.base:
        return None
    path = Path(unquote(urlsplit(element.base).path))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _shown(path: Path) -> Path:
    """A path relative to the working folder when inside it, as the user would name it."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def pointers(tree: etree._ElementTree | etree._Element) -> list[Pointer]:
    """Every `<bibl n><ptr type="bibtex">` in the back matter of the tree's articles."""
    found = []
    for article in articles(tree):
        for bibl in _listed(article):
            ptr = bibl.find(f"{tei('ptr')}[@type='bibtex']")
            if ptr is None:
                continue
            target = ptr.get("target", "")
            location, key = urldefrag(urljoin(ptr.base or "", target))
            note = bibl.find(tei("note"))
            found.append(Pointer(
                number=bibl.get("n", ""), target=target,
                bib_path=real_path(Path(unquote(urlsplit(location).path))), key=key,
                certain=ptr.get("cert") not in UNCERTAIN,
                locator=locator(bibl.findall(tei("citedRange"))),
                identification=_normalise(note.xpath("string()")) if note is not None else "",
                file=source_file(ptr), line=ptr.sourceline,
            ))
    return found


def _listed(article: etree._Element) -> Iterator[etree._Element]:
    for back in article.iter(tei("back")):
        yield from back.iterfind(f".//{tei('listBibl')}/{tei('bibl')}[@n]")


def citing_refs(article: etree._Element) -> list[etree._Element]:
    """The article's citations in text order: `<ref type="reference|footnote" n>`."""
    text = article.find(tei("text"))
    if text is None:
        return []
    return [ref for ref in text.iter(tei("ref"))
            if ref.get("type") in CITING_REFS and ref.get("n")]


def mapping_problems(tree: etree._ElementTree | etree._Element) -> list[Diagnostic]:
    """Numbers cited without a `<bibl n>`, bibls without a pointer, numbers listed twice."""
    found = []
    for article in articles(tree):
        listed: dict[str, etree._Element] = {}
        for bibl in _listed(article):
            number = bibl.get("n", "")
            where = {"file": source_file(bibl), "line": bibl.sourceline}
            if number in listed:
                found.append(Diagnostic(Severity.ERROR, f"reference {number} is listed twice "
                                        f"(first on line {listed[number].sourceline})", **where,
                                        code="reference-duplicate"))
                continue
            listed[number] = bibl
            if bibl.find(f"{tei('ptr')}[@type='bibtex']") is None:
                found.append(Diagnostic(Severity.ERROR, f'<bibl n="{number}"> has no <ptr '
                                        'type="bibtex"> to its BibTeX entry', **where,
                                        code="reference-unmapped"))
        for ref in citing_refs(article):
            if ref.get("n") not in listed:
                found.append(Diagnostic(Severity.ERROR, f"reference {ref.get('n')} is cited but "
                                        f'has no <bibl n="{ref.get("n")}"> in the listBibl of '
                                        f"{article_id(article)}", source_file(ref),
                                        ref.sourceline, code="reference-unmapped"))
    return found


def locator(ranges: Sequence[etree._Element]) -> str:
    """`<citedRange unit="page" from="75" to="76">`s as one citeproc locator: "p. 75–76"."""
    if not ranges:
        return ""
    label = LOCATOR_LABELS.get(ranges[0].get("unit", "page"), "")
    spans = []
    for cited in ranges:
        first = cited.get("from") or _normalise(cited.xpath("string()"))
        last = cited.get("to") or first
        spans.append(first if last == first else f"{first}–{last}")
    return f"{label} {', '.join(spans)}".strip()


def ref_locator(ref: etree._Element) -> str:
    """The citedRanges that follow a `<ref>` inside its `<bibl>`, up to the next ref."""
    ranges = []
    for sibling in ref.itersiblings():
        if sibling.tag == tei("ref"):
            break
        if sibling.tag == tei("citedRange"):
            ranges.append(sibling)
    return locator(ranges)


def _normalise(text: str) -> str:
    """Runs of white space as one space; a no-break space ("p.~86" in BibTeX) kept."""
    return re.sub(r"[^\S\u00a0]+", " ", text).strip()


# --- resolution and rendering ---------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """One `<ref>` of the text, resolved and formatted."""

    element: etree._Element
    index: int  # position among the article's citations, from 0
    number: str
    key: str | None
    locator: str
    status: Status
    note_html: str  # the note-style citation, with locator (HTML fragment)
    note_text: str  # the same as plain text (tooltips, the command line)
    identification: str  # why a probable identification is probable


@dataclass(frozen=True)
class BibliographyEntry:
    key: str
    numbers: tuple[str, ...]  # the author's numbers bound to this entry, ascending
    status: Status
    html: str  # the formatted entry (the annotation inside <div class="csl-block">)
    text: str  # the entry as plain text, without the annotation
    annotation: str  # the entry's note: what is known of the source
    language: str | None = None  # BCP 47, from the entry's langid ("russian" → "ru")

    @property
    def label(self) -> str:
        """The author's numbering, kept visible: "[22]", "[37, 38]"."""
        return f"[{', '.join(self.numbers)}]"


@dataclass
class Citations:
    article: str
    citations: list[Citation]
    bibliography: list[BibliographyEntry]  # identified in CSL order, then the rest by number
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def for_ref(self, ref: etree._Element) -> Citation | None:
        return next((c for c in self.citations if c.element is ref), None)

    def entry(self, key: str) -> BibliographyEntry | None:
        return next((e for e in self.bibliography if e.key == key), None)

    def count(self, *statuses: Status) -> int:
        return sum(1 for citation in self.citations if citation.status in statuses)

    def report(self) -> str:
        """One line for the build log: citations resolved, probable, unresolved. A probable
        identification is not counted as resolved."""
        return (f"{self.article}: {len(self.citations)} citations, "
                f"{self.count(Status.RESOLVED)} resolved, {self.count(Status.PROBABLE)} probable, "
                f"{self.count(Status.UNRESOLVED, Status.MISSING)} unresolved")


def default_bib_paths(tree: etree._ElementTree | etree._Element) -> list[Path]:
    """The .bib files the tree's pointers name."""
    return sorted({pointer.bib_path for pointer in pointers(tree)})


def resolve_edition(tree: etree._ElementTree, bib_paths: Sequence[Path] | None = None,
                    style: Path = DEFAULT_STYLE) -> list[Citations]:
    """`resolve_citations` for each article of a TEI file or teiCorpus."""
    bib_paths = default_bib_paths(tree) if bib_paths is None else bib_paths
    return [resolve_citations(article, bib_paths, style) for article in articles(tree)]


def resolve_citations(article: etree._ElementTree | etree._Element,
                      bib_paths: Sequence[Path] | None = None,
                      style: Path = DEFAULT_STYLE) -> Citations:
    """Resolve and format every citation of one TEI article (one pandoc call)."""
    if isinstance(article, etree._ElementTree):
        article = article.getroot()
    if article.tag != tei("TEI"):
        raise error("resolve_citations takes one TEI article; use resolve_edition for a "
                    "teiCorpus", source_file(article), article.sourceline, code="not-tei")
    mapped = {}
    for pointer in pointers(article):
        mapped.setdefault(pointer.number, pointer)
    diagnostics: list[Diagnostic] = []
    files: dict[Path, dict[str, Entry]] = {}
    unreadable: set[Path] = set()
    from .biblint import duplicate_problems  # biblint imports this module

    for path in default_bib_paths(article) if bib_paths is None else bib_paths:
        path = real_path(path)
        try:
            bib = read_bibtex(path)
        except EditionError as refusal:
            unreadable.add(path)
            diagnostics.append(_at_first_pointer(refusal.diagnostic, path, mapped.values()))
            continue
        files[path] = bib.entries()
        if any(pointer.bib_path == path for pointer in mapped.values()):  # once, in a book
            # A key defined twice: the first entry here, the last in the note citeproc formats.
            diagnostics += duplicate_problems(bib)
    entries = {key: entry for found in reversed(files.values()) for key, entry in found.items()}

    pending = []
    for ref in citing_refs(article):
        pointer = mapped.get(ref.get("n"))
        entry = files.get(pointer.bib_path, {}).get(pointer.key) if pointer else None
        if entry is None:
            # An error, not a gap of knowledge (those are entries that say so): the edition
            # points to nothing, so a build stops here rather than publish a dead link.
            status = Status.MISSING
            if pointer is None:
                diagnostics.append(Diagnostic(
                    Severity.ERROR, f"reference {ref.get('n')} cannot be resolved: no "
                    f'<bibl n="{ref.get("n")}"> in the listBibl', source_file(ref),
                    ref.sourceline, code="citation-missing"))
            elif pointer.bib_path not in unreadable:  # else said once, for the file
                diagnostics.append(Diagnostic(
                    Severity.ERROR, f"reference {ref.get('n')} cannot be resolved: "
                    f"{pointer.target!r} names no entry of the bibliography", pointer.file,
                    pointer.line, code="citation-missing"))
        elif UNIDENTIFIED in keywords(entry):
            status = Status.UNRESOLVED
        else:
            status = Status.RESOLVED if pointer.certain else Status.PROBABLE
        pending.append((ref, pointer, status, ref_locator(ref) or (pointer.locator
                                                                    if pointer else "")))

    rendered, messages = _run_citeproc(
        [(pointer.key, locator_) for _, pointer, status, locator_ in pending
         if status is not Status.MISSING],
        list(files), style)
    diagnostics += messages
    notes = iter(rendered.notes)
    citations = []
    for index, (ref, pointer, status, locator_) in enumerate(pending):
        note_html, note_text = next(notes) if status is not Status.MISSING else ("", "")
        citations.append(Citation(
            ref, index, ref.get("n"), pointer.key if pointer else None, locator_, status,
            note_html, note_text, pointer.identification if pointer else "",
        ))
    return Citations(article_id(article), citations,
                     _bibliography(rendered.entries, citations, entries), diagnostics)


def _at_first_pointer(refusal: Diagnostic, path: Path,
                      pointers_: Iterable[Pointer]) -> Diagnostic:
    """A .bib file that cannot be read (missing, not BibTeX) reported where the edition points
    to it, so the message names the TEI line to fix, with how many references depend on it."""
    pointing = [pointer for pointer in pointers_ if pointer.bib_path == path]
    if not pointing or refusal.line is not None:
        return refusal
    first = pointing[0]
    return Diagnostic(refusal.severity, f"{first.target.partition('#')[0]!r} ({path}): "
                      f"{refusal.message}; {len(pointing)} references point to it",
                      first.file, first.line, code=refusal.code)


# biblatex's language names (langid) as BCP 47 tags, for the lang of a rendered entry.
LANGUAGE_TAGS = {"english": "en", "american": "en-US", "british": "en-GB", "russian": "ru",
                 "azerbaijani": "az", "turkish": "tr", "french": "fr", "german": "de",
                 "georgian": "ka", "armenian": "hy", "persian": "fa", "ukrainian": "uk"}


def language_of(entry: Entry | None) -> str | None:
    """The entry's language as a tag: its langid, a biblatex name or already a tag ("az")."""
    field = entry.fields_dict.get("langid") if entry is not None else None
    if field is None:
        return None
    name = str(field.value).strip().strip("{}").lower()
    return LANGUAGE_TAGS.get(name) or (name if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)*", name)
                                       else None)


def _bibliography(rendered: list[tuple[str, str, str, str]], citations: Sequence[Citation],
                  entries: dict[str, Entry]) -> list[BibliographyEntry]:
    numbers: dict[str, set[str]] = {}
    certain: dict[str, bool] = {}
    for citation in citations:
        if citation.key is not None and citation.status is not Status.MISSING:
            numbers.setdefault(citation.key, set()).add(citation.number)
            certain[citation.key] = certain.get(citation.key, False) or (
                citation.status is Status.RESOLVED)
    listed = []
    for key, entry_html, text, annotation in rendered:
        if key in entries and UNIDENTIFIED in keywords(entries[key]):
            status = Status.UNRESOLVED
        else:
            status = Status.RESOLVED if certain.get(key) else Status.PROBABLE
        ordered = tuple(sorted(numbers.get(key, ()), key=_numeric))
        listed.append(BibliographyEntry(key, ordered, status, entry_html, text, annotation,
                                        language_of(entries.get(key))))
    identified = [entry for entry in listed if entry.status.resolved]
    unidentified = sorted((entry for entry in listed if not entry.status.resolved),
                          key=lambda entry: _numeric(entry.numbers[0] if entry.numbers else ""))
    return identified + unidentified


def _numeric(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else 0, number)


@dataclass
class _Rendered:
    notes: list[tuple[str, str]]  # (html, text) per citation, in the order given
    entries: list[tuple[str, str, str, str]]  # (key, html, text, annotation), CSL order


# pandoc's messages on stderr: `[WARNING] Citeproc: citation x not found`, one a line (or more).
PANDOC_MESSAGE = re.compile(r"^\[(?P<level>[A-Z]+)\] (?P<text>.*?)(?=^\[[A-Z]+\] |\Z)",
                            re.MULTILINE | re.DOTALL)


def _pandoc_messages(said: str) -> list[Diagnostic]:
    """pandoc's warnings and notes as diagnostics, one line each."""
    return [Diagnostic(Severity.WARNING if found["level"] in ("WARNING", "ERROR")
                       else Severity.INFO, f"pandoc: {' '.join(found['text'].split())}",
                       code="citeproc")
            for found in PANDOC_MESSAGE.finditer(said)]


def _run_citeproc(cited: Sequence[tuple[str, str]], bib_paths: Sequence[Path],
                  style: Path) -> tuple[_Rendered, list[Diagnostic]]:
    """Format all citations (key, locator) and their bibliography in one pandoc call."""
    if not cited:
        return _Rendered([], []), []
    import pypandoc  # here, not at the top: 0.1 s of imports that validation does not need

    if not Path(style).is_file():
        raise error("CSL style not found", style, code="citeproc")
    markdown = "\n\n".join(
        f"::: {{#cite-{index}}}\n[@{{{key}}}{', ' + _escape(locator_) if locator_ else ''}]\n:::"
        for index, (key, locator_) in enumerate(cited)
    )
    # subprocess.run, as for every other pandoc and Pagefind: an exception while it waits
    # (the CLI's SIGTERM, a Ctrl-C) kills pandoc and reaps it, where pypandoc left it running.
    process = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from=markdown", "--to=html", "--citeproc",
         f"--csl={style}", "--wrap=none", *(f"--bibliography={path}" for path in bib_paths),
         f"--lua-filter={NOTES_INLINE_FILTER}"],
        input=markdown.encode("utf-8"), capture_output=True, check=False)
    said = process.stderr.decode("utf-8", "replace")
    if process.returncode:
        refused = next(filter(None, (pandoc_refusal(_shown(path)) for path in bib_paths)),
                       None)
        raise EditionError(refused or Diagnostic(
            Severity.ERROR, f"pandoc citeproc failed: {' '.join(said.split())}",
            code="citeproc"))
    messages = _pandoc_messages(said)
    output = process.stdout.decode("utf-8", "replace")
    document = lxml_html.fragment_fromstring(output, create_parent="div")
    notes = []
    cites = {div.get("id"): div for div in document.iter("div")}  # one walk, not one a cite
    for index in range(len(cited)):
        cite = cites.get(f"cite-{index}")
        found = cite.xpath(".//span[@class='citation']") if cite is not None else []
        notes.append((_inner_html(found[0]), _normalise(found[0].text_content()))
                     if found else ("", ""))
    entries = []
    for div in document.xpath("//div[@id='refs']/div[contains(@class, 'csl-entry')]"):
        blocks = div.xpath("div[contains(@class, 'csl-block')]")
        annotation = " ".join(_normalise(block.text_content()) for block in blocks)
        entry_html = _inner_html(div)
        for block in blocks:
            block.drop_tree()
        entries.append((div.get("id").removeprefix("ref-"), entry_html,
                        _normalise(div.text_content()), annotation))
    return _Rendered(notes, entries), messages


def format_bibliography(path: Path, style: Path = DEFAULT_STYLE,
                        ) -> tuple[list[str], list[Diagnostic]]:
    """Every entry of one .bib file as the CSL style formats it (plain text, in its order)."""
    keys = [(key, "") for key in read_bibtex(path).entries()]
    rendered, messages = _run_citeproc(keys, [path], style)
    return [text for _, _, text, _ in rendered.entries], messages


def _escape(text: str) -> str:
    """Backslash-escape Markdown punctuation in a locator (";" would start a new citation)."""
    return re.sub(r"([\\`*_{}\[\]()#+!<>|~^$@;:\"'])", r"\\\1", text)


def _inner_html(element: etree._Element) -> str:
    return (html.escape(element.text or "", quote=False) + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in element
    )).strip()
