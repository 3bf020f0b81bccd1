"""Every note called is set (writers/footnotes_kept.py): WeasyPrint 70 dropped the notes of a
line it kept last on a page after carrying the page's notes over to make room for it."""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.layout import block

from tei_edition.writers import footnotes_kept, pdf
from test_note_pages import note_pages

# Seven lines fill a page of twelve but for the room of a note; the paragraph after them has a
# note in every line: its second line must carry the first's note over to fit (orphans: 2).
PAGE = """<style>@page { size: 200px 120px; margin: 0; }
body { font: 10px/10px sans-serif; margin: 0; }
p { margin: 0; orphans: 2; widows: 2; }
.note { float: footnote; }</style>"""


def notes_lost(html: str) -> set[str]:
    """The notes whose call a page holds and whose text no page's foot holds."""
    return set(note_pages(weasyprint.HTML(string=html).render()).unset())


def dense_notes() -> str:
    filler = "".join(f"<p>line {number}</p>" for number in range(7))
    lines = "".join(f'word{number}<span class="note">note {number}</span><br>'
                    for number in range(6))
    return f"{PAGE}{filler}<p>{lines}</p>"


def test_a_note_in_the_line_kept_last_on_a_page_is_set() -> None:
    assert block._linebox_layout is footnotes_kept.linebox_layout_keeping_notes  # pdf.py's
    assert pdf.footnotes_kept is footnotes_kept
    assert notes_lost(dense_notes()) == set()


def test_weasyprint_itself_loses_that_note(monkeypatch: pytest.MonkeyPatch) -> None:
    """The case above is the one upstream gets wrong: the override is what sets the note."""
    monkeypatch.setattr(block, "_linebox_layout", footnotes_kept.UPSTREAM_LINEBOX_LAYOUT)
    assert notes_lost(dense_notes()) == {"note 1"}


def test_the_override_stays_out_of_another_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(block, "_linebox_layout", footnotes_kept.UPSTREAM_LINEBOX_LAYOUT)
    assert not footnotes_kept.install("71.0")
    assert block._linebox_layout is footnotes_kept.UPSTREAM_LINEBOX_LAYOUT
