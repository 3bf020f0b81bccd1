"""A map of the places the texts name: the register's coordinates on modern borders, as SVG.

The map is drawn offline from data in the edition: the places' `<location><geo>` (taken from a
stored source by scripts/locate-places, never guessed) and the region's modern borders in
edition/maps/borders.json (Natural Earth, projected by scripts/map/borders.mjs, which records
its projection so that the points here fall where the borders were drawn). Borders are modern
and labelled so; the places carry the register's headwords, the names of the period. A place
without coordinates, or outside the frame, is listed, not dropped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .diagnostics import error
from .registers import Entry

BORDERS = Path("maps") / "borders.json"  # relative to the edition's folder
EDGE = 40  # a country name closer than this to the frame's edge is left out (a sliver shows)
FACE = "Linux Biolinum, sans-serif"
NAME_WIDTH = 13  # the average width of a letter of a place's name, in map units
# Painted in the SVG itself, so that the map looks the same in every reader and format; a
# stylesheet may still restyle it through the classes (the web's adds a halo to the names,
# which WeasyPrint, without paint-order, would paint over them).
PAINT = {
    "sea": {"fill": "#e8eef2"},
    "country": {"fill": "#f7f4ec", "stroke": "none"},
    "border": {"fill": "none", "stroke": "#8a8478", "stroke-width": "1.2",
               "stroke-dasharray": "5 3"},
    "country-name": {"fill": "#6b665c", "font-family": FACE, "font-size": "20",
                     "letter-spacing": "4", "text-anchor": "middle"},
    "place": {"fill": "#7a1f1f", "stroke": "#ffffff", "stroke-width": "1.5"},
    "place-name": {"fill": "#1a1a1a", "font-family": FACE, "font-size": "24"},
    "legend": {"fill": "#1a1a1a", "font-family": FACE, "font-size": "20", "font-style": "italic"},
}


@dataclass(frozen=True)
class PlaceMap:
    """The map and what it could not show."""

    svg: etree._Element
    shown: list[Entry]
    outside: list[Entry]  # located, but beyond the frame
    not_located: list[Entry]
    credit: str  # where the borders come from


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
    etree.SubElement(svg, "title", id="place-map-title").text = (
        "Map of the places named in the texts, on modern borders")
    etree.SubElement(svg, "rect", {"width": str(width), "height": str(height),
                                   "class": "map-sea", **PAINT["sea"]})
    for country in borders["countries"]:
        etree.SubElement(svg, "path", {"d": country["path"], "class": "map-country",
                                       **PAINT["country"]})
    etree.SubElement(svg, "path", {"d": borders["borders"], "class": "map-border",
                                   **PAINT["border"]})
    for country in borders["countries"]:
        x, y = country["label"]
        if EDGE < x < width - EDGE and EDGE < y < height - EDGE:
            label = etree.SubElement(svg, "text", {"x": str(x), "y": str(y),
                                                   "class": "map-country-name",
                                                   **PAINT["country-name"]})
            label.text = country["name"].upper()
    legend = etree.SubElement(svg, "text", {"x": "12", "y": "30", "class": "map-legend",
                                            **PAINT["legend"]})
    legend.text = "Borders of today (dashed); names as in the texts, today’s in brackets"
    shown, outside, not_located = [], [], []
    for entry in places:
        if entry.location is None:
            not_located.append(entry)
            continue
        x, y = projected(entry.location.latitude, entry.location.longitude,
                         borders["projection"])
        if not (0 <= x <= width and 0 <= y <= height):
            outside.append(entry)
            continue
        shown.append(entry)
        label = map_label(entry, heading(entry))
        point = etree.SubElement(svg, "a", {"href": link(entry), "class": "map-place"})
        etree.SubElement(point, "title").text = f"{label}: its entry in the index"
        # A target a finger can hit, larger than the point that shows.
        etree.SubElement(point, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "24",
                                           "fill": "transparent", "class": "map-hit"})
        etree.SubElement(point, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "6",
                                           **PAINT["place"]})
        # The name right of its point, or left of it where it would run off the map.
        left = x + 9 + NAME_WIDTH * len(label) > width
        name = etree.SubElement(point, "text", {
            "x": f"{x - 9 if left else x + 9:.1f}", "y": f"{y + 8:.1f}",
            **PAINT["place-name"], **({"text-anchor": "end"} if left else {})})
        name.text = label
    return PlaceMap(svg, shown, outside, not_located, borders["source"])


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
