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
    written = []
    for face in sorted(FONTS.glob("*.otf")):
        output = target / f"{face.stem}.{flavor or 'otf'}"
        shutil.copyfile(cached_subset(face, characters, flavor), output)
        written.append(output)
    return written


def cached_subset(face: Path, characters: list[int], flavor: str | None) -> Path:
    """The subset of `face`, from the cache or made now (and written there atomically)."""
    key = hashlib.sha256(b"\0".join([
        face.read_bytes(), ",".join(map(str, characters)).encode(), str(flavor).encode(),
        fontTools.version.encode()])).hexdigest()[:32]
    cached = CACHE / f"{face.stem}-{key}.{flavor or 'otf'}"
    if cached.exists():
        return cached
    # Imported here, on a miss: the subsetter's modules take longer to import than a small
    # edition's whole web build (from the cache) takes to run.
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
    return cached
