"""The critical apparatus as data: every editorial intervention of a text, in reading order.

Each `<choice>` of a text is one intervention: the editor's reading (the lemma: `<corr>`,
`<reg>` or `<expan>`) against the witness's (`<sic>`, `<orig>` or `<abbr>`), with its type
(`extraction`, `error`, `variant`) and who made it (`@resp`). `edition apparatus` prints the
list; the HTML, EPUB and PDF writers render the same list, so it is built once, here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from . import XML_NS, tei
from .text import line_number, reading_text
from .views import DIPLOMATIC, NORMALISED

# (witness side, editorial side, the type an untyped intervention of this pair has)
PAIRS = (
    (tei("sic"), tei("corr"), "correction"),
    (tei("orig"), tei("reg"), "regularisation"),
    (tei("abbr"), tei("expan"), "expansion"),
)
AUTHORIAL_TYPES = frozenset({"error", "variant"})  # what a reader's apparatus shows


@dataclass(frozen=True)
class Intervention:
    lemma: str  # the editorial reading, as the reading text shows it
    reading: str  # the witness reading, as the source has it
    type: str  # "extraction", "error", "variant" (or the pair's default)
    resp: str  # @resp as written, e.g. "edition.xml#edition-team"
    line: int | None  # the source line where the witness reading starts
    certainty: str | None  # @cert of the editorial side, if the editor gave one
    text_id: str  # xml:id of the text division it belongs to ("" if none)
    ref: str  # @ref of the name it stands in ("" if none): links it to the register
    element: etree._Element = field(compare=False, repr=False)  # the <choice>

    @property
    def responsible(self) -> str:
        """Who made the intervention, short: the pointer's fragment ("edition-team")."""
        return self.resp.rpartition("#")[2] or self.resp

    @property
    def authorial(self) -> bool:
        """True for what the author wrote (errors, variants), False for extraction repairs."""
        return self.type in AUTHORIAL_TYPES

    def __str__(self) -> str:
        where = f"{self.line}: " if self.line is not None else ""
        details = ", ".join(part for part in (self.type, self.responsible, self.certainty) if part)
        return f"{where}{self.lemma} ] {self.reading}  ({details})"


def interventions(tree: etree._ElementTree | etree._Element) -> list[Intervention]:
    """Every intervention of the texts in `tree` (an article or a corpus), in reading order."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    found = []
    for choice, line in _choices_with_lines(root):
        if _outside_the_text(choice):
            continue
        intervention = _intervention(choice, line)
        if intervention is not None:
            found.append(intervention)
    return found


def _choices_with_lines(root: etree._Element) -> Iterator[tuple[etree._Element, int | None]]:
    """Each `<choice>` with the number of the last `<lb n>` before it (a number, not "12a"),
    in one walk of the tree: an `<lb>` precedes what starts after it ends (XPath's
    `preceding::`, which asked once per choice made the apparatus quadratic in the text)."""
    line = None
    for event, element in etree.iterwalk(root, events=("start", "end"),
                                         tag=(tei("lb"), tei("choice"))):
        if event == "start" and element.tag == tei("choice"):
            yield element, line
        elif event == "end" and element.tag == tei("lb") and line_number(element) is not None:
            line = line_number(element)  # ("²" is a digit to str.isdigit(), not to int())


def _outside_the_text(element: etree._Element) -> bool:
    ancestors = {a.tag for a in element.iterancestors()}
    return tei("text") not in ancestors or bool({tei("teiHeader"), tei("back")} & ancestors)


def _intervention(choice: etree._Element, line: int | None) -> Intervention | None:
    for witness_tag, editorial_tag, default_type in PAIRS:
        witness = choice.find(witness_tag)
        editorial = choice.find(editorial_tag)
        if witness is None or editorial is None:
            continue
        return Intervention(
            lemma=reading_text(editorial, NORMALISED),
            reading=reading_text(witness, DIPLOMATIC),
            type=editorial.get("type") or default_type,
            resp=editorial.get("resp") or witness.get("resp") or "",
            line=line,
            certainty=editorial.get("cert"),
            text_id=_text_id(choice),
            ref=_name_ref(choice),
            element=choice,
        )
    return None  # not a pair of alternatives: the Schematron rules report it


def _text_id(element: etree._Element) -> str:
    for ancestor in element.iterancestors():
        ident = ancestor.get(f"{{{XML_NS}}}id")
        if ident:
            return ident
    return ""


def _name_ref(element: etree._Element) -> str:
    for ancestor in element.iterancestors(tei("persName"), tei("placeName"), tei("orgName")):
        if ancestor.get("ref"):
            return ancestor.get("ref")
    return ""


def format_apparatus(found: Iterable[Intervention]) -> str:
    """The apparatus as text, one intervention a line, grouped by text when there are several."""
    found = list(found)
    groups = list(dict.fromkeys(i.text_id for i in found))
    lines: list[str] = []
    for text_id in groups:
        if len(groups) > 1:
            lines.append(f"[{text_id or 'text'}]")
        lines.extend(str(i) for i in found if i.text_id == text_id)
    return "\n".join(lines) + ("\n" if lines else "")


def summary(found: Iterable[Intervention]) -> str:
    counts = Counter(i.type for i in found)
    total = sum(counts.values())
    parts = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    return f"{total} interventions ({parts})" if total else "no interventions"
