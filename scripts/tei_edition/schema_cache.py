"""A cache of reduced grammars: tei_all reduced to a vocabulary is the same grammar for every
build of the same files, so it is kept, under a name made of what it is made of (the schema's
bytes, the reduction's code, the vocabulary), and read back instead of made again.

Reading tei_all (1.1 MB), checking its shape and reducing it take a quarter of a second, more
than the validation of a 2 MB text against the result; the reduced grammar is a tenth of the
size and compiles at once. The full grammar is read only when a problem must be explained.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from lxml import etree

from . import schemas
from .load import parse_xml
from .schemas import Name, is_reducible, read_grammar, reduce_grammar

CACHE = schemas.SCHEMA_DIR.parent / "build" / "schema-cache"
REDUCTION_CODE = Path(schemas.__file__)
# The reductions kept, the most recently used (some 50 KB each): every vocabulary of a corpus of
# a few hundred files, while those of edited files and of older reduction code age out.
KEPT = 256


def reduced_grammar(path: Path, used: set[Name]) -> etree._ElementTree | None:
    """The grammar of `path` reduced to the vocabulary `used`, from the cache or made now
    (and kept); None when the grammar is not of the shape the reduction expects."""
    key = hashlib.sha256(b"\0".join([
        path.read_bytes(), REDUCTION_CODE.read_bytes(),
        "\n".join(sorted(f"{namespace} {name}" for namespace, name in used)).encode(),
    ])).hexdigest()[:32]
    cached = CACHE / f"{path.stem}-{key}.rng"
    if cached.is_file():
        with contextlib.suppress(OSError):  # a read-only installation keeps what it has
            os.utime(cached)  # used now: the last to age out
        return parse_xml(cached, check_ids=False)
    full = read_grammar(path)
    if not is_reducible(full):
        return None
    grammar = reduce_grammar(full, used)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=CACHE, suffix=".part")
    except OSError:  # a read-only installation: reduced again next time
        return grammar
    try:
        with os.fdopen(descriptor, "wb") as part:
            grammar.write(part)
        os.replace(temporary, cached)
    finally:
        Path(temporary).unlink(missing_ok=True)
    forget_the_least_used(CACHE, KEPT)
    return grammar


def forget_the_least_used(folder: Path, kept: int) -> None:
    """Delete all but the `kept` reductions of `folder` most recently used (by time of last
    use: a read touches its file), so that the cache does not grow with every vocabulary and
    every change of the reduction's code."""
    entries = []
    for entry in folder.glob("*.rng"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry))
        except OSError:  # deleted meanwhile by a build beside this one
            continue
    for _, entry in sorted(entries, reverse=True)[kept:]:
        entry.unlink(missing_ok=True)
