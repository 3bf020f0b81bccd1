"""XPath that libxml2 evaluates in time quadratic in the book (issue 18).

libxml2 merges the node sets a step finds from each of its context nodes, checking every node
found against all those already found. A descendant step after a step that finds many nodes
(`//article//span`, `//p//span`) or a union (`//a | //b`) is therefore quadratic in the nodes
found: `//article//span` over a book of 982 pages ran for minutes (the per-page cost of the
bench's largest book 1.8 times the smallest's), `preceding::*` from one element 17 s in a text
of 40,000 paragraphs. The pipeline's queries are read here from its code and held to linear
shapes; the rewritten ones are checked to find what the old ones found.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import lxml.html
import pytest
from lxml import etree

from conftest import ROOT
from tei_edition.htmlpaths import contents_links
from tei_edition.print_matter import authors_notes, html_captions
from tei_edition.text import preceding

CODE = ROOT / "scripts" / "tei_edition"
QUERY_CALLS = {"xpath", "XPath", "ETXPath"}


def expression(node: ast.expr) -> str | None:
    """The query text of a call's first argument, each part only known at run time an "X";
    None for a query held in a variable (a rule's location, which the user writes)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "X"
                       for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (expression(node.left) or "X") + (expression(node.right) or "X")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):  # "//%s//span" % tag
        return re.sub(r"%\w", "X", expression(node.left) or "X")
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Constant)):
        if node.func.attr == "join":  # "sep".join(...): the separator shows (a union)
            return f"X{node.func.value.value}X"
        if node.func.attr == "format":  # "//{}//span".format(tag)
            return re.sub(r"\{[^}]*\}", "X", node.func.value.value)
    return None


def query_calls(module: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, query) of each XPath a module's code evaluates: `x.xpath(…)`, `etree.XPath(…)`, or
    `XPath(…)` imported by name; the query given as an argument (or `path=`), or in a variable
    the module sets to one (`QUERY = "//a//b"`; the last value set)."""
    named = {target.id: node.value for node in ast.walk(module) if isinstance(node, ast.Assign)
             for target in node.targets if isinstance(target, ast.Name)}
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", None)
        if function not in QUERY_CALLS:
            continue
        argument = node.args[0] if node.args else next(
            (keyword.value for keyword in node.keywords if keyword.arg in ("path", "_path")), None)
        if isinstance(argument, ast.Name):
            argument = named.get(argument.id, argument)
        query = expression(argument) if argument is not None else None
        if query is not None:
            yield node.lineno, query


def queries() -> Iterator[tuple[str, int, str]]:
    """(file, line, query) for every XPath the pipeline's code writes."""
    for path in sorted(CODE.rglob("*.py")):
        for line, query in query_calls(ast.parse(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(ROOT)), line, query


def outside_predicates(query: str, keep_predicates: bool = False) -> str:
    """The query's location steps, its string literals and (unless `keep_predicates`) its
    predicates taken out (a predicate is evaluated on each node alone: `[not(.//img)]` walks
    that node's own subtree)."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "''", query)
    if keep_predicates:
        return text
    kept, depth = [], 0
    for character in text:
        depth += character == "["
        if not depth:
            kept.append(character)
        depth -= character == "]"
    return "".join(kept)


# A step after a step (not the path's first) along an axis whose nodes libxml2 merges checking
# each for a duplicate: all but child and attribute (`//p/span` is linear; `//article/.//span`,
# `//span/..`, `//span/ancestor::p` and `//p/following-sibling::p` are as quadratic as
# `//article//span`, measured); or a union.
QUADRATIC = re.compile(r"[\w*)]\s*(//|/\s*(\.\s*//|\.\.|(descendant|ancestor)(-or-self)?::|parent::"
                       r"|(following|preceding)-sibling::))|\|")
# An axis through the whole document before or after the context node: quadratic from each of
# many nodes, in a predicate too (a predicate is evaluated from each node the step found).
WHOLE_DOCUMENT = re.compile(r"\b(preceding|following)::")


def merges_node_sets(query: str) -> bool:
    """Whether the query has a shape libxml2 evaluates in time quadratic in the book."""
    return bool(QUADRATIC.search(outside_predicates(query))
                or WHOLE_DOCUMENT.search(outside_predicates(query, keep_predicates=True)))


def test_the_code_has_queries_to_check() -> None:
    found = list(queries())
    assert len(found) > 40, found  # the scan reads the code's queries (some 60)
    assert any("//p[@" in query for _, _, query in found)  # f-strings read too


@pytest.mark.parametrize("code, query", [
    ('html.xpath("//p//span")', "//p//span"),
    ('html.xpath(f"//{tag}//span")', "//X//span"),
    ('html.xpath("//%s//span" % tag)', "//X//span"),
    ('html.xpath("//{}//span".format(tag))', "//X//span"),
    ('html.xpath("//" + tag + "//span")', "//X//span"),
    ('html.xpath(" | ".join(parts))', "X | X"),
])
def test_a_query_built_at_run_time_is_read(code: str, query: str) -> None:
    [call] = [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Call)
              and isinstance(node.func, ast.Attribute) and node.func.attr == "xpath"]
    assert expression(call.args[0]) == query


@pytest.mark.parametrize("code", [
    'SPANS = "//p//span"\ndef spans(html):\n    return html.xpath(SPANS)',
    'from lxml.etree import XPath\nSPANS = XPath("//p//span")',
    'SPANS = etree.XPath(path="//p//span")',
])
def test_a_query_named_or_compiled_by_name_is_read(code: str) -> None:
    assert [query for _, query in query_calls(ast.parse(code))] == ["//p//span"]


@pytest.mark.parametrize("query, quadratic", [
    ("//article//span[contains(concat(' ', @class, ' '), ' footnote ')]", True),
    ("//main//article//p[@X]", True),
    ("//a | //b", True),
    ("X | X", True),
    ("//x:body/descendant::x:h1", True),
    ("preceding::*[@X]", True),
    ("//p[@X][ancestor::article[ancestor::main]]", False),
    ("//*[contains(concat(' ', @class, ' '), ' figure ')][not(.//img)]", False),
    ("count(.//tei:p[not(ancestor::tei:p)])", False),
    ("//li[@id][ancestor::section[@role='doc-endnotes']]/@id", False),
    ("descendant-or-self::*/@id", False),
    ("//section[@title='a | b']/h3", False),
    ("//article/.//span", True),
    ("//span/..", True),
    ("//span/ancestor::p", True),
    ("//span/parent::p", True),
    ("//p/following-sibling::p", True),
    ("//p[preceding::p]", True),
    ("//p/span", False),
    ("//p/@id", False),
    ("ancestor-or-self::*[@xml:lang][1]/@xml:lang", False),
    ("//*[self::tei:editor or self::tei:respStmt][ancestor::tei:teiHeader]/@xml:id", False),
    ("//a[@title='following::']", False),
])
def test_the_shapes_are_told_apart(query: str, quadratic: bool) -> None:
    assert merges_node_sets(query) is quadratic


def test_no_query_of_the_pipeline_merges_node_sets() -> None:
    merging = [f"{file}:{line}: {query}" for file, line, query in queries()
               if merges_node_sets(query)]
    assert not merging, "\n".join(merging)


BOOK = """<html><body><nav><ol><li><a href="#one">One</a></li><li><a href="#two">Two</a></li>
</ol></nav><main>
<article id="one"><p>A<span class="footnote">n</span></p><figure><figcaption>c</figcaption>
</figure></article>
<article id="two"><p>B<span class="name footnote x">m</span></p>
<p class="figcaption">d</p></article></main>
<section class="back"><p>E<span class="footnote">out</span></p><figcaption>e</figcaption>
</section><nav><a href="#one">again</a></nav></body></html>"""


@pytest.mark.parametrize("html, notes, captions", [
    (BOOK, True, True),
    (BOOK.replace("footnote", "note"), False, True),
    (BOOK.replace("figcaption", "legend"), True, False),
    # outside the articles, neither counts
    (BOOK.replace('<span class="footnote">n</span>', "").replace("name footnote x", "name")
     .replace("<figcaption>c</figcaption>", "").replace('class="figcaption"', ""), False, False),
    # an article is not inside itself: one of the class figcaption has none in it
    (BOOK.replace("<figcaption>c</figcaption>", "").replace('<p class="figcaption">d</p>', "")
     .replace('<article id="two">', '<article id="two" class="figcaption">'), True, False),
])
def test_the_book_tests_find_what_the_old_queries_found(html: str, notes: bool,
                                                        captions: bool) -> None:
    book = lxml.html.fromstring(html)
    old_notes = bool(book.xpath("//article//span[contains(concat(' ', @class, ' '), "
                                "' footnote ')]"))
    old_captions = bool(book.xpath("//article//figcaption | //article//*[contains(concat(' ', "
                                   "@class, ' '), ' figcaption ')]"))
    assert (authors_notes(book), html_captions(book)) == (old_notes, old_captions) == (
        notes, captions)


def test_the_contents_entries_are_the_nav_links() -> None:
    book = lxml.html.fromstring(BOOK)
    assert contents_links(book)["#one"] == book.xpath("//nav//a[@href='#one']")
    assert len(contents_links(book)["#one"]) == 2
    assert "#three" not in contents_links(book)


def test_a_link_of_a_nav_in_a_nav_is_listed_once() -> None:
    """`//nav//a` finds a link once however many navs hold it; each caller drops the entry of
    each link it is given, and a second drop_tree of an entry fails (AssertionError)."""
    book = lxml.html.fromstring(BOOK.replace('<li><a href="#two">Two</a></li>',
                                             '<li><nav><a href="#two">Two</a></nav></li>'))
    assert contents_links(book)["#two"] == book.xpath("//nav//a[@href='#two']")
    for link in contents_links(book)["#two"]:
        link.getparent().drop_tree()


def test_the_elements_before_one_are_xpaths_preceding_nearest_first() -> None:
    tree = etree.fromstring("<r><a><b/><c><d/></c></a><!-- c --><e><f/><g><h/></g><i/></e>"
                            "<?pi x?><j><k/><l/></j></r>")
    for element in tree.iter("*"):
        assert list(preceding(element)) == list(reversed(element.xpath("preceding::*")))
