"""The HTML's cost per note (issue 18): the transform and the writers' lookups by class made
cheaper, with the same results as the plain means they replace (lxml's `find_class`), and the
transform not walked by Python's cycle collector again and again as the text grows.

Timings are `scripts/bench --scale`'s; the outputs byte for byte are test_scale's."""

from __future__ import annotations

import gc
from pathlib import Path

import lxml.html
import pytest

from tei_edition.html import cycle_collection_paused, to_html
from tei_edition.htmlpaths import ElementIndex, with_class
from tei_edition.load import load
from tei_edition.pipeline import transform
from tei_edition.synthetic import write_text


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_text(tmp_path_factory.mktemp("synthetic"), 400)


def test_the_transform_makes_no_collection_pass(synthetic: Path) -> None:
    """Before, the collector made a full pass over all the transform's objects over and over
    (a tenth of the transform of 50,000 notes, more per note the longer the text)."""
    tree = load(synthetic)
    passes: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        document = to_html(tree, synthetic)
    finally:
        gc.callbacks.remove(count)
    assert len(document.html.find_class("footnote")) == 400
    assert passes == []


def test_the_transform_leaves_no_cycle_to_collect(synthetic: Path) -> None:
    """With the collector paused, a cycle would keep what it holds until the collector came by
    again, in the writer: reading_text's nested walk, which called itself, held a TEI element,
    so the whole TEI tree outlived the transform (7 MB more at the web writer's peak for
    12,500 notes)."""
    gc.collect()
    document = transform(synthetic)
    assert len(document.html.find_class("app-entry")) == 80
    assert gc.collect() == 0


def test_the_collector_is_left_as_it_was() -> None:
    def fails() -> None:
        raise ValueError("the transform failed")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        cycle_collection_paused(fails)()
    assert gc.isenabled()
    gc.disable()
    try:
        assert cycle_collection_paused(gc.isenabled)() is False
        assert not gc.isenabled()
    finally:
        gc.enable()


INTERLEAVED = """<html><body><main>
<p class="name persName" id="a">A</p><p class="choice">B<span class="name">C</span></p>
<p class="name  placeName" id="d">D</p><p class="persName name">E<a class="name">F</a></p>
<p class="lb lb">G</p><span class="lb" id="h"></span><span class="x-lb">I</span>
</main></body></html>"""


def documents(synthetic: Path) -> list[lxml.html.HtmlElement]:
    return [lxml.html.fromstring(INTERLEAVED), transform(synthetic).html]


def test_an_element_index_lists_each_class_as_find_class_does(synthetic: Path) -> None:
    """The same elements in the same (document) order, a class held by several values of the
    class attribute ("name persName", "name  placeName") included, each element once."""
    for html in documents(synthetic):
        body = html.find("body")
        parts = list(body)
        index = ElementIndex(parts)
        names = {name for element in html.iter() for name in element.get("class", "").split()}
        assert {"name", "lb", "choice"} <= names
        for name in names:
            expected = [found for part in parts for found in part.find_class(name)]
            assert index.of_class(name) == expected, name
            assert index.of_class(name, "a") == [e for e in expected if e.tag == "a"], name
        assert index.of_class("no-such-class") == []
        assert index.ids == [element.get("id") for part in parts for element in part.iter()
                             if element.get("id") is not None]


def test_a_query_by_tag_and_class_finds_what_find_class_finds(synthetic: Path) -> None:
    for html in documents(synthetic):
        for name, tag in (("lb", "span"), ("name", "a"), ("name", "p"), ("footnote", "li"),
                          ("references", "ol"), ("x", "span")):
            assert with_class(name, tag)(html) == [
                element for element in html.find_class(name) if element.tag == tag]
        assert with_class("name")(html) == html.find_class("name")
