"""The shipped fonts, cut down for the screen: subset to what the edition writes, and for the web
compressed as WOFF2 (fontTools). The print keeps the full OpenType files.

The same faces as the print (styles/fonts), so the web, the e-book and the PDF look alike;
seven full faces weigh 3 MB, their subsets to the edition's text a few hundred KB. Subsetting
and Brotli take seconds per face, so each subset is kept in a cache named after what it is made
of (face, characters, format): a rebuild with the same characters reuses it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import fontTools

from ..forking import fork_context
from . import FONTS, PROJECT_ROOT

CACHE = PROJECT_ROOT / "build" / "font-cache"
# Always kept, whatever the text: ASCII, the no-break space, punctuation and the arrows the
# stylesheets and writers add (a reader's own note or search is typed in another font).
REPERTOIRE = frozenset([*range(0x20, 0x7F), 0xA0, *range(0x2010, 0x203B), *range(0x2190, 0x219A),
                        0x21A9])


def subset_fonts(text: str, target: Path, flavor: str | None) -> list[Path]:
    """The shipped faces subset to the characters of `text` (and the repertoire), written into
    `target` under their own names with the extension of `flavor` ("woff2", or None: OpenType)."""
    characters = sorted(REPERTOIRE | set(map(ord, set(text))))  # distinct characters first
    target.mkdir(parents=True, exist_ok=True)
    faces = sorted(FONTS.glob("*.otf"))
    subsets = {face: cached_path(face, characters, flavor) for face in faces}
    make_subsets({face: subset for face, subset in subsets.items() if not subset.exists()},
                 characters, flavor)
    written = []
    for face, subset in subsets.items():
        output = target / f"{face.stem}.{flavor or 'otf'}"
        shutil.copyfile(subset, output)
        written.append(output)
    return written


def cached_path(face: Path, characters: list[int], flavor: str | None) -> Path:
    """Where the cache keeps the subset of `face`: named after what it is made of."""
    key = hashlib.sha256(b"\0".join([
        face.read_bytes(), ",".join(map(str, characters)).encode(), str(flavor).encode(),
        fontTools.version.encode()])).hexdigest()[:32]
    return CACHE / f"{face.stem}-{key}.{flavor or 'otf'}"


def make_subsets(missing: dict[Path, Path], characters: list[int], flavor: str | None) -> None:
    """The subsets of the faces `missing` made into the cache (face -> its place there), shared
    out among the cores where the process may fork (fontTools is pure Python: threads would
    take turns): each forked child makes its share and exits, the parent makes the rest. A
    face a child did not make (it failed) is made here, where its error is raised."""
    if not missing:
        return
    # Imported here, on a miss: the subsetter's modules take longer to import than a small
    # edition's whole web build (from the cache) takes to run; and before forking, not in
    # every child.
    from fontTools import subset, ttLib  # noqa: F401

    faces = list(missing.items())
    cores = min(len(faces), os.cpu_count() or 1) if fork_context() is not None else 1
    children = []
    try:
        for share in range(1, cores):
            child = os.fork()
            if child == 0:
                status = 1
                try:
                    for face, cached in faces[share::cores]:
                        make_subset(face, characters, flavor, cached)
                    status = 0
                finally:
                    os._exit(status)
            children.append(child)
        for face, cached in faces[0::cores]:
            make_subset(face, characters, flavor, cached)
    finally:
        for child in children:
            os.waitpid(child, 0)
    for face, cached in faces:
        if not cached.exists():
            make_subset(face, characters, flavor, cached)


def make_subset(face: Path, characters: list[int], flavor: str | None, cached: Path) -> None:
    """Subset `face` and write it to `cached` (atomically: a reader never sees a part)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = flavor
    # fontTools' default features (kerning, ligatures, marks, localised forms) and figures.
    options.layout_features += ["onum", "lnum", "pnum", "tnum", "sups"]
    options.name_IDs = ["*"]  # the licence and copyright notices stay in the font
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps, nothing a reader needs
    # The face's own head.modified, not the time of subsetting: a subset cached last week and
    # one made now are the same bytes (reproducible builds under SOURCE_DATE_EPOCH).
    font = TTFont(face, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
    subsetter.subset(font)
    CACHE.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=CACHE, suffix=".part")
    os.close(descriptor)
    font.flavor = flavor
    font.save(temporary)
    os.replace(temporary, cached)


LIGATURES = FONTS / "ligatures.json"


def encoded_ligatures(faces: list[Path]) -> dict[str, str]:
    """The sequences of characters that the common ligatures (`liga`) of `faces` set as a glyph
    which is also a character's own ("..." as the glyph of "…", "fi" as that of "ﬁ"), each
    with that character. A private-use glyph is no character of a text: left out."""
    from fontTools.ttLib import TTFont

    found: dict[str, str] = {}
    for face in faces:
        font = TTFont(face, lazy=True)
        if "GSUB" not in font:
            continue
        character_of: dict[str, int] = {}
        for code, glyph in sorted(font.getBestCmap().items()):
            character_of.setdefault(glyph, code)
        table = font["GSUB"].table
        for record in table.FeatureList.FeatureRecord:
            if record.FeatureTag != "liga":
                continue
            for index in record.Feature.LookupListIndex:
                lookup = table.LookupList.Lookup[index]
                for subtable in lookup.SubTable:
                    if lookup.LookupType == 7:  # an extension: the real subtable inside
                        subtable = subtable.ExtSubTable
                    for first, ligatures in getattr(subtable, "ligatures", {}).items():
                        for ligature in ligatures:
                            codes = [character_of.get(glyph)
                                     for glyph in (first, *ligature.Component,
                                                   ligature.LigGlyph)]
                            if None not in codes and not 0xE000 <= codes[-1] <= 0xF8FF:
                                found["".join(map(chr, codes[:-1]))] = chr(codes[-1])
    return dict(sorted(found.items()))
