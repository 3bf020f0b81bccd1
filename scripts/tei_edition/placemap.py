"""A map of the places the texts name: the register's coordinates on modern borders, as SVG.

The map is drawn offline from data in the edition: the places' `<location><geo>` (taken from a
stored source by scripts/locate-places, never guessed) and the region's modern borders in
edition/maps/borders.json (Natural Earth, projected by scripts/map/borders.mjs, which records
its projection so that the points here fall where the borders were drawn). Borders are modern
and labelled so; the places carry the register's headwords, the names of the period. A state the
register places as a country of today (`<location><country>`) is the country named on the map,
its name linked to its entry. A place without coordinates, or outside the frame, is listed, not
dropped. Every name is drawn on a white halo, so that no border runs through its letters. A
place's name goes beside its point where, at the largest type it is drawn in (a phone's), it
keeps clear of every other name and point (place_names); a name with no such room is left off,
its point drawn, and listed, not printed over another.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .diagnostics import error
from .registers import Entry

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

BORDERS = Path("maps") / "borders.json"  # relative to the edition's folder
EDGE = 40  # a country name closer than this to the frame's edge is left out (a sliver shows)
FACE = "Linux Biolinum, sans-serif"
# The face's files, whose outlines draw the names' halos (add_halo); writers.FONTS, which this
# module, imported by the writers, cannot import.
FONTS = Path(__file__).resolve().parents[2] / "styles" / "fonts"
# The largest type each kind of name is drawn in, against its size here (PAINT): the web's on a
# phone (styles/web.css: `.map-place text` 40px, `.map-country-name, .map-legend` 34px). Names
# are placed clear of each other at that size; smaller, each shrinks towards its anchor, inside
# the box it was placed by.
LARGEST = {"map-place-name": 40 / 24, "map-country-name": 34 / 20, "map-legend": 34 / 20}
ASCENT = 0.72  # the height of the face's tallest letters, "(" and "h", in em
GAP = 6  # the least room between two names (or a name and a point), in map units
POINT = 7  # a place's point, its radius and stroke, in map units
# In short lines, so that at its largest (LARGEST) the legend finds a corner clear of the names.
LEGEND = ("Borders of today (dashed);", "names as in the texts,", "today’s in brackets")
LEGEND_LINE = 1.3  # the legend's line spacing, in em
MARGIN = 12  # between the legend and the frame
# Painted in the SVG itself, so that the map looks the same in every reader and format; a
# stylesheet may still restyle it through the classes (the web's, for its dark theme).
PAINT = {
    "sea": {"fill": "#e8eef2"},
    "country": {"fill": "#f7f4ec", "stroke": "none"},
    "border": {"fill": "none", "stroke": "#8a8478", "stroke-width": "1.2",
               "stroke-dasharray": "5 3"},
    "country-name": {"fill": "#6b665c", "font-family": FACE, "font-size": "20",
                     "letter-spacing": "0.08em", "text-anchor": "middle"},
    "place": {"fill": "#7a1f1f", "stroke": "#ffffff", "stroke-width": "1.5"},
    "place-name": {"fill": "#1a1a1a", "font-family": FACE, "font-size": "24"},
    "legend": {"fill": "#1a1a1a", "font-family": FACE, "font-size": "20", "font-style": "italic"},
    # A name's outlines stroked white under it: WeasyPrint does not paint SVG's `paint-order`.
    "halo": {"fill": "#ffffff", "stroke": "#ffffff", "stroke-width": "5",
             "stroke-linejoin": "round"},
}


@dataclass(frozen=True)
class PlaceMap:
    """The map and what it could not show."""

    svg: etree._Element
    shown: list[Entry]
    states: list[Entry]  # drawn as the country of today they are, its name linked to them
    outside: list[Entry]  # located, or a country of today, but beyond the frame
    not_located: list[Entry]
    credit: str  # where the borders come from
    unnamed: list[Entry]  # drawn, but with no room for a name clear of the others


def borders_file(edition_folder: Path) -> Path:
    return edition_folder / BORDERS


def place_map(places: list[Entry], borders: dict, link: Callable[[Entry], str],
              heading: Callable[[Entry], str]) -> PlaceMap:
    """Draw `places` (register entries) on the projected `borders`; `link(entry)` gives the
    href of a place's register entry, `heading(entry)` its name as the index shows it."""
    width, height = borders["width"], borders["height"]
    svg = etree.Element("svg", {
        "viewBox": f"0 0 {width} {height}", "class": "place-map-svg", "role": "img",
        "aria-labelledby": "place-map-title"})
    title = etree.SubElement(svg, "title", id="place-map-title")
    etree.SubElement(svg, "rect", {"width": str(width), "height": str(height),
                                   "class": "map-sea", **PAINT["sea"]})
    for country in borders["countries"]:
        etree.SubElement(svg, "path", {"d": country["path"], "class": "map-country",
                                       **PAINT["country"]})
    etree.SubElement(svg, "path", {"d": borders["borders"], "class": "map-border",
                                   **PAINT["border"]})
    states = {country["name"]: [entry for entry in places
                                if entry.location is None and entry.country == country["name"]]
              for country in borders["countries"]}
    named: list[Box] = []  # where the names are, which the legend must not hide
    for country in borders["countries"]:
        x, y = country["label"]
        if not (EDGE < x < width - EDGE and EDGE < y < height - EDGE):
            states[country["name"]] = []  # a sliver of a country, unnamed: not its state
            continue
        name = country["name"].upper()
        named.append(name_box(name, x, y, "map-country-name"))
        label = svg
        if states[country["name"]]:
            label = etree.SubElement(svg, "a", {"href": link(states[country["name"]][0]),
                                                "class": "map-state"})
            etree.SubElement(label, "title").text = (
                f"{heading(states[country['name']][0])}: its entry in the index")
        country_name = etree.SubElement(label, "text", {
            "x": str(x), "y": str(y), "class": "map-country-name", **PAINT["country-name"]})
        country_name.text = name
        add_halo(country_name)
    shown, outside, not_located, points = [], [], [], []
    state_refs = {entry.ref for entries in states.values() for entry in entries}
    drawn_states = [entry for entry in places if entry.ref in state_refs]
    for entry in places:
        if entry.ref in state_refs:
            continue
        if entry.location is None:
            (outside if entry.country else not_located).append(entry)
            continue
        x, y = projected(entry.location.latitude, entry.location.longitude,
                         borders["projection"])
        if not (0 <= x <= width and 0 <= y <= height):
            outside.append(entry)
            continue
        shown.append(entry)
        # The name as the texts give it, not the index's "Nakhchivan (city)": a bracket on the
        # map holds today's name (the legend says so); the index heading is the link's title.
        points.append((entry, x, y, map_label(entry, entry.heading)))
    placed = place_names([(x, y, label) for _, x, y, label in points], named, width, height)
    unnamed = []
    for (entry, x, y, label), position in zip(points, placed, strict=True):
        point = etree.SubElement(svg, "a", {"href": link(entry), "class": "map-place"})
        etree.SubElement(point, "title").text = f"{heading(entry)}: its entry in the index"
        # A target a finger can hit, larger than the point that shows.
        etree.SubElement(point, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "24",
                                           "fill": "transparent", "class": "map-hit"})
        etree.SubElement(point, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "6",
                                           **PAINT["place"]})
        if position is None:  # no room: the point is drawn, its name listed under the map
            unnamed.append(entry)
            continue
        (left, baseline), anchor = position
        named.append(name_box(label, left, baseline, "map-place-name", anchor))
        place_name = etree.SubElement(point, "text", {
            "x": f"{left:.1f}", "y": f"{baseline:.1f}", "class": "map-place-name",
            **PAINT["place-name"], **({"text-anchor": anchor} if anchor != "start" else {})})
        place_name.text = label
        add_halo(place_name)
    svg.append(legend(borders, named))
    add_halo(svg[-1])
    title.text = map_title(svg, [map_label(entry, entry.heading) for entry in unnamed])
    return PlaceMap(svg, shown, drawn_states, outside, not_located, borders["source"], unnamed)


Anchor = tuple[tuple[float, float], str]  # a name's anchor, x and baseline, and text-anchor


def name_candidates(x: float, y: float) -> list[Anchor]:
    """Where a place's name may go about its point at (x, y), in the order tried: right of it,
    left, above, below, then at its four corners; each beside the point, which it leads to."""
    size = float(PAINT["place-name"]["font-size"]) * LARGEST["map-place-name"]
    below = y + 10 + ASCENT * size  # the tops of its letters, at their largest, under the point
    return [((x + 9, y + 8), "start"), ((x - 9, y + 8), "end"),
            ((x, y - 10), "middle"), ((x, below), "middle"),
            ((x + 5, y - 7), "start"), ((x + 5, below - 4), "start"),
            ((x - 5, y - 7), "end"), ((x - 5, below - 4), "end")]


def place_names(points: list[tuple[float, float, str]], named: list[Box], width: float,
                height: float) -> list[Anchor | None]:
    """Each place's name's anchor (name_candidates), clear of every point, of the names in
    `named` (the countries') and of the names placed before it, inside the frame; None for a name
    with no such room. The places with the fewest positions clear of the countries and the points
    are placed first, so that a crowded place is not left without room by a free one."""
    dots = [(x - POINT, y - POINT, x + POINT, y + POINT) for x, y, _ in points]
    frame = (0.0, 0.0, width, height)

    def clear(box: Box, taken: list[Box]) -> bool:
        return inside(box, frame) and not any(overlap(box, other) for other in taken)

    options = [[(anchor, name_box(label, *anchor[0], "map-place-name", anchor[1]))
                for anchor in name_candidates(x, y)] for x, y, label in points]

    def others(number: int) -> list[Box]:  # what a place's name must keep clear of, at first
        # not the points on its own (places a kilometre apart share a point's room: each name
        # is set about it, none lost because the other's point stands where its own does)
        return named + [dot for other, dot in enumerate(dots)
                        if other != number and not overlap(dot, dots[number])]

    order = sorted(range(len(points)),
                   key=lambda n: sum(clear(box, others(n)) for _, box in options[n]))
    placed: list[Anchor | None] = [None] * len(points)
    names: list[Box] = []
    for number in order:
        for anchor, box in options[number]:
            if clear(box, others(number) + names):
                placed[number] = anchor
                names.append(box)
                break
    return placed


def name_box(text: str, x: float, y: float, kind: str, anchor: str | None = None) -> Box:
    """Where a name drawn from (x, y) lies, its halo and GAP around it, at the largest size it
    is drawn in (LARGEST), from the face's advance widths: the box of its ink at every size."""
    paint = PAINT[kind.removeprefix("map-")]
    size = float(paint["font-size"]) * LARGEST[kind]
    spacing = float(paint.get("letter-spacing", "0").removesuffix("em")) * size
    face = halo_face(paint.get("font-style") == "italic")
    width = face.width(text, size, spacing)
    left = x - {"middle": width / 2, "end": width}.get(anchor or paint.get("text-anchor"), 0)
    top, bottom = face.ink(text)
    room = float(PAINT["halo"]["stroke-width"]) / 2 * LARGEST[kind] + GAP / 2
    return (left - room, y - top * size - room, left + width + room, y - bottom * size + room)


def legend_box(text: etree._Element) -> Box:
    """The legend's box at its largest, its lines set from its baseline in em (legend)."""
    size = float(PAINT["legend"]["font-size"]) * LARGEST["map-legend"]
    left, baseline = float(text.get("x")), float(text.get("y"))
    boxes = []
    for line in text.iter("tspan"):
        baseline += float(line.get("dy").removesuffix("em")) * size
        boxes.append(name_box(line.text, left, baseline, "map-legend"))
    return (min(box[0] for box in boxes), min(box[1] for box in boxes),
            max(box[2] for box in boxes), max(box[3] for box in boxes))


def overlap(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def inside(box: Box, frame: Box) -> bool:
    return (frame[0] <= box[0] and box[2] <= frame[2]
            and frame[1] <= box[1] and box[3] <= frame[3])


def map_title(svg: etree._Element, unnamed: list[str]) -> str:
    """The map's text alternative (a tagged PDF's /Alt, a screen reader's): what it shows and
    every name drawn on it, in the order drawn, since the drawing's own text is not read out,
    and the places drawn without their names (`unnamed`)."""
    def names(kind: str) -> str:
        return ", ".join("".join(text.itertext()) for text in svg.iter("text")
                         if text.get("class") == kind)

    points = f" Points without their names: {', '.join(unnamed)}." if unnamed else ""
    return (f"Map of the places named in the texts, on modern borders. Places: "
            f"{names('map-place-name')}.{points} Countries of today: "
            f"{names('map-country-name').title()}.")


def add_halo(name: etree._Element) -> None:
    """Put under a name on the map its letters' outlines stroked wide in white (its halo), so
    that a border line passing under the name stops at its letters. The halo is a path, not a
    second copy of the text, so the name is read, found and copied once (a PDF's text layer).
    Its letters are placed as WeasyPrint sets SVG text, one by one at their advance widths and
    the letter-spacing, with no kerning; the path is drawn about the text's anchor, so that a
    stylesheet can scale it with a larger type (the web's on a phone)."""
    x, y = float(name.get("x")), float(name.get("y"))
    face = halo_face(name.get("font-style") == "italic")
    size = float(name.get("font-size"))
    spacing = float(name.get("letter-spacing", "0").removesuffix("em")) * size
    lines = [(name.text or "", 0.0)] if not len(name) else [
        (line.text or "", float(line.get("dy").removesuffix("em")) * size) for line in name]
    outline, baseline = [], 0.0
    for text, down in lines:
        baseline += down
        width = face.width(text, size, spacing)
        anchor = {"middle": width / 2, "end": width}.get(name.get("text-anchor", "start"), 0)
        outline.append(face.outline(text, size, spacing, -anchor, baseline))
    halo = etree.Element("g", {**PAINT["halo"], "class": f"map-halo {name.get('class')}",
                               "transform": f"translate({x:g} {y:g})", "aria-hidden": "true"})
    etree.SubElement(halo, "path", d=" ".join(outline))
    name.addprevious(halo)


@dataclass(frozen=True)
class HaloFace:
    """A face of the map's names (FACE), read from the edition's own font files."""

    font: TTFont

    def advance(self, char: str) -> float:
        """The advance width of a letter, in em."""
        return self.font["hmtx"][self.glyph(char)][0] / self.font["head"].unitsPerEm

    def width(self, text: str, size: float, spacing: float) -> float:
        """The width of `text` set at `size` with `spacing` between its letters, unkerned."""
        return sum(self.advance(char) * size for char in text) + spacing * (len(text) - 1)

    def ink(self, text: str) -> tuple[float, float]:
        """How far `text`'s letters reach above its baseline and below it (negative), in em."""
        from fontTools.pens.boundsPen import BoundsPen

        glyphs, reach = self.font.getGlyphSet(), [0.0, 0.0]
        for char in set(text):
            pen = BoundsPen(glyphs)
            glyphs[self.glyph(char)].draw(pen)
            if pen.bounds:
                reach = [max(reach[0], pen.bounds[3]), min(reach[1], pen.bounds[1])]
        return reach[0] / self.font["head"].unitsPerEm, reach[1] / self.font["head"].unitsPerEm

    def glyph(self, char: str) -> str:
        return self.font.getBestCmap().get(ord(char), ".notdef")

    def outline(self, text: str, size: float, spacing: float, left: float, baseline: float,
                ) -> str:
        """The SVG path of `text`'s letters at `size`, from `left` on `baseline`."""
        from fontTools.pens.svgPathPen import SVGPathPen
        from fontTools.pens.transformPen import TransformPen

        glyphs, scale = self.font.getGlyphSet(), size / self.font["head"].unitsPerEm
        pen = SVGPathPen(glyphs, ntos=lambda value: f"{value:.1f}")
        for char in text:
            glyphs[self.glyph(char)].draw(TransformPen(pen, (scale, 0, 0, -scale, left,
                                                             baseline)))
            left += self.advance(char) * size + spacing
        return pen.getCommands()


@cache
def halo_face(italic: bool) -> HaloFace:
    """The face, read when a map is drawn (fontTools imported then: a build without a map of
    places, a long text's, need not)."""
    from fontTools.ttLib import TTFont

    return HaloFace(TTFont(FONTS / ("LinBiolinum_RI.otf" if italic else "LinBiolinum_R.otf")))


def legend(borders: dict, named: list[Box]) -> etree._Element:
    """The legend, in the first corner of the map (bottom left, top left, bottom right, top right)
    where, at its largest (LARGEST), no border crosses it and it keeps clear of every name in
    `named`; else in the bottom left. Its lines are set from that corner's edge, spaced in em, so
    that a larger type (the web's on a phone) grows away from the edge and stays inside the map."""
    width, height = borders["width"], borders["height"]
    size = float(PAINT["legend"]["font-size"]) * LARGEST["map-legend"]
    widest = max(halo_face(True).width(line, size, 0) for line in LEGEND)
    segments = list(border_segments(borders["borders"]))
    corners = [legend_lines(left, baseline, from_bottom)
               for left in (MARGIN, width - MARGIN - widest)
               for baseline, from_bottom in ((height - MARGIN - size / 4, True),
                                             (MARGIN + ASCENT * size, False))]
    for text in corners:
        box = legend_box(text)
        if not any(crosses(segment, box) for segment in segments) and not any(
                overlap(box, name) for name in named):
            return text
    return corners[0]


def legend_lines(left: float, baseline: float, from_bottom: bool) -> etree._Element:
    """The legend from `left`, its last line on `baseline` if `from_bottom`, else its first."""
    text = etree.Element("text", {"x": f"{left:g}", "y": f"{baseline:g}", "class": "map-legend",
                                  **PAINT["legend"]})
    first = 1 - len(LEGEND) if from_bottom else 0  # in lines from the baseline
    for number, line in enumerate(LEGEND):
        step = LEGEND_LINE * (1 if number else first)
        etree.SubElement(text, "tspan", {"x": f"{left:g}", "dy": f"{step:g}em"}).text = line
    return text


Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


def border_segments(path: str) -> Iterator[tuple[Point, Point]]:
    """The straight pieces of an SVG path of absolute moves and lines (d3-geo's "M…L…Z")."""
    for run in path.split("M"):
        points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", run)]
        yield from pairwise(points)


def crosses(segment: tuple[Point, Point], box: Box) -> bool:
    """Whether a segment meets a box (left, top, right, bottom): Liang–Barsky clipping."""
    (x1, y1), (x2, y2) = segment
    left, top, right, bottom = box
    low, high = 0.0, 1.0
    for step, room in ((x1 - x2, x1 - left), (x2 - x1, right - x1),
                       (y1 - y2, y1 - top), (y2 - y1, bottom - y1)):
        if step == 0:
            if room < 0:
                return False
        elif step < 0:
            low = max(low, room / step)
        else:
            high = min(high, room / step)
        if low > high:
            return False
    return True


def map_label(entry: Entry, heading: str) -> str:
    """The place as the texts name it, with today's name where it differs ("Alexandropol
    (Gyumri)")."""
    modern = next((form for kind, form in entry.other_names if kind == "modern"), None)
    return f"{heading} ({modern})" if modern and modern != entry.regular else heading


def projected(latitude: float, longitude: float, projection: dict) -> tuple[float, float]:
    """The point on the map: the spherical Mercator projection d3-geo drew the borders with
    (scale and translate as borders.mjs recorded them)."""
    if projection["name"] != "mercator":
        raise ValueError(f"unknown map projection {projection['name']!r}")
    scale, (dx, dy) = projection["scale"], projection["translate"]
    lam, phi = math.radians(longitude), math.radians(latitude)
    return scale * lam + dx, -scale * math.log(math.tan(math.pi / 4 + phi / 2)) + dy


def read_borders(path: Path) -> dict:
    """The projected borders; a file that is not what borders.mjs writes is an error there."""
    try:
        borders = json.loads(path.read_text(encoding="utf-8"))
        check_borders(borders)
    except json.JSONDecodeError as problem:
        raise error(f"malformed map borders: {problem.msg}", path, problem.lineno,
                    code="map-borders") from None
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as problem:
        raise error(f"malformed map borders: {problem}", path, code="map-borders") from None
    return borders


def check_borders(borders: object) -> None:
    """What place_map reads of the file is there, of the kind it reads."""
    def number(value: object) -> bool:
        return isinstance(value, int | float) and math.isfinite(value)

    if not isinstance(borders, dict) or not {
            "width", "height", "projection", "countries", "borders", "source"} <= set(borders):
        raise ValueError("not the borders of a map (scripts/map/borders.mjs writes them)")
    projection = borders["projection"]
    if not (number(borders["width"]) and number(borders["height"])
            and isinstance(projection, dict) and projection.get("name") == "mercator"
            and number(projection.get("scale"))
            and isinstance(projection.get("translate"), list)
            and len(projection["translate"]) == 2 and all(map(number, projection["translate"]))):
        raise ValueError("its size or its projection (Mercator: scale, translate) is not given")
    for country in borders["countries"]:
        if not (isinstance(country, dict) and isinstance(country.get("path"), str)
                and isinstance(country.get("name"), str)
                and isinstance(country.get("label"), list) and len(country["label"]) == 2
                and all(map(number, country["label"]))):
            raise ValueError("a country without its name, outline or label position")
    if not isinstance(borders["borders"], str):
        raise ValueError("the borders are not an SVG path")
