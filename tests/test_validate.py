"""`edition validate`: the official schema's verdict, fast; one line per problem where an editor
can jump to it; the schema compiled once per run; the project schema a strict part of tei_all."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import EDITION, ROOT, manifest_verdicts
from tei_edition import validate as validate_module
from tei_edition.load import load
from tei_edition.schemas import (
    EDITION_SCHEMA,
    RNG_NS,
    TEI_ALL,
    derive_schema,
    element_names,
    read_grammar,
    reduce_grammar,
    vocabulary,
)
from tei_edition.validate import validate

CORPUS = ROOT / "tests" / "corpus" / "tei"
BAD = ROOT / "tests" / "fixtures" / "bad"
TEI_NS = "http://www.tei-c.org/ns/1.0"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<severity>error|warning"
                  r"|info): (?P<message>.+)$")


VERDICTS = manifest_verdicts()


@pytest.fixture(scope="module")
def corpus_report() -> validate_module.Report:
    """One run over the whole corpus against tei_all (one compilation for all twelve files)."""
    return validate([CORPUS], "tei_all")


@pytest.fixture(scope="module")
def tei_all_grammar() -> etree._ElementTree:
    return read_grammar(TEI_ALL)


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every compilation of a document schema made while the test runs (not lxml's
    isoschematron's own, made with file=, nor the one-attribute schemas that explain a bad
    attribute value, made from an element)."""
    made: list[object] = []
    real = etree.RelaxNG

    def counting(*args: object, **kwargs: object) -> etree.RelaxNG:
        if args and isinstance(args[0], etree._ElementTree):
            made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(validate_module.etree, "RelaxNG", counting)
    return made


def errors_of(report: validate_module.Report, name: str) -> list[str]:
    return [d.message for d in report.diagnostics if d.file and Path(d.file).name == name]


# --- the edition ---------------------------------------------------------------------------

def test_the_edition_is_valid_with_one_compilation(run_cli, compilations) -> None:
    result = run_cli("validate")
    assert result.status == 0, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"edition validate: \d+ files checked: 0 errors, 0 warnings "
                        r"\(edition compiled once in [\d.]+ s\)", summary), summary
    assert len(compilations) == 1


def test_the_edition_is_valid_against_tei_all_too(run_cli) -> None:
    result = run_cli("validate", "--schema", "tei_all")
    assert result.status == 0, result.stdout
    assert "tei_all compiled once" in result.stdout


def test_a_folder_skips_fragments_that_documents_include(run_cli) -> None:
    result = run_cli("validate", EDITION)
    assert result.status == 0, result.stdout
    assert "non-TEI XML skipped" in result.stdout  # edition/references/*.xml


def test_a_fragment_named_on_its_own_is_refused_with_the_reason(run_cli) -> None:
    fragment = EDITION / "references" / "treaty-of-kars.xml"
    result = run_cli("validate", fragment)
    assert result.status == 1
    assert "<listBibl> is not a TEI document" in result.stdout
    assert "XIncludes it" in result.stdout


@pytest.fixture
def edition_copy(tmp_path: Path) -> Path:
    """A copy of the edition and its bibliography to break."""
    shutil.copytree(EDITION, tmp_path / "edition")
    shutil.copytree(ROOT / "bib", tmp_path / "bib")
    return tmp_path / "edition"


def test_problems_in_included_parts_name_the_part_and_are_reported_once(edition_copy) -> None:
    fragment = edition_copy / "references" / "treaty-of-kars.xml"
    text = fragment.read_text(encoding="utf-8")
    fragment.write_text(text.replace("<head>", '<head wehn="x">', 1), encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), start=1)
                if "<head>" in content)
    report = validate(edition=edition_copy)
    problems = [d for d in report.diagnostics if d.severity == validate_module.Severity.ERROR]
    # edition.xml includes the article, which includes the fragment: one problem, one line.
    assert [(Path(d.file).name, d.line, d.message) for d in problems] == [
        ("treaty-of-kars.xml", line, "attribute @wehn is not allowed on <head>")]
    assert Path(problems[0].file).parent.name == "references"
    assert problems[0].column == text.splitlines()[line - 1].index("<head") + 1


def test_project_rules_run_on_the_edition_only(edition_copy, tmp_path) -> None:
    article = edition_copy / "treaty-of-kars.xml"
    text = article.read_text(encoding="utf-8")
    body = text.index("<body")
    start = text.index('<persName ref="', body)
    end = text.index(">", start)
    article.write_text(text[:start] + "<persName" + text[end:], encoding="utf-8")
    inside = validate(edition=edition_copy)
    assert [d.code for d in inside.diagnostics] == ["rule-name-has-ref"]
    assert Path(inside.diagnostics[0].file) == article
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(edition_copy, elsewhere)
    outside = validate([elsewhere / "treaty-of-kars.xml"], edition=edition_copy)
    assert outside.diagnostics == []  # valid TEI; the project's rules are the edition's


def test_the_bibliography_lint_runs_with_the_edition(edition_copy) -> None:
    bib = edition_copy.parent / "bib" / "sources.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@book{broken,\n  title = {Unclosed\n",
                   encoding="utf-8")
    report = validate(edition=edition_copy)
    found = [d for d in report.diagnostics if d.file and Path(d.file).suffix == ".bib"]
    assert found and all(d.code.startswith("bib-") for d in found)
    assert any(Path(d.file).name == "sources.bib" and d.line for d in found)
    assert report.files == len(list(edition_copy.glob("*.xml"))) + 3


def test_an_element_outside_the_edition_schema_says_how_to_admit_it(edition_copy) -> None:
    article = edition_copy / "treaty-of-kars.xml"
    text = article.read_text(encoding="utf-8")
    body = text.index("<body")
    start = text.index("<date when=", body)
    end = text.index("</date>", start)
    # a <date> made an <rs>, which tei_all allows in a paragraph and the edition never used
    words = text[text.index(">", start) + 1:end]
    article.write_text(text[:start] + f"<rs>{words}</rs>" + text[end + 7:], encoding="utf-8")
    report = validate(edition=edition_copy)
    assert [d.code for d in report.diagnostics] == ["outside-schema"]
    assert "<rs> is not in the edition schema" in report.diagnostics[0].message
    assert "make schema" in report.diagnostics[0].message
    assert validate([article], "tei_all", edition=edition_copy).diagnostics == []


# --- the corpus ----------------------------------------------------------------------------

def test_the_manifest_lists_every_corpus_file() -> None:
    assert sorted(VERDICTS) == sorted(path.name for path in CORPUS.glob("*.xml"))


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_validation_agrees_with_the_manifest(name: str, corpus_report) -> None:
    errors = errors_of(corpus_report, name)
    if VERDICTS[name] == "valid":
        assert errors == []
    else:
        assert errors, f"{name} should be invalid"


def jing_counts() -> dict[str, int]:
    """The number of errors jing reports for each invalid corpus file, as the MANIFEST records
    it ("invalid (111 errors)")."""
    counts = {}
    for row in (ROOT / "tests" / "corpus" / "MANIFEST.md").read_text().splitlines():
        cells = [cell.strip() for cell in row.split("|")]
        if len(cells) > 6 and (found := re.match(r"invalid \((\d+) errors?", cells[5])):
            counts[cells[1]] = int(found[1])
    return counts


@pytest.mark.parametrize("name", sorted(jing_counts()))
def test_every_error_jing_reports_is_reported(name: str, corpus_report) -> None:
    """libxml2 names one problem where jing names several: the first bad attribute of an
    element, nothing inside an element out of place; each of jing's errors is one of ours."""
    assert len(errors_of(corpus_report, name)) == jing_counts()[name]


def test_the_one_error_of_the_milestones_file_is_the_graphic_url(corpus_report) -> None:
    found = [d for d in corpus_report.diagnostics
             if Path(d.file).name == "T17_hsg_milestones_1945-1952.xml"]
    assert len(found) == 1
    assert found[0].line == 182
    assert found[0].message.startswith("the value of @url on <graphic> is not valid")


def test_the_corpus_is_checked_with_one_compilation(compilations) -> None:
    """One compilation of tei_all reduced to the corpus's vocabulary, and one of the same with
    any of those elements as the root, which checks the content of elements that stand where
    they may not."""
    report = validate([CORPUS], "tei_all")
    reduced, any_root = (grammar.getroot().find(f"{{{RNG_NS}}}start")[0]
                         for grammar in compilations)
    assert reduced.get("name") == "tei_TEI"
    assert len(any_root) == len(element_names(compilations[1]))
    assert report.files == len(VERDICTS)


@pytest.mark.parametrize(
    "path",
    sorted(CORPUS.glob("*.xml"))
    # (without TEI's namespace no TEI element is in the vocabulary: libxml2 words it otherwise)
    + sorted(set(BAD.glob("*.xml")) - {BAD / "wrong-namespace.xml"})
    + [EDITION / "edition.xml", EDITION / "treaty-of-kars.xml"],
    ids=lambda path: path.name,
)
def test_the_reduced_schema_says_exactly_what_tei_all_says(path, tei_all, tei_all_grammar) -> None:
    """The same libxml2 messages at the same lines as the whole official schema."""
    tree = load(path, check_ids=False)
    reduced = etree.RelaxNG(reduce_grammar(tei_all_grammar, vocabulary([tree])))
    assert reduced.validate(tree) == tei_all.validate(tree)
    assert ([(e.line, e.message) for e in reduced.error_log]
            == [(e.line, e.message) for e in tei_all.error_log])


# --- the project schema (issue 8) ------------------------------------------------------------

def test_the_edition_schema_accepts_the_edition() -> None:
    schema = etree.RelaxNG(etree.parse(str(EDITION_SCHEMA)))
    for path in EDITION.glob("*.xml"):
        tree = load(path)
        assert schema.validate(tree), (path, schema.error_log)


def test_the_edition_schema_rejects_an_element_it_excludes(tei_all) -> None:
    schema = etree.RelaxNG(etree.parse(str(EDITION_SCHEMA)))
    names = element_names(etree.parse(str(EDITION_SCHEMA)))
    assert (TEI_NS, "sp") not in names
    tree = load(BAD / "p-inside-p.xml")
    body = tree.find(f".//{{{TEI_NS}}}body")
    body.clear()
    speech = etree.SubElement(body, f"{{{TEI_NS}}}sp")
    etree.SubElement(speech, f"{{{TEI_NS}}}p").text = "A speech."
    assert tei_all.validate(tree), tei_all.error_log
    assert not schema.validate(tree)


def test_what_the_edition_schema_accepts_tei_all_accepts(tei_all) -> None:
    schema = etree.RelaxNG(etree.parse(str(EDITION_SCHEMA)))
    accepted = 0
    for path in [*CORPUS.glob("*.xml"), *BAD.glob("*.xml"), *EDITION.glob("*.xml")]:
        tree = load(path, check_ids=False)
        if schema.validate(tree):
            accepted += 1
            assert tei_all.validate(tree), path
    assert accepted >= len(list(EDITION.glob("*.xml")))


def test_deriving_the_schema_is_deterministic_and_readable() -> None:
    files = [EDITION / "edition.xml", EDITION / "persons.xml"]
    first, second = derive_schema(files), derive_schema(files)
    assert first == second
    assert b"Anything valid against it is valid against tei_all" in first
    assert b"CC+BY and BSD-2" in first  # the TEI licence travels with the derived schema
    derived = etree.fromstring(first)
    assert (TEI_NS, "person") in element_names(derived.getroottree())


def test_derive_schema_check_reports_an_outdated_schema(tmp_path) -> None:
    script = ROOT / "scripts" / "derive-schema"
    output = tmp_path / "edition.rng"
    subprocess.run([sys.executable, script, "-o", output], check=True, capture_output=True)
    check = [sys.executable, script, "--check", "-o", output]
    assert subprocess.run(check, capture_output=True).returncode == 0
    output.write_bytes(output.read_bytes().replace(b"<define", b"<define combine='choice'", 1))
    assert subprocess.run(check, capture_output=True).returncode == 1


# --- the output ----------------------------------------------------------------------------

def test_each_problem_is_one_line_an_editor_can_jump_to(run_cli) -> None:
    result = run_cli("validate", BAD)
    assert result.status == 1
    *problems, summary = result.stdout.strip().splitlines()
    assert problems
    for line in problems:
        match = LINE.match(line)
        assert match, line
        assert Path(match["file"]).is_file()
    assert re.fullmatch(r"edition validate: 12 files checked: \d+ errors, 0 warnings "
                        r"\(tei_all compiled once in [\d.]+ s\)", summary), summary
    unknown = next(line for line in problems if "<city>" in line)
    source = (BAD / "unknown-element.xml").read_text().splitlines()
    match = LINE.match(unknown)
    assert int(match["column"]) == source[int(match["line"]) - 1].index("<city") + 1


def test_json_output_for_tools(run_cli) -> None:
    result = run_cli("validate", "--format", "json", BAD / "bad-when-date.xml")
    assert result.status == 1
    report = json.loads(result.stdout)
    assert (report["files"], report["errors"], report["warnings"]) == (1, 1, 0)
    assert report["schemas"][0]["name"] == "tei_all"
    assert report["schemas"][0]["reduced_to_vocabulary"] is True
    (problem,) = report["diagnostics"]
    assert problem["file"].endswith("bad-when-date.xml")
    assert (problem["line"], problem["severity"], problem["code"]) == (18, "error",
                                                                       "rng-invalidattr")
    assert '"13.10.1921"' in problem["message"]


def test_clean_json_exits_zero(run_cli) -> None:
    result = run_cli("validate", "--format", "json", CORPUS / "T15_tp_sermon_27005.xml")
    assert result.status == 0
    assert json.loads(result.stdout)["diagnostics"] == []


@pytest.mark.parametrize("arguments", [
    ["validate", "--schema", "tei_lite"],
    ["validate", "--schema", "README.md"],
    ["validate", "--format", "xml"],
    ["validate", "-j", "0", "edition/orgs.xml"],
    ["validate", "-j", "-1", "edition/orgs.xml"],
    ["validate", "-j", "two", "edition/orgs.xml"],
], ids=["unknown-schema", "not-a-schema", "unknown-format", "no-processes",
        "negative-processes", "processes-not-a-number"])
def test_usage_errors_exit_2(run_cli, arguments) -> None:
    """Said in one line, exit 2: `-j 0` and `-j -1` were taken as one process."""
    result = run_cli(*arguments)
    assert result.status == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr.strip().splitlines()[-1]


def test_a_path_not_there_or_an_empty_folder_is_bad_input_as_for_every_command(
        run_cli, tmp_path) -> None:
    """A folder is an argument of validate (FILE|DIR); one with nothing to check, or a path
    that is not there, is bad input as an unreadable file is for every command: `path: error:
    …`, exit status 1 (they gave 2, the status of an option misused, alone among commands)."""
    missing = tmp_path / "no" / "such.xml"
    assert run_cli("validate", missing).stdout.splitlines()[0] == (
        f"{missing}: error: no such file or folder")
    assert run_cli("validate", missing).status == run_cli("text", missing).status == 1
    result = run_cli("validate", tmp_path)
    assert result.status == 1
    assert result.stdout.splitlines()[0] == (
        f"{tmp_path}: error: nothing to validate: no .xml or .bib file in this folder")
    assert run_cli("build", "html", tmp_path, "-o", tmp_path / "site").status == 1


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_an_empty_folder_beside_other_arguments_is_the_same_error(run_cli, tmp_path,
                                                                  jobs) -> None:
    """An argument is never dropped in silence: a folder with nothing to check is the error
    it is alone, though the files beside it are checked and valid."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("validate", jobs, EDITION / "persons.xml", empty, EDITION / "orgs.xml")
    assert result.status == 1
    assert result.stdout.splitlines()[:-1] == [
        f"{empty}: error: nothing to validate: no .xml or .bib file in this folder"]
    assert "2 files checked: 1 error" in result.stdout


def test_any_relax_ng_file_can_be_the_schema(run_cli) -> None:
    result = run_cli("validate", "--schema", EDITION_SCHEMA, EDITION / "persons.xml")
    assert result.status == 0, result.stdout
    assert f"({EDITION_SCHEMA} compiled once" in result.stdout


def test_a_broken_schema_is_reported_not_a_crash(run_cli, tmp_path) -> None:
    schema = tmp_path / "broken.rng"
    schema.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
                      '<ref name="missing"/></start></grammar>')
    result = run_cli("validate", "--schema", schema, EDITION / "persons.xml")
    assert result.status == 1
    assert f"{schema}: error: the schema does not compile: Reference missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_hidden_folders_are_not_searched(run_cli, tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "broken.xml").write_text("<not-closed>")
    (tmp_path / "ok.xml").write_text((BAD / "missing-title.xml").read_text().replace(
        "<author>Someone</author>", "<title>Fine</title>"))
    result = run_cli("validate", tmp_path)
    assert result.status == 0, result.stdout
    assert "1 file checked" in result.stdout


def test_progress_bar_only_on_a_terminal(tmp_path, run_cli) -> None:
    text = (BAD / "missing-title.xml").read_text().replace("<author>Someone</author>",
                                                           "<title>Fine</title>")
    for number in range(60):
        (tmp_path / f"{number:03}.xml").write_text(text)
    quiet = run_cli("validate", tmp_path)
    assert quiet.status == 0, quiet.stdout
    assert quiet.stderr == ""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "tei_edition.cli", "validate", tmp_path],
                               stdout=subprocess.PIPE, stderr=terminal, cwd=ROOT)
    os.close(terminal)
    stdout, _ = process.communicate(timeout=60)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.returncode == 0
    assert b"60/60" in shown and b"[##" in shown
    assert b"60 files checked" in stdout


def test_the_bench_reports_throughput_as_json() -> None:
    result = subprocess.run(
        [sys.executable, ROOT / "scripts" / "bench", "--repeat", "1", "--json", "parse",
         "validate-edition"], capture_output=True, text=True, check=True, cwd=ROOT)
    results = {r["case"]: r for r in json.loads(result.stdout)["results"]}
    assert results["parse"]["mb_per_s"] > 1
    assert results["validate-edition"]["median_s"] > 0
    assert results["validate-edition"]["peak_rss_mb"] > 10


# -- the cache of reduced grammars -------------------------------------------------------

def test_a_second_run_reads_the_reduction_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tei_all reduced to a file's vocabulary is kept: the next run on the same vocabulary
    neither reads tei_all nor reduces it, and says what the first said, messages included
    (whose explanations read the full grammar when they need it)."""
    from tei_edition import schema_cache

    monkeypatch.setattr(schema_cache, "CACHE", tmp_path)
    files = [CORPUS / "T02_frus-history_monograph.xml", BAD / "missing-title.xml"]
    first = [validate([path], "tei_all", progress=False).diagnostics for path in files]
    assert len(list(tmp_path.glob("tei_all-*.rng"))) == 2  # one per vocabulary

    def refused(*_: object) -> None:
        raise AssertionError("tei_all reduced again")

    monkeypatch.setattr(schema_cache, "reduce_grammar", refused)
    monkeypatch.setattr(schema_cache, "read_grammar", refused)
    again = [validate([path], "tei_all", progress=False).diagnostics for path in files]
    assert again == first
    assert first[0] == [] and any(d.code.startswith("rng") for d in first[1])


def test_the_cache_keeps_the_reductions_last_used(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps its KEPT reductions most recently used: a reduction read again
    outlives an older one not read since, which a new reduction pushes out."""
    from tei_edition import schema_cache

    monkeypatch.setattr(schema_cache, "CACHE", tmp_path)
    monkeypatch.setattr(schema_cache, "KEPT", 2)
    names = sorted(vocabulary([load(BAD / "missing-title.xml")]))
    first, second, third = ({*names} - {names[-1 - drop]} for drop in range(3))
    made = []
    for age, used in ((300, first), (200, second)):
        schema_cache.reduced_grammar(TEI_ALL, used)
        [entry] = set(tmp_path.glob("*.rng")) - set(made)
        made.append(entry)
        past = entry.stat().st_mtime - age
        os.utime(entry, (past, past))
    schema_cache.reduced_grammar(TEI_ALL, first)  # read again: now the most recent
    schema_cache.reduced_grammar(TEI_ALL, third)
    kept = set(tmp_path.glob("*.rng"))
    assert len(kept) == 2 and made[0] in kept and made[1] not in kept


def test_a_changed_schema_is_reduced_again(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is named after the schema's bytes: an edited schema is never answered by
    the reduction of the one before."""
    from tei_edition import schema_cache

    monkeypatch.setattr(schema_cache, "CACHE", tmp_path / "cache")
    schema = tmp_path / "tei_all.rng"
    shutil.copyfile(TEI_ALL, schema)
    source = BAD / "missing-title.xml"
    names = vocabulary([load(source)])
    before = etree.tostring(schema_cache.reduced_grammar(schema, names))
    grammar = read_grammar(schema)
    paragraph = grammar.find(f".//{{{RNG_NS}}}element[@name='p']")
    paragraph.getparent().replace(paragraph, etree.fromstring(
        f'<element xmlns="{RNG_NS}" name="p"><empty/></element>'))
    grammar.write(str(schema))
    after = schema_cache.reduced_grammar(schema, names)
    assert etree.tostring(after) != before
    assert len(list((tmp_path / "cache").glob("*.rng"))) == 2


def test_a_grammar_with_a_comment_before_it_is_read(tmp_path: Path) -> None:
    """A licence comment before the grammar (as hand-written and Roma schemas have) has no
    parent: reading the grammar stopped on it with an AttributeError. The comments inside go."""
    path = tmp_path / "commented.rng"
    path.write_text('<?xml version="1.0"?>\n<!-- licence -->\n<grammar xmlns='
                    '"http://relaxng.org/ns/structure/1.0"><!-- inside --><start><element '
                    'name="a"><empty/></element></start></grammar>\n<!-- after -->',
                    encoding="utf-8")
    grammar = read_grammar(path)
    assert not list(grammar.getroot().iter(etree.Comment))
    assert etree.RelaxNG(grammar).validate(etree.fromstring("<a/>"))
