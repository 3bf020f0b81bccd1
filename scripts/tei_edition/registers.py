"""The edition's registers of persons, places and organisations (TEI standoff data).

Every `persName`, `placeName` and `orgName` in the articles points to a register entry with
`@ref="persons.xml#id"`. A register entry is the one place where a name's regular form lives:
the linter, the Schematron rules, the apparatus and the writers' indexes all read it through
this module, so they cannot disagree about what "the regular form" is.

Name forms are typed in the register (see the registers' editorialDecl): `regular` (the headword,
one per entry), `accepted` (further forms read as written), `variant` (witness spellings that
the texts regularise with choice/orig/reg), and reference-only names (`native`, `modern`,
`historical`, `other`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from . import XML_NS, tei
from .diagnostics import Diagnostic, EditionError, Severity, error
from .load import load, parse_xml, source_file
from .resources import RefusedResource, confine

NAME_TAGS = {tei("persName"): "person", tei("placeName"): "place", tei("orgName"): "org"}
ENTRY_TAGS = {tei("person"): "person", tei("place"): "place", tei("org"): "org"}
REGULAR = "regular"
ACCEPTED = "accepted"
VARIANT = "variant"
NATIVE = "native"  # a name in its own language and script: not a form an index files


GEONAMES_RECORD = "https://www.geonames.org/{}"


@dataclass(frozen=True)
class Location:
    """Where a place lies (WGS84 degrees) and the record the coordinates were taken from."""

    latitude: float
    longitude: float
    source: str


@dataclass(frozen=True)
class Authority:
    scheme: str  # "wikidata", "geonames", "viaf"
    value: str
    certainty: str | None  # the idno's @cert; None means the editors are sure

    @property
    def url(self) -> str | None:
        pattern = {
            "wikidata": "https://www.wikidata.org/wiki/{}",
            "geonames": GEONAMES_RECORD,
            "viaf": "https://viaf.org/viaf/{}",
        }.get(self.scheme)
        return pattern.format(self.value) if pattern else None


@dataclass(frozen=True)
class Entry:
    ref: str  # how names point to it: "persons.xml#chicherin"
    id: str
    kind: str  # "person" | "place" | "org"
    regular: str  # the headword
    heading: str  # the headword as an index shows it: "Karabekir, Kâzım"
    type: str  # the entry's @type ("city", "region"): tells apart entries of one heading
    accepted: tuple[str, ...]
    variants: tuple[str, ...]
    other_names: tuple[tuple[str, str], ...]  # (type, form), e.g. ("modern", "Tbilisi")
    identification: str
    dates: str  # "1872–1936", "1952–", or "" when unknown
    authorities: tuple[Authority, ...]
    authority_note: str  # why there is no identifier, when there is none
    location: Location | None  # a place's coordinates, when a stored source gives them
    country: str  # the country of today a state is drawn as on a map (`<location><country>`)
    file: str
    line: int | None

    @property
    def regular_forms(self) -> frozenset[str]:
        """Forms a `<reg>` may give, and a name may show in the reading text."""
        return frozenset((self.regular, *self.accepted))

    @property
    def see_from(self) -> tuple[str, ...]:
        """Forms under which an index reader may look for the entry: accepted forms without the
        surname it is filed under ("Yusuf Kemal" for "Tengirşenk, Yusuf Kemal"), the witnesses'
        spellings (`variant`: "Batum") and the register's other names in the Latin script
        (`modern`, `historical`, `other`: "Gyumri" for "Alexandropol"), not its `native` ones;
        leaving out forms with an initial, forms that extend another one and forms filed where
        the heading is."""
        surname = self.heading.partition(",")[0]
        accepted = [form for form in self.accepted
                    if self.heading != self.regular and surname not in form]
        others = [form for kind, form in self.other_names if kind != NATIVE and _latin(form)]
        forms = [form for form in dict.fromkeys((*accepted, *self.variants, *others))
                 if not _INITIAL.match(form) and form != self.regular
                 and index_order(form) != index_order(self.heading)]
        return tuple(form for form in forms
                     if not any(form != other and form.startswith(other)
                                for other in (*forms, self.regular)))

    @property
    def known_forms(self) -> frozenset[str]:
        """Every form of the name the register knows."""
        return self.regular_forms | set(self.variants) | {form for _, form in self.other_names}


class Registers:
    """All entries of some register files, looked up by the `@ref` that points to them."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries = {entry.ref: entry for entry in entries}

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, ref: str) -> Entry | None:
        return self._entries.get(ref)

    def of_kind(self, kind: str) -> list[Entry]:
        """Entries of one kind in index order (by index heading)."""
        return sorted((e for e in self if e.kind == kind), key=lambda e: index_order(e.heading))

    def variants(self) -> dict[str, list[Entry]]:
        """Each variant form with the entries that list it."""
        found: dict[str, list[Entry]] = {}
        for entry in self:
            for variant in entry.variants:
                found.setdefault(variant, []).append(entry)
        return found


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def index_order(text: str) -> str:
    """The key an index sorts by: letters without their accents, case folded, so that Kâzım
    files with Kazim and Şevket with Sevket (ı and ə have no decomposition; they file as i, e)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_UNDECOMPOSED = str.maketrans("ıəƏ", "ieE")
_INITIAL = re.compile(r"\w\.")


def _latin(text: str) -> bool:
    """Written in the Latin script, as the index's headings are: not "Яков Ганецкий"."""
    return all(unicodedata.name(char, "").startswith("LATIN") for char in text if char.isalpha())


def index_heading(name: etree._Element) -> str:
    """A name as an index shows it: its `<surname>` first ("Karabekir, Kâzım") when it marks
    one, else as written (Veli Bey, Nakhchivan)."""
    surname = name.find(tei("surname"))
    if surname is None:
        return normalise_space("".join(name.itertext()))
    others = [name.text or ""]
    for child in name:
        if child is not surname:
            others.extend(child.itertext(with_tail=False))
        others.append(child.tail or "")
    return f"{normalise_space(''.join(surname.itertext()))}, {normalise_space(''.join(others))}"


def read_register(path: Path, key_prefix: str | None = None) -> list[Entry]:
    """The entries of one register file; their refs are `key_prefix#id` (default: file name)."""
    tree = load(path)
    prefix = key_prefix if key_prefix is not None else path.name
    entries = []
    for element in tree.getroot().iter(*ENTRY_TAGS):
        ident = element.get(f"{{{XML_NS}}}id")
        if not ident:
            raise error("register entry without xml:id", path, element.sourceline, code="register")
        entries.append(_entry(element, ident, f"{prefix}#{ident}", path))
    return entries


def _entry(element: etree._Element, ident: str, ref: str, path: Path) -> Entry:
    kind = ENTRY_TAGS[element.tag]
    forms: dict[str, list[str]] = {}
    headings: list[str] = []
    other_names: list[tuple[str, str]] = []
    for name in element:
        if name.tag not in NAME_TAGS:
            continue
        form_type = name.get("type", "")
        text = normalise_space("".join(name.itertext()))
        if form_type in (REGULAR, ACCEPTED, VARIANT):
            forms.setdefault(form_type, []).append(text)
            if form_type == REGULAR:
                headings.append(index_heading(name))
        else:
            other_names.append((form_type or "other", text))
    regular = forms.get(REGULAR, [])
    if len(regular) != 1:
        raise error(f"register entry {ident!r} needs exactly one regular name, has {len(regular)}",
                    path, element.sourceline, code="register")
    return Entry(
        ref=ref,
        id=ident,
        kind=kind,
        regular=regular[0],
        heading=headings[0],
        type=element.get("type", ""),
        accepted=tuple(forms.get(ACCEPTED, [])),
        variants=tuple(forms.get(VARIANT, [])),
        other_names=tuple(other_names),
        identification=_note(element, "identification"),
        dates=_dates(element),
        authorities=tuple(
            Authority(idno.get("type", ""), normalise_space(idno.text or ""), idno.get("cert"))
            for idno in element.iterchildren(tei("idno"))
        ),
        authority_note=_note(element, "authority"),
        location=_location(element, path),
        country=normalise_space(element.findtext(f"{tei('location')}/{tei('country')}") or ""),
        file=str(path),
        line=element.sourceline,
    )


def _note(element: etree._Element, note_type: str) -> str:
    for note in element.iterchildren(tei("note")):
        if note.get("type") == note_type:
            return normalise_space("".join(note.itertext()))
    return ""


def _location(element: etree._Element, path: Path) -> Location | None:
    """A place's coordinates: `<geo>` holds latitude and longitude in degrees, or it is an
    error at its line (never a place silently left off the map)."""
    geo = element.find(f"{tei('location')}/{tei('geo')}")
    if geo is None:
        return None
    try:
        latitude, longitude = map(float, (geo.text or "").split())
        if not (abs(latitude) <= 90 and abs(longitude) <= 180):  # NaN fails too
            raise ValueError
    except ValueError:
        raise error(f"<geo> {normalise_space(geo.text or '')!r} is not a latitude and a "
                    "longitude in degrees (\"40.59825 43.08548\")", path, geo.sourceline,
                    code="register") from None
    return Location(latitude, longitude, geo.getparent().get("source", ""))


def _dates(element: etree._Element) -> str:
    def year(tag: str) -> str:
        event = element.find(tei(tag))
        if event is None:
            return ""
        when = event.get("when") or event.get("notBefore") or ""
        return when[:4] + ("?" if event.get("cert") in ("low", "medium") else "")

    birth, death = year("birth"), year("death")
    return f"{birth}–{death}" if birth or death else ""


def register_files(folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    """The TEI files of `folder` that hold a register (a standoff list of entries), and a
    warning for each file there that cannot be read, which is not one: a stray backup, half
    written, must not stop the linting of every article beside it (a register the names point
    to is read, and refused, where they point to it)."""
    found, unread = [], []
    for path in sorted(folder.glob("*.xml")):
        try:
            root = parse_xml(path).getroot()
        except EditionError as refusal:
            said = refusal.diagnostic
            unread.append(replace(said, severity=Severity.WARNING,
                                  message=f"{said.message}: not read as a register"))
            continue
        if root.tag == tei("TEI") and root.find(tei("standOff")) is not None:
            found.append(path)
    return found, unread


def referenced_files(tree: etree._ElementTree) -> set[str]:
    """The register files the names of `tree` point to, as written in their @ref."""
    return {
        name.get("ref").partition("#")[0]
        for name in tree.getroot().iter(*NAME_TAGS)
        if name.get("ref") and "#" in name.get("ref")
    }


def register_paths(tree: etree._ElementTree, path: Path) -> dict[str, Path]:
    """The register files that the names of the document at `path` point to, by the name
    their refs give them.

    Refs are resolved against the document's folder, through the safe loader, so a ref can
    only reach files inside the edition.
    """
    path = Path(path)
    missing = missing_registers(tree, path)
    if missing:
        raise EditionError(next(iter(missing.values())))
    return register_paths_found(tree, path)


def register_paths_found(tree: etree._ElementTree, path: Path) -> dict[str, Path]:
    """The register files that the names of the document at `path` point to and that exist,
    by the name their refs give them."""
    found: dict[str, Path] = {}
    for name in sorted(referenced_files(tree)):
        try:
            target = confine(name, path, path.parent)
        except RefusedResource:
            continue  # reported as an unresolved ref by the linter and the rules
        if target.is_file():
            found[name] = target
    return found


def missing_registers(tree: etree._ElementTree, path: Path) -> dict[str, Diagnostic]:
    """One error per register file that names point to but that does not exist (deleted,
    renamed), at the first name pointing to it, by the name the refs give the file: without
    it, every one of those names would be built without its entry."""
    path = Path(path)
    pointing: dict[str, list[etree._Element]] = {}
    for name in tree.getroot().iter(*NAME_TAGS):
        file, hash_sign, _ = (name.get("ref") or "").partition("#")
        if hash_sign and file:
            pointing.setdefault(file, []).append(name)
    problems = {}
    for file, names in sorted(pointing.items()):
        try:
            target = confine(file, path, path.parent)
        except RefusedResource:
            continue  # reported as an unresolved ref by the linter and the rules
        if target.exists():
            continue
        first = names[0]
        problems[file] = error(
            f"<{etree.QName(first).localname}> points to the register {file}, which does not "
            f"exist ({target}; {len(names)} name{'' if len(names) == 1 else 's'} point to it)",
            source_file(first, {}, path), first.sourceline, code="register-missing").diagnostic
    return problems


def registers_for(tree: etree._ElementTree, path: Path) -> Registers:
    """The registers that the names of the document at `path` point to, read once."""
    return read_registers(register_paths(tree, path))


def read_registers(paths: dict[str, Path]) -> Registers:
    """The entries of register files, each keyed by the name its refs give it. A file that
    names point to but that holds no entry (another file saved over it) is an error, as a
    file that is gone is: without it, every one of those names would be built without its
    entry."""
    return Registers(entry for name, target in paths.items()
                     for entry in register_entries(name, target))


def register_entries(name: str, target: Path) -> list[Entry]:
    """The entries of the register `target`, which names call `name`; an error if it holds
    none."""
    found = read_register(target, key_prefix=name)
    if not found:
        raise error(f"the register {name} holds no entry (<person>, <place> or <org>): "
                    "every name pointing to it would be built without its entry", target, 1,
                    code="register-empty")
    return found


def unusable_registers(tree: etree._ElementTree, path: Path) -> dict[str, Diagnostic]:
    """The error of each register file that the names of the document at `path` point to and
    that exists but cannot serve (not well-formed, an entry without an id, no entry at all),
    by the name the refs give it: what a build of the document would stop at."""
    problems = {}
    for name, target in register_paths_found(tree, Path(path)).items():
        try:
            register_entries(name, target)
        except EditionError as refusal:
            problems[name] = refusal.diagnostic
    return problems


def edition_registers(folder: Path) -> tuple[Registers, list[Diagnostic]]:
    """Every register of an edition folder (for the linter), and a warning for each file there
    that cannot be read (register_files)."""
    paths, unread = register_files(folder)
    return Registers(entry for path in paths for entry in read_register(path)), unread


def name_elements(tree: etree._ElementTree) -> Iterator[etree._Element]:
    """The names of the texts, in document order: body, front, notes and captions, not the
    header or the back matter (whose bibliography has names of its own kind)."""
    outside = {tei("teiHeader"), tei("back")}
    for name in tree.getroot().iter(*NAME_TAGS):
        ancestors = {ancestor.tag for ancestor in name.iterancestors()}
        if tei("text") in ancestors and not ancestors & outside:
            yield name
