"""The print variant for the press: black ink only, and a PDF/X-4 output intent named as a
preflight reads it.

The text and rules are black ink (K) by styles/print-trim.css; the drawings that paint
themselves in their SVG (the map of places, placemap.py), which no stylesheet reaches, are
turned into tints of black here, each colour by its lightness.

WeasyPrint embeds the `device-cmyk` profile of styles/print-trim.css as the DestOutputProfile
of a GTS_PDFX output intent, but names the printing condition by the profile's URL, a path on
the machine that built the PDF. A preflight reads OutputConditionIdentifier as a characterised
printing condition of the ICC registry: the shipped profile (styles/color/LICENSE.md) is made
from Fogra's FOGRA39 data, offset on coated paper.
"""

from __future__ import annotations

import re
import uuid

import lxml.html
import pydyf

SVG_COLOUR = re.compile(r"#([0-9a-fA-F]{6})")
PAINTS = ("fill", "stroke", "stop-color")
RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")
PRINTING_CONDITION = {
    "OutputConditionIdentifier": "FOGRA39",
    "OutputCondition": "Offset printing on coated paper, ISO 12647-2:2004 (FOGRA39)",
    "RegistryName": "http://www.color.org",
    "Info": "Coated FOGRA39 (ISO 12647-2:2004)",
}


def name_printing_condition(pdf: pydyf.PDF) -> None:
    """Name the printing condition of every PDF/X output intent of `pdf`."""
    for intent in pdf.catalog.get("OutputIntents", ()):
        if intent.get("S") == "/GTS_PDFX":
            intent.update({key: pydyf.String(value) for key, value in PRINTING_CONDITION.items()})


def derive_document_id(pdf: pydyf.PDF) -> None:
    """Replace the XMP's random DocumentID by one derived from the rest of the metadata."""
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and any(
                isinstance(part, bytes) and RANDOM_DOCUMENT_ID.search(part)
                for part in stream.stream):
            content = b"".join(stream.stream)
            derived = uuid.uuid5(uuid.NAMESPACE_OID, RANDOM_DOCUMENT_ID.sub(b"", content).hex())
            stream.stream = [RANDOM_DOCUMENT_ID.sub(f"xmp.did:{derived}".encode(), content)]


def black_ink_only(html: lxml.html.HtmlElement) -> None:
    """Every colour an SVG drawing paints itself as a tint of black ink: `device-cmyk(0 0 0 k)`,
    k the darkness (1 − luma) of the colour; a transparent paint (the map's touch targets) is
    no paint, not an invisible RGB black fill."""
    for drawing in html.iter("svg"):
        for element in drawing.iter():
            for paint in PAINTS:
                colour = SVG_COLOUR.fullmatch(element.get(paint) or "")
                if colour:
                    element.set(paint, black_tint(colour.group(1)))
                elif element.get(paint) == "transparent":
                    element.set(paint, "none")


def black_tint(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    darkness = 1 - (0.299 * red + 0.587 * green + 0.114 * blue)
    return f"device-cmyk(0 0 0 {round(darkness, 3):g})"
