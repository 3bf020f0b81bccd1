"""Bad and hostile input: every case gets a clear message naming the file and what was wrong or
refused, and its exit status; none crashes, hangs, fetches anything from the network, or reads
outside the edition (the secret planted beside it never shows up in any output)."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree

from conftest import ROOT, cpu_seconds
from tei_edition.atomic import SITE_MARKER
from tei_edition.diagnostics import EditionError
from tei_edition.load import MAX_BYTES, corpus_including, load, parse_xml

BAD = ROOT / "tests" / "fixtures" / "bad"
APPARATUS = ROOT / "tests" / "fixtures" / "apparatus"
SECRET = "SECRET-3f9c1e-must-never-be-read"
VALID = (BAD / "missing-title.xml").read_text(encoding="utf-8").replace(
    "<author>Someone</author>", "<title>A valid document</title>")


def line_of(text: str, marker: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1)
                if marker in line)


def outputs(result) -> str:
    return result.stdout + result.stderr


def assert_clean_failure(result, status: int = 1) -> None:
    """The command failed the way it should: its status, no traceback, no secret."""
    assert result.status == status, outputs(result)
    assert "Traceback" not in outputs(result)
    assert SECRET not in outputs(result)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the folder the documents live in, which nothing may read."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The documents' folder (an edition-like folder beside the secret)."""
    path = tmp_path / "edition"
    path.mkdir()
    return path


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # a request at all is the failure; answer it anyway
        type(self).requests.append(self.path)
        body = f"<!ENTITY leak '{SECRET}'>".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.requests
    httpd.shutdown()
    httpd.server_close()


# --- the ten most common editor mistakes ---------------------------------------------------

MISTAKES = [
    ("missing-teiheader.xml", 2, "rng-missing", "<TEI> lacks the <teiHeader> it requires"),
    ("missing-title.xml", 5, "rng-missing", "<titleStmt> lacks the <title> it requires"),
    ("unknown-element.xml", 18, "rng-elemwrong",
     "element <city> is not allowed here (inside <p>)"),
    ("misspelt-attribute.xml", 18, "rng-invalidattr", "attribute @wehn is not allowed on <date>"),
    ("bad-when-date.xml", 18, "rng-invalidattr",
     'the value of @when on <date> is not valid: "13.10.1921" (expected: date, dateTime,'),
    ("text-directly-in-div.xml", 18, "rng-textwrong", "text is not allowed directly in <div>"),
    ("duplicate-xml-id.xml", 19, "duplicate-id",
     'duplicate xml:id "p1" (first defined on line 18 of'),
    ("wrong-namespace.xml", 2, "wrong-namespace",
     "the root element <TEI> is not in the TEI namespace: add "
     'xmlns="http://www.tei-c.org/ns/1.0"'),
    ("p-inside-p.xml", 18, "rng-elemwrong", "element <p> is not allowed here (inside <p>)"),
    ("text-directly-in-body.xml", 17, "rng-textwrong", "text is not allowed directly in <body>"),
    ("p-directly-in-text.xml", 17, "rng-elemwrong",
     "element <p> is not allowed here (inside <text>)"),
    ("lb-with-content.xml", 18, "rng-textwrong", "text is not allowed directly in <lb>"),
]


def test_every_mistake_fixture_is_covered() -> None:
    assert sorted(name for name, *_ in MISTAKES) == sorted(p.name for p in BAD.glob("*.xml"))


@pytest.mark.parametrize(("name", "line", "code", "message"), MISTAKES,
                         ids=[name for name, *_ in MISTAKES])
def test_each_editor_mistake_gets_its_clear_error(run_cli, name, line, code, message) -> None:
    result = run_cli("validate", "--format", "json", BAD / name)
    assert_clean_failure(result)
    report = json.loads(result.stdout)
    first = report["diagnostics"][0]
    assert (Path(first["file"]).name, first["line"], first["code"]) == (name, line, code)
    assert first["message"].startswith(message), first["message"]
    assert report["errors"] == len(report["diagnostics"]) <= 2


@pytest.mark.parametrize(("name", "line", "code", "message"), MISTAKES,
                         ids=[name for name, *_ in MISTAKES])
def test_a_build_refuses_each_editor_mistake_and_keeps_the_previous_output(
        run_cli, tmp_path, name, line, code, message) -> None:
    """The build validates first (the pipeline's validate stage): the same one-line error as
    `edition validate`, exit 1, and the previous output untouched."""
    output = tmp_path / "edition.pdf"
    output.write_bytes(b"previous good PDF")
    result = run_cli("build", "pdf", BAD / name, "-o", output)
    assert_clean_failure(result)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{BAD / name}:{line}:"), first
    assert message in first
    assert output.read_bytes() == b"previous good PDF"
    assert [path.name for path in tmp_path.iterdir()] == ["edition.pdf"]


def test_a_build_refuses_hostile_xml_without_reading_the_secret(run_cli, folder, secret,
                                                                 tmp_path) -> None:
    path = folder / "xxe.xml"
    path.write_text(VALID.replace("<TEI ", f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">'
                                  ']>\n<TEI ', 1).replace("A valid document", "&x;"),
                    encoding="utf-8")
    result = run_cli("build", "html", path, "-o", tmp_path / "site")
    assert_clean_failure(result)
    declared = line_of(path.read_text(encoding="utf-8"), "<!ENTITY x SYSTEM")
    assert f"{path}:{declared}: error: refused: the DOCTYPE declares entities" in result.stderr
    assert not (tmp_path / "site").exists()


def test_p_directly_in_body_is_valid_tei(run_cli, folder) -> None:
    """A common belief, but tei_all allows <p> straight in <body>: no error for it."""
    path = folder / "p-in-body.xml"
    path.write_text(VALID, encoding="utf-8")
    assert "<body>\n      <p>" in VALID
    assert run_cli("validate", path).status == 0


# --- broken files ------------------------------------------------------------------------------

def test_malformed_xml(run_cli, folder) -> None:
    path = folder / "malformed.xml"
    path.write_text(VALID.replace("</title>", "", 1), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    closing = line_of(VALID, "</titleStmt>")  # where libxml2 sees the mismatch
    assert f"{path}:{closing}:" in result.stdout
    assert "error: not well-formed XML: Opening and ending tag mismatch" in result.stdout


@pytest.mark.parametrize(("root", "expected"), [
    ('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
     "the root element <html> is not a TEI document"),
    ('<listBibl xmlns="http://www.tei-c.org/ns/1.0"><bibl/></listBibl>',
     "the root element <listBibl> is not a TEI document"),
    ('<TEI xmlns="http://www.tei-c.org/ns/2.0"/>',
     'the root element <TEI> is not in the TEI namespace (it is in '
     '"http://www.tei-c.org/ns/2.0")'),
], ids=["html", "fragment", "other-namespace"])
def test_wrong_root(run_cli, folder, root, expected) -> None:
    path = folder / "root.xml"
    path.write_text(root, encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert f"{path}:1: error: {expected}" in result.stdout


def test_non_utf8_text_without_a_declaration(run_cli, folder) -> None:
    path = folder / "latin1.xml"
    path.write_bytes(VALID.replace("A valid document", "Naxçıvan").encode("utf-8")
                     .replace("ç".encode(), "ç".encode("latin-1")))
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert f"{path}:{line_of(VALID, 'A valid document')}:" in result.stdout
    assert "the file must be UTF-8, or declare its encoding" in result.stdout


def test_a_declared_encoding_is_honoured(run_cli, folder) -> None:
    path = folder / "declared.xml"
    text = VALID.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        "A valid document", "Café")
    path.write_bytes(text.encode("latin-1"))
    assert run_cli("validate", path).status == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_a_column_is_given_in_the_files_own_encoding(run_cli, folder, encoding) -> None:
    """A UTF-16 file's problems had a line but no column: the column was sought in the file
    read as UTF-8."""
    text = (BAD / "unknown-element.xml").read_text(encoding="utf-8")
    if encoding != "utf-8":
        text = "\ufeff" + text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = folder / "unknown-element.xml"
    path.write_bytes(text.encode(encoding))
    line = line_of(text, "<city")
    column = text.splitlines()[line - 1].index("<city") + 1
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert result.stdout.startswith(f"{path}:{line}:{column}: error: element <city> is not "
                                    "allowed here"), result.stdout


@pytest.mark.parametrize(("content", "expected"), [
    (b"", ":1: error: the file is empty"),
    (b"   \n", ":2:1: error: not well-formed XML: Start tag expected"),
], ids=["empty", "blank"])
def test_empty_file(run_cli, folder, content, expected) -> None:
    path = folder / "empty.xml"
    path.write_bytes(content)
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert f"{path}{expected}" in result.stdout


def test_a_file_over_the_size_limit_is_refused_unread(run_cli, folder) -> None:
    path = folder / "huge.xml"
    with path.open("wb") as handle:  # sparse: large, but costs nothing to make
        handle.truncate(MAX_BYTES + 1)
    started = cpu_seconds()
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "refused: the file is 67,108,865 bytes, over the limit of 67,108,864" in result.stdout
    assert cpu_seconds() - started < 2


def test_deep_nesting_is_refused(run_cli, folder) -> None:
    path = folder / "deep.xml"
    depth = 100_000
    path.write_text(VALID.replace("<p>", "<p>" + "<hi>" * depth + "</hi>" * depth, 1),
                    encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "not well-formed XML: Excessive depth in document" in result.stdout


def test_a_folder_of_thousands_of_files(run_cli, folder, monkeypatch) -> None:
    """2,000 files, a few broken: every one checked, each problem named, one schema."""
    from tei_edition import validate as validate_module

    compiled = []
    real = etree.RelaxNG
    monkeypatch.setattr(validate_module.etree, "RelaxNG",
                        lambda *a, **k: compiled.append(a) or real(*a, **k))
    broken = {17, 999, 1999}
    for number in range(2000):
        text = VALID if number not in broken else VALID.replace("<p>", "<p><city>x</city>", 1)
        (folder / f"doc-{number:04}.xml").write_text(text, encoding="utf-8")
    (folder / "notes.txt").write_text("not XML, not BibTeX: not looked at", encoding="utf-8")
    started = cpu_seconds()
    result = run_cli("validate", folder)
    elapsed = cpu_seconds() - started
    assert_clean_failure(result)
    lines = result.stdout.strip().splitlines()
    assert [Path(line.split(":")[0]).name for line in lines[:-1]] == [
        f"doc-{number:04}.xml" for number in sorted(broken)]
    assert lines[-1].startswith("edition validate: 2000 files checked: 3 errors, 0 warnings")
    assert len([a for a in compiled if a and isinstance(a[0], etree._ElementTree)]) == 1
    assert elapsed < 30, elapsed
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


# --- hostile files: entities -------------------------------------------------------------------

def test_xxe_reading_a_local_file_is_refused(run_cli, folder, secret) -> None:
    path = folder / "xxe.xml"
    path.write_text(VALID.replace("<TEI ", f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">'
                                  ']>\n<TEI ', 1).replace("A valid document", "&x;"),
                    encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    declared = line_of(path.read_text(encoding="utf-8"), "<!ENTITY x SYSTEM")
    assert f"{path}:{declared}: error: refused: the DOCTYPE declares entities" in result.stdout


def test_xxe_over_http_is_refused_without_a_request(run_cli, folder, server) -> None:
    url, requests = server
    path = folder / "xxe-http.xml"
    path.write_text(VALID.replace("<TEI ", f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{url}/x">]>\n<TEI ',
                                  1).replace("A valid document", "&x;"), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "refused: the DOCTYPE declares entities" in result.stdout
    assert requests == []


def test_parameter_entities_are_refused_without_a_request(run_cli, folder, server) -> None:
    url, requests = server
    path = folder / "pe.xml"
    path.write_text(VALID.replace("<TEI ", f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{url}/p"> %p;]>'
                                  "\n<TEI ", 1), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "refused: the DOCTYPE declares entities" in result.stdout
    assert requests == []


def test_an_external_dtd_is_never_fetched(run_cli, folder, server) -> None:
    url, requests = server
    path = folder / "dtd.xml"
    path.write_text(VALID.replace("<TEI ", f'<!DOCTYPE TEI SYSTEM "{url}/tei.dtd">\n<TEI ', 1),
                    encoding="utf-8")
    result = run_cli("validate", path)
    assert result.status == 0, outputs(result)  # harmless once not loaded: the TEI is valid
    assert requests == []
    assert (f'{path}:2: warning: the DOCTYPE\'s external DTD "{url}/tei.dtd" is not read '
            "(nothing is fetched)") in result.stdout


@pytest.mark.parametrize("where", ["text", "attribute"])
def test_an_entity_the_unread_external_dtd_would_declare_is_an_error(run_cli, folder, tmp_path,
                                                                    where) -> None:
    """libxml2 keeps an undeclared entity of a file with an external DTD as a bare reference
    in text, and drops it from an attribute: text lost without a word, unless refused."""
    path = folder / "entity.xml"
    text = VALID.replace("<TEI ", '<!DOCTYPE TEI SYSTEM "tei.dtd">\n<TEI ', 1)
    text = (text.replace("A valid document", "A caf&eacute;") if where == "text"
            else text.replace("<p>", '<p n="caf&eacute;">', 1))
    path.write_text(text, encoding="utf-8")
    line = line_of(text, "&eacute;")
    for result in (run_cli("validate", path), run_cli("build", "html", path, "-o",
                                                      tmp_path / "site")):
        assert_clean_failure(result)
        assert (f"{path}:{line}:" in outputs(result)
                and "error: the entity &eacute; is not declared: the DOCTYPE's external DTD "
                '"tei.dtd" is not read' in outputs(result)), outputs(result)
    assert not (tmp_path / "site").exists()


def test_a_deleted_register_stops_the_build_with_one_line(run_cli, folder, tmp_path) -> None:
    """Names pointing into a register file that is gone: one error at the first of them,
    exit 1, the previous output kept (not a build with every entry dropped and exit 0)."""
    article = folder / "article.xml"
    shutil.copyfile(APPARATUS / "good.xml", article)
    shutil.copyfile(APPARATUS / "places.xml", folder / "places.xml")  # not persons.xml
    output = tmp_path / "site"
    output.mkdir()
    (output / "index.html").write_text("previous site", encoding="utf-8")
    (output / SITE_MARKER).write_text("", encoding="utf-8")  # a build made it
    first = line_of(article.read_text(encoding="utf-8"), 'ref="persons.xml#')
    result = run_cli("build", "html", article, "-o", output)
    assert_clean_failure(result)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{article}:{first}: error: <persName> points to the register "
                      f"persons.xml, which does not exist ({folder / 'persons.xml'}; 2 names "
                      "point to it)"], result.stderr
    assert sorted(path.name for path in output.iterdir()) == [SITE_MARKER, "index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "previous site"
    validated = run_cli("validate", article)
    assert_clean_failure(validated)
    assert validated.stdout.count("error: ") == 1
    assert "persons.xml, which does not exist" in validated.stdout


@pytest.mark.parametrize("register", ["<html><body>places</body></html>", VALID],
                         ids=["not-tei", "tei-without-entries"])
def test_a_register_without_entries_stops_the_build_with_one_line(run_cli, folder, tmp_path,
                                                                  register) -> None:
    """A places.xml that is not a register (another file saved over it, its entries cut):
    every name pointing into it was built without its entry, exit 0, a warning per name. One
    error at the register, as for a register that is gone; nothing written. Validation says
    it too (it said nothing: 0 errors where the build fails)."""
    article = folder / "article.xml"
    shutil.copyfile(APPARATUS / "good.xml", article)
    shutil.copyfile(APPARATUS / "persons.xml", folder / "persons.xml")
    (folder / "places.xml").write_text(register, encoding="utf-8")
    output = tmp_path / "site"
    result = run_cli("build", "html", article, "-o", output)
    assert_clean_failure(result)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{folder / 'places.xml'}:1: error: the register places.xml holds no "
                      "entry (<person>, <place> or <org>): every name pointing to it would "
                      "be built without its entry"], result.stderr
    assert not output.exists()
    validated = run_cli("validate", article)
    assert_clean_failure(validated)
    assert [line for line in validated.stdout.splitlines() if ": error: " in line] == errors


def test_a_malformed_register_of_the_edition_is_one_line_of_its_validation(tmp_path) -> None:
    """The edition's places.xml not well-formed: validating the edition with its rules (as
    `make validate` does, and a build before its transform) stopped with a traceback from the
    Schematron rules, which read the registers with document(). One error at the register:
    found by reading it (validate), or by the rules themselves (a build, which validates
    without reading the registers: its transform reads them)."""
    from tei_edition.diagnostics import EditionError
    from tei_edition.validate import validate

    edition = tmp_path / "edition"
    shutil.copytree(ROOT / "edition", edition)
    places = edition / "places.xml"
    places.write_text(places.read_text(encoding="utf-8")[:400], encoding="utf-8")  # cut short
    report = validate([edition / "edition.xml"], progress=False, edition=edition)
    assert [(d.file, d.code) for d in report.diagnostics] == [(str(places), "xml-syntax")]
    with pytest.raises(EditionError) as stopped:
        validate([edition / "treaty-of-kars.xml"], progress=False, edition=edition,
                 registers_read=False)
    said = stopped.value.diagnostic
    assert (said.file, said.code) == (str(places), "xml-syntax")
    assert said.message.startswith("not well-formed XML: ") and said.line


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_a_dangling_symlink_is_reported_in_the_requested_format(run_cli, folder,
                                                                output_format) -> None:
    link = folder / "gone.xml"
    link.symlink_to(folder / "deleted.xml")
    result = run_cli("validate", "--format", output_format, link)
    assert_clean_failure(result)
    document = json.loads(result.stdout)
    results = (document["diagnostics"] if output_format == "json"
               else document["runs"][0]["results"])
    message = (results[0]["message"] if output_format == "json"
               else results[0]["message"]["text"])
    assert message == f"no such file (a symbolic link to {folder / 'deleted.xml'})"
    assert result.stderr.count("\n") == 1 and "1 error" in result.stderr


def test_a_symlink_loop_is_one_line_where_it_is_named(run_cli, folder, tmp_path) -> None:
    """A symbolic link that points to itself through another, named as the input or the
    output, included, or only lying beside the article built: Path.resolve raised
    RuntimeError('Symlink loop from ...'), a traceback from `validate` and every build."""
    # (as the input, or the output: the two tests below)
    (folder / "loop-a.xml").symlink_to(folder / "loop-b.xml")
    (folder / "loop-b.xml").symlink_to(folder / "loop-a.xml")
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    assert run_cli("build", "html", article, "-o", tmp_path / "site").status == 0
    (folder / "loop-c.xml").symlink_to(folder / "loop-d.xml")
    (folder / "loop-d.xml").symlink_to(folder / "loop-c.xml")
    including = folder / "including.xml"
    including.write_text(VALID.replace("<p>Text.</p>", '<p>Text.<xi:include xmlns:xi="http://www.'
                                       'w3.org/2001/XInclude" href="loop-c.xml" parse="text"/>'
                                       "</p>"), encoding="utf-8")
    result = run_cli("validate", including)
    assert_clean_failure(result)
    assert result.stdout.startswith(f"{including}:{line_of(including.read_text(), 'xi:include')}:"
                                    " error: XInclude of 'loop-c.xml'")


def test_a_symlink_loop_as_the_input_is_said_to_be_one(run_cli, folder) -> None:
    """It was "no such file (a symbolic link to …)", as for a link to a file deleted; no
    output made."""
    (folder / "loop-a.xml").symlink_to(folder / "loop-b.xml")
    (folder / "loop-b.xml").symlink_to(folder / "loop-a.xml")
    loop = folder / "loop-a.xml"
    for command in (("validate",), ("text",), ("build", "html", "-o", folder.parent / "site"),
                    ("import", "-o", folder.parent / "imported.xml"),
                    ("serve", "-o", folder.parent / "served")):
        result = run_cli(*command, loop)
        assert_clean_failure(result)
        assert outputs(result).splitlines()[0] == (
            f"{loop}: error: a symbolic link loop, no file (a symbolic link to "
            f"{folder / 'loop-b.xml'})"), outputs(result)
    assert sorted(folder.parent.iterdir()) == [folder]


def test_a_folder_given_for_a_file_is_said_to_be_one(run_cli, folder) -> None:
    """The importer and `serve` said "no such file" of a folder that is there."""
    for command in (("import", "-o", folder.parent / "imported.xml"),
                    ("serve", "-o", folder.parent / "served"), ("text",)):
        result = run_cli(*command, folder)
        assert_clean_failure(result)
        assert outputs(result).splitlines()[0] == f"{folder}: error: not a regular file"
    assert sorted(folder.parent.iterdir()) == [folder]


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
def test_an_output_in_a_symlink_loop_is_refused_before_the_work(run_cli, folder, tmp_path,
                                                                 monkeypatch,
                                                                 output_format) -> None:
    """`-o` naming a link of a loop (a -> b, b -> a): the EPUB and the PDF replaced the link as
    a dangling one, exit 0, and the site said "Not a directory" after the work; a loop on the
    way to the output said nothing clearer."""
    refuse_the_work(monkeypatch)
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    loop, other = tmp_path / "loop-a", tmp_path / "loop-b"
    loop.symlink_to(other)
    other.symlink_to(loop)
    for output, what in ((loop, "the output"), (loop / "deeper" / "output", str(loop))):
        result = run_cli("build", output_format, article, "-o", output)
        assert_clean_failure(result)
        assert result.stderr == (f"{output}: error: {what} is a symbolic link loop; nothing "
                                 "written: choose another output\n"), result.stderr
    assert os.readlink(loop) == str(other) and os.readlink(other) == str(loop)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["edition", "loop-a", "loop-b"]


def test_a_path_that_is_not_there_still_gives_a_json_document(run_cli, folder) -> None:
    result = run_cli("validate", "--format", "json", folder / "nothere.xml")
    assert_clean_failure(result)
    [absent] = json.loads(result.stdout)["diagnostics"]
    assert (absent["file"], absent["message"]) == (str(folder / "nothere.xml"),
                                                   "no such file or folder")
    assert result.stderr.count("\n") == 1 and "1 error" in result.stderr


@pytest.mark.parametrize("where", ["content", "attribute"])
def test_billion_laughs_is_refused_quickly(run_cli, folder, where) -> None:
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    text = VALID.replace("<TEI ", f"<!DOCTYPE TEI [{entities}]>\n<TEI ", 1)
    text = (text.replace("A valid document", "&l9;") if where == "content"
            else text.replace("<p>", '<p n="&l9;">', 1))
    path = folder / "laughs.xml"
    path.write_text(text, encoding="utf-8")
    started = cpu_seconds()
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "refused:" in result.stdout and "entit" in result.stdout
    assert cpu_seconds() - started < 5


def test_an_element_with_tens_of_thousands_of_attributes_is_said_quickly(run_cli,
                                                                          folder) -> None:
    """A 0.7 MB file, one <p> with 60,000 attributes the schema refuses: each of its 60,000
    problems looked for the element's file and column again (its ancestors' xml:base, its
    start tag on a line of 0.7 MB), and lxml's attrib.items() is quadratic: over two minutes
    (200,000 attributes, 2.3 MB: some twenty minutes, extrapolated), now a second or two."""
    count = 60_000
    path = folder / "attributes.xml"
    path.write_text(VALID.replace("<p>Text.", "<p " + " ".join(f'a{n}="1"' for n in range(count))
                                  + ">Text."), encoding="utf-8")
    started = cpu_seconds()
    result = run_cli("validate", path)
    assert_clean_failure(result)
    line = line_of(path.read_text(encoding="utf-8"), "<p a0=")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}:{line}:7: error: attribute @a0 is not allowed on <p>", lines[0]
    assert len(lines) == count + 1 and lines[-2].startswith(f"{path}:{line}:7: error: attribute "
                                                            f"@a{count - 1} is not allowed")
    assert cpu_seconds() - started < 15


# --- hostile files: XInclude -------------------------------------------------------------------

def including(href: str, parse: str = "text", base: str | None = None) -> str:
    attribute = f' xml:base="{base}"' if base else ""
    return VALID.replace(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">',
    ).replace("A valid document", f'<xi:include href="{href}" parse="{parse}"{attribute}/>')


@pytest.mark.parametrize(("href", "base"), [
    ("../secret.txt", None),
    ("../../../../../../../../../../tmp/../{secret}", None),
    ("{secret_uri}", None),
    ("..%2Fsecret.txt", None),
    ("secret.txt", "../"),  # libxml2 resolves href against xml:base
], ids=["dotdot", "deep-dotdot", "file-uri", "percent-encoded", "xml-base"])
def test_xinclude_outside_the_folder_is_refused(run_cli, folder, secret, href, base) -> None:
    (folder / "secret.txt").write_text("a decoy inside the folder", encoding="utf-8")
    path = folder / "include.xml"
    href = href.format(secret=str(secret).lstrip("/"), secret_uri=secret.as_uri())
    path.write_text(including(href, base=base), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert f"{path}:{line_of(path.read_text(), '<xi:include')}: error: XInclude refused" in (
        result.stdout)
    assert f"outside {folder}" in result.stdout


def test_xinclude_through_a_symlink_out_of_the_folder_is_refused(run_cli, folder, secret) -> None:
    os.symlink(secret, folder / "innocent.txt")
    path = folder / "include.xml"
    path.write_text(including("innocent.txt"), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "innocent.txt': outside" in result.stdout and "XInclude refused" in result.stdout


def test_xinclude_over_http_is_refused_without_a_request(run_cli, folder, server) -> None:
    url, requests = server
    path = folder / "include-http.xml"
    path.write_text(including(f"{url}/part.xml", parse="xml"), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert f"XInclude refused non-local reference '{url}/part.xml'" in result.stdout
    assert requests == []


XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"'


def test_an_xinclude_bomb_of_parts_of_this_document_is_refused_quickly(run_cli, folder) -> None:
    """16 segs of 2 KB, each including the one before twice by its id (xpointer): libxml2
    copied 2^16 segs, and validate ran on for minutes (20 levels: out of memory, a traceback).
    A part of the same document included (an include without href) is refused at its line."""
    levels = "".join(f'<seg xml:id="l{n}"><xi:include xpointer="l{n - 1}"/>'
                     f'<xi:include xpointer="l{n - 1}"/></seg>' for n in range(1, 17))
    path = folder / "bomb.xml"
    path.write_text(VALID.replace("<p>Text.</p>", f'<p {XI}><seg xml:id="l0">ha</seg>\n'
                                  f"{levels}</p>"), encoding="utf-8")
    started = cpu_seconds()
    result = run_cli("validate", path)
    assert_clean_failure(result)
    line = line_of(path.read_text(encoding="utf-8"), "<xi:include")
    assert result.stdout.startswith(f"{path}:{line}: error: XInclude of a part of this same "
                                    "document (xpointer 'l0', no href) is refused"), \
        result.stdout
    assert cpu_seconds() - started < 5


def test_an_xinclude_bomb_of_files_is_refused_quickly(run_cli, folder) -> None:
    """Five files under a kilobyte, each including the one before 30 times: 810,000 parts
    parsed, validate ran on for minutes (the depth limit, 8, allows 30^8). More than
    MAX_PARTS parts in one document is refused at the include that goes over."""
    from tei_edition.load import MAX_PARTS

    (folder / "f0.xml").write_text('<seg xmlns="http://www.tei-c.org/ns/1.0">ha</seg>',
                                   encoding="utf-8")
    for n in range(1, 5):
        (folder / f"f{n}.xml").write_text(f'<seg xmlns="http://www.tei-c.org/ns/1.0" {XI}>'
                                          + f'<xi:include href="f{n - 1}.xml"/>' * 30 + "</seg>",
                                          encoding="utf-8")
    path = folder / "article.xml"
    path.write_text(VALID.replace("<p>Text.</p>", f'<p {XI}><xi:include href="f4.xml"/></p>'),
                    encoding="utf-8")
    started = cpu_seconds()
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert result.stdout.startswith(f"{folder / 'f1.xml'}:1: error: XInclude of 'f0.xml': "
                                    f"more than {MAX_PARTS} parts in one document"), \
        result.stdout
    assert cpu_seconds() - started < 10


def test_xinclude_inside_the_folder_works(run_cli, folder) -> None:
    (folder / "part.txt").write_text("An included title", encoding="utf-8")
    path = folder / "include.xml"
    path.write_text(including("part.txt"), encoding="utf-8")
    assert run_cli("validate", path).status == 0


def test_an_xinclude_cycle_is_refused(run_cli, folder) -> None:
    path = folder / "cycle.xml"
    path.write_text(including("cycle.xml", parse="xml"), encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    assert "XInclude" in result.stdout


# --- the same safety for every command -----------------------------------------------------------

def test_other_commands_refuse_the_same_way(run_cli, folder, secret) -> None:
    path = folder / "include.xml"
    path.write_text(including("../secret.txt"), encoding="utf-8")
    result = run_cli("text", "--diplomatic", path)
    assert_clean_failure(result)
    assert f"XInclude refused '{secret.as_uri()}': outside {folder}" in result.stderr


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (b"<TEI", "xml-syntax"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "e.txt">]><x>&e;</x>', "entity-refused"),
], ids=["empty", "malformed", "entity"])
def test_the_loader_refuses_with_a_located_diagnostic(folder, content, code) -> None:
    path = folder / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(EditionError) as refused:
        parse_xml(path)
    assert refused.value.diagnostic.code == code
    assert refused.value.diagnostic.file == str(path)
    assert refused.value.diagnostic.line == 1


def test_the_loader_refuses_a_duplicate_xml_id_unless_asked_not_to(folder) -> None:
    path = folder / "ids.xml"
    path.write_text(VALID.replace("<p>", '<p xml:id="a">', 2), encoding="utf-8")
    with pytest.raises(EditionError) as refused:
        load(path)
    assert refused.value.diagnostic.code == "duplicate-id"
    assert 'duplicate xml:id "a" (first defined on line' in refused.value.diagnostic.message
    assert len(load(path, check_ids=False).xpath("//@xml:id")) == 2


def test_a_missing_bibtex_file_is_one_error_where_the_edition_points_to_it(run_cli,
                                                                          tmp_path) -> None:
    """The edition copied without bib/: the build stops with an error at the first <ptr> into
    the missing file, naming it and how many references depend on it (not one error per
    reference), and writes nothing."""
    edition = tmp_path / "edition"
    shutil.copytree(ROOT / "edition", edition)
    references = edition / "references" / "nakhchivan-autonomy.xml"
    first = line_of(references.read_text(encoding="utf-8"), '<bibl n=')
    output = tmp_path / "site"
    result = run_cli("build", "html", edition / "nakhchivan-autonomy.xml", "-o", output)
    assert_clean_failure(result)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    missing = tmp_path / "bib" / "nakhchivan-autonomy.bib"
    assert errors[0].endswith(f"references/nakhchivan-autonomy.xml:{first}: error: "
                              f"'../../bib/nakhchivan-autonomy.bib' ({missing}): no such file; "
                              "22 references point to it"), result.stderr
    assert not any("cannot be resolved" in line for line in errors), result.stderr
    assert not output.exists()


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
def test_a_key_defined_twice_in_a_bib_file_stops_the_build(run_cli, folder, tmp_path,
                                                           output_format) -> None:
    """bibtexparser keeps the first entry of a key, pandoc's citeproc the last: the build
    published the second entry as the source cited, exit 0, not a word said (`edition
    validate` of the .bib said it). The error at the second definition, as validate says it,
    exit 1, the previous output kept."""
    article = folder / "article.xml"
    article.write_text(VALID.replace("<p>Text.</p>", '<p>One<ref type="footnote" n="1">1</ref>.'
                                     "</p>").replace("</body>", '</body><back><listBibl><bibl '
                                                     'n="1"><ptr type="bibtex" target="sources.'
                                                     'bib#cited"/></bibl></listBibl></back>'),
                       encoding="utf-8")
    bib = folder / "sources.bib"
    bib.write_text("".join(f"@book{{cited,\n  author = {{{author}}},\n  title = {{{title}}},\n"
                           f"  publisher = {{P}},\n  year = {{{year}}},\n}}\n\n"
                           for author, title, year in (("Author, First", "The first", 1921),
                                                       ("Other, Second", "The second", 2000))),
                   encoding="utf-8")
    output = tmp_path / f"output.{output_format}"
    if output_format != "html":
        output.write_bytes(b"previous good output")
    result = run_cli("build", output_format, article, "-o", output)
    assert_clean_failure(result)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{bib}:8: error: duplicate key 'cited' (first defined on line 1)"], \
        result.stderr
    assert (not output.exists() if output_format == "html"
            else output.read_bytes() == b"previous good output")


def build_refused(run_cli, output_format: str, source: Path, output: Path) -> str:
    """Build into `output` and return the one error line of a refusal."""
    result = run_cli("build", output_format, source, "-o", output)
    assert_clean_failure(result)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "nothing written" in errors[0], result.stderr
    return errors[0]


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
def test_an_output_never_replaces_the_editions_own_files(run_cli, folder,
                                                         output_format) -> None:
    """`-o` naming the TEI file itself, or the folder that holds it: refused, the source and
    the user's other files left as they were (was: the folder emptied, the TEI overwritten)."""
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    (folder / "notes.txt").write_text("precious", encoding="utf-8")
    assert "which the edition is made from" in build_refused(run_cli, output_format, article,
                                                              article)
    assert "which the edition is made from" in build_refused(run_cli, output_format, article,
                                                              folder)
    assert article.read_text(encoding="utf-8") == VALID
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "precious"


def test_a_site_never_replaces_a_folder_or_file_no_build_made(run_cli, folder,
                                                              tmp_path) -> None:
    """The web edition replaces its folder whole, so only a folder a build made (it holds the
    marker) is replaced; a user's folder or a file is refused; a new one is fine, and the next
    build replaces it."""
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work", encoding="utf-8")
    assert "holds files that no build made" in build_refused(run_cli, "html", article, mine)
    assert (mine / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    a_file = tmp_path / "a-file"
    a_file.write_text("kept", encoding="utf-8")
    assert "is not a folder" in build_refused(run_cli, "html", article, a_file)
    assert a_file.read_text(encoding="utf-8") == "kept"
    site = tmp_path / "site"
    for _ in range(2):  # a new folder, then the folder the first build made
        assert run_cli("build", "html", article, "-o", site).status == 0
        assert (site / "index.html").exists()


@pytest.mark.parametrize("output_format", ["html", "epub"])
def test_a_depfile_never_replaces_the_editions_files_or_the_output(run_cli, folder, tmp_path,
                                                                   output_format) -> None:
    """`--depfile` naming the TEI, a register it points to, or the output itself: each was
    replaced by the make rule, exit 0 (the edition's own file lost); a folder was refused only
    after the output was written. Each is refused before the work, nothing written."""
    article = folder / "article.xml"
    shutil.copyfile(APPARATUS / "good.xml", article)
    for register in ("persons.xml", "places.xml"):
        shutil.copyfile(APPARATUS / register, folder / register)
    kept = {path: path.read_bytes() for path in folder.iterdir()}
    output = tmp_path / ("site" if output_format == "html" else "book.epub")
    a_folder = tmp_path / "a-folder"
    a_folder.mkdir()
    for depfile, said in ((article, "which the edition is made from"),
                          (folder / "persons.xml", "which the edition is made from"),
                          (output, "the output"), (a_folder, "is not a regular file")):
        result = run_cli("build", output_format, article, "-o", output, "--depfile", depfile)
        assert_clean_failure(result)
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert len(errors) == 1 and errors[0].startswith(f"{depfile}: error: "), result.stderr
        assert said in errors[0] and "nothing written" in errors[0], errors[0]
        assert {path: path.read_bytes() for path in folder.iterdir()} == kept
        assert not output.exists()
    assert list(a_folder.iterdir()) == []


def test_a_text_export_of_a_book_or_over_its_source_is_refused(run_cli, folder) -> None:
    """`edition text` of a teiCorpus printed nothing, exit 0 (its articles are not in a
    <text> of its own); `-o` naming the TEI it reads replaced it with its plain text, exit 0.
    Both refused in one line, the file kept."""
    book = book_of(folder, {"one.xml": article_text("One"), "two.xml": article_text("Two")})
    for view in ("--normalised", "--diplomatic"):
        result = run_cli("text", view, book)
        assert_clean_failure(result)
        assert result.stdout == ""
        assert result.stderr.startswith(f"{book}:"), result.stderr
        assert "one.xml, two.xml" in result.stderr, result.stderr
    article = folder / "one.xml"
    result = run_cli("text", article, "-o", article)
    assert_clean_failure(result)
    assert result.stderr == (f"{article}: error: the output would replace {article}, which the "
                             "text is made from; nothing written: choose another output\n")
    assert article.read_text(encoding="utf-8") == article_text("One")


def refuse_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make validating and transforming an edition fail the test: a refusal must come first."""
    from tei_edition import pipeline

    def no_work(source: Path) -> None:
        raise AssertionError(f"{source} validated and transformed for a refused output")

    monkeypatch.setattr(pipeline, "checked_transform", no_work)


@pytest.mark.parametrize(("output_format", "variant", "search", "said"), [
    ("docx", None, True, "no writer for the format 'docx' (pdf, html, epub)"),
    ("pdf", "bogus", True, "no PDF variant 'bogus' (print, archive)"),
    ("html", "print", True, "a variant ('print') is the PDF's alone, not the html's"),
    ("epub", None, False, "a site without its search (search=False) is the html's alone, not "
     "the epub's"),
    ("pdf", None, False, "a site without its search (search=False) is the html's alone, not "
     "the pdf's"),
], ids=["unknown-format", "unknown-variant", "variant-of-a-site", "epub-no-search",
        "pdf-no-search"])
def test_the_build_api_refuses_an_option_its_format_has_not(folder, tmp_path, monkeypatch,
                                                            output_format, variant, search,
                                                            said) -> None:
    """pipeline.build of an unknown format or PDF variant validated and transformed the
    edition, then said "the docx writer failed (KeyError: 'docx')" at the TEI; search=False for
    a book, a variant for a site, were ignored without a word. A ValueError, before the work."""
    from tei_edition import pipeline

    refuse_the_work(monkeypatch)
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    with pytest.raises(ValueError, match="^" + re.escape(said) + "$"):
        pipeline.publish(article, output_format, tmp_path / "output", variant, search=search)
    assert list(tmp_path.iterdir()) == [folder]


def test_the_variants_the_build_checks_are_the_pdf_writers() -> None:
    from tei_edition import PDF_VARIANTS
    from tei_edition.writers.pdf import VARIANTS

    assert set(VARIANTS) == {None, *PDF_VARIANTS}


@pytest.mark.parametrize(("output_format", "kept"), [("html", "user's folder"),
                                                      ("pdf", "folder"), ("epub", "pipe")])
def test_an_output_that_would_be_refused_is_refused_before_the_work(
        run_cli, folder, tmp_path, monkeypatch, output_format, kept) -> None:
    """A user's folder, a folder where a book goes, a pipe: said at once, not after the
    validation and the transform (and for a PDF, minutes of typesetting) that the writer would
    then refuse to put in its place."""
    refuse_the_work(monkeypatch)
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    output = tmp_path / "output"
    if kept == "pipe":
        os.mkfifo(output)
    else:
        output.mkdir()
        if kept == "user's folder":
            (output / "thesis.tex").write_text("years of work", encoding="utf-8")
    assert "nothing written" in build_refused(run_cli, output_format, article, output)


@pytest.mark.parametrize("output_format", ["html", "epub", "pdf"])
def test_an_output_inside_a_file_is_said_so_before_the_work(run_cli, folder, tmp_path,
                                                             monkeypatch, output_format) -> None:
    """`-o notes.txt/site`: said after the validation and the transform, as "cannot write the
    web site: File exists" (mkdir's words for a file where a folder goes)."""
    refuse_the_work(monkeypatch)
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("kept", encoding="utf-8")
    output = a_file / "deeper" / "output"
    result = run_cli("build", output_format, article, "-o", output)
    assert_clean_failure(result)
    assert result.stderr == (f"{output}: error: {a_file} is a file, not a folder the output can "
                             "go in; nothing written: choose another output\n"), result.stderr
    assert a_file.read_text(encoding="utf-8") == "kept"


@pytest.mark.parametrize("output_format", ["epub", "pdf"])
def test_a_book_never_replaces_a_folder_or_device(run_cli, folder, tmp_path,
                                                  output_format) -> None:
    """A PDF or EPUB replaces a regular file only: a folder or a pipe named by `-o` is
    refused (a device such as /dev/full was replaced by a regular file)."""
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert "is not a regular file" in build_refused(run_cli, output_format, article, pipe)
    assert pipe.is_fifo()
    a_folder = tmp_path / "a-folder"
    a_folder.mkdir()
    assert "is not a regular file" in build_refused(run_cli, output_format, article, a_folder)


@pytest.mark.parametrize(("output_format", "output", "product"), [
    ("pdf", "/proc/edition.pdf", "the PDF"), ("epub", "/proc/edition.epub", "the EPUB"),
    ("html", "/proc/site", "the web site")])
def test_an_output_that_cannot_be_written_is_said_at_its_path(run_cli, folder, output_format,
                                                              output, product) -> None:
    """Not at the input's, and without the temporary file's name (/proc/.edition.pdf.x1y2)."""
    article = folder / "article.xml"
    article.write_text(VALID, encoding="utf-8")
    result = run_cli("build", output_format, article, "-o", output)
    assert result.status == 1
    assert result.stderr.splitlines()[-1] == (
        f"{output}: error: cannot write {product}: No such file or directory")
    assert str(article) not in result.stderr and "/proc/." not in result.stderr


# --- errors where they are fixed: the include's line, the entity's declaration ---------------

def test_an_xinclude_cycle_is_reported_at_the_include_that_closes_it(run_cli, folder) -> None:
    """A corpus whose member includes the corpus again was blamed on the member's file, without
    a line, as 'nested too deeply'."""
    corpus, member = folder / "corpus.xml", folder / "member.xml"
    corpus.write_text(including("member.xml", parse="xml"), encoding="utf-8")
    member.write_text(including("corpus.xml", parse="xml"), encoding="utf-8")
    result = run_cli("validate", corpus)
    assert_clean_failure(result)
    line = line_of(member.read_text(encoding="utf-8"), "<xi:include")
    assert result.stdout.splitlines()[0] == (
        f"{member}:{line}: error: XInclude cycle: 'corpus.xml' includes a file that includes it "
        "(corpus.xml → member.xml → corpus.xml)")


def test_a_missing_included_file_is_reported_at_its_include(run_cli, folder) -> None:
    path = folder / "corpus.xml"
    path.write_text(including("nope.xml", parse="xml"), encoding="utf-8")
    for command in (("validate",), ("build", "html", "-o", folder.parent / "site")):
        result = run_cli(*command, path)
        assert_clean_failure(result)
        said = (result.stdout + result.stderr).splitlines()[0]
        assert said == (f"{path}:{line_of(path.read_text(encoding='utf-8'), '<xi:include')}: "
                        f"error: XInclude of 'nope.xml' ({folder / 'nope.xml'}): no such file")
    assert not (folder.parent / "site").exists()


@pytest.mark.parametrize(("declarations", "declared"), [
    ('<!ENTITY l0 "ha">\n' + "\n".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">'
                                        for n in range(1, 10)), "<!ENTITY l0"),
    ('<!ENTITY other "fine">\n<!ENTITY l9 SYSTEM "file:///etc/hostname">', "<!ENTITY l9"),
], ids=["billion-laughs", "xxe"])
def test_a_refused_entity_is_reported_at_its_declaration(run_cli, folder, declarations,
                                                         declared) -> None:
    """Both were reported on the DOCTYPE's first line (or at libxml2's :1:7), not where the
    entity to remove is declared."""
    path = folder / "entities.xml"
    path.write_text(VALID.replace("<TEI ", f"<!DOCTYPE TEI [\n<!-- entities -->\n{declarations}"
                                  "\n]>\n<TEI ", 1).replace("A valid document", "&l9;"),
                    encoding="utf-8")
    result = run_cli("validate", path)
    assert_clean_failure(result)
    line = line_of(path.read_text(encoding="utf-8"), declared)
    assert line > 3
    assert result.stdout.startswith(f"{path}:{line}: error: refused: "), result.stdout


def test_an_included_parts_external_dtd_is_said_through_its_corpus(run_cli, folder) -> None:
    """The warning came only when the part was validated alone."""
    corpus, part = folder / "corpus.xml", folder / "part.xml"
    corpus.write_text(including("part.xml", parse="xml"), encoding="utf-8")
    part.write_text(VALID.replace("<TEI ", '<!DOCTYPE TEI SYSTEM "tei_all.dtd">\n<TEI ', 1),
                    encoding="utf-8")
    result = run_cli("validate", corpus)
    line = line_of(part.read_text(encoding="utf-8"), "<!DOCTYPE")
    assert f'{part}:{line}: warning: the DOCTYPE\'s external DTD "tei_all.dtd" is not read' \
        in result.stdout


# --- a book whose articles share an id ------------------------------------------------------

CORPUS = """<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>A book of articles</title></titleStmt>
      <publicationStmt><p>Bad-input test.</p></publicationStmt>
      <sourceDesc><p>Written for the test.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
{includes}
</teiCorpus>
"""


def article_text(title: str, idno: str | None = None) -> str:
    """A valid article, with an `idno` of type edition (its id) when given."""
    text = VALID.replace("A valid document", title).replace("<p>Text.</p>",
                                                            f"<p>The text of {title}.</p>")
    if idno is None:
        return text
    return text.replace("<p>Bad-input fixture of the edition's validator.</p>",
                        f'<publisher>A test</publisher><idno type="edition">{idno}</idno>')


def book_of(folder: Path, articles: dict[str, str]) -> Path:
    """A teiCorpus in `folder` that XIncludes the articles (file name relative to it: text)."""
    for name, text in articles.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    corpus = folder / "book.xml"
    corpus.write_text(CORPUS.format(includes="\n".join(f'  <xi:include href="{name}"/>'
                                                      for name in articles)), encoding="utf-8")
    return corpus


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_an_article_built_alone_finds_its_corpus_in_any_encoding(folder, encoding) -> None:
    """A UTF-16 teiCorpus was never the corpus of its article built alone: its root was
    sought as UTF-8 bytes."""
    book = book_of(folder, {"one.xml": article_text("One")})
    if encoding != "utf-8":
        text = book.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        book.write_bytes(("\ufeff" + text).encode(encoding))
    found = corpus_including(folder / "one.xml")
    assert found is not None and found[0].resolve() == book.resolve()


def test_two_articles_of_one_file_name_stop_validation_and_every_build(run_cli, folder,
                                                                       tmp_path) -> None:
    """A copy of an article under another folder, of the same file name: both got the id of
    the file's name, validated with 0 errors, the web edition gave one page to both and the
    PDF was set whole. One error naming both places, exit 1, nothing written, before every
    output."""
    book = book_of(folder, {"first/article.xml": article_text("First"),
                            "second/article.xml": article_text("Second")})
    second, first = folder / "second" / "article.xml", folder / "first" / "article.xml"
    root_line = line_of(second.read_text(encoding="utf-8"), "<TEI ")
    expected = (f'{second}:{root_line}:1: error: the article id "article" (its file name) is '
                f"already the id of the article at {first}:{root_line}: each article needs an "
                'id of its own (its <idno type="edition"> in its publicationStmt, else its file '
                "name)")
    validated = run_cli("validate", book)
    assert_clean_failure(validated)
    assert validated.stdout.splitlines()[0] == expected
    for output_format, output in (("html", tmp_path / "site"), ("epub", tmp_path / "book.epub"),
                                  ("pdf", tmp_path / "book.pdf")):
        if output_format != "html":
            output.write_bytes(b"previous good output")
        result = run_cli("build", output_format, book, "-o", output)
        assert_clean_failure(result)
        assert [line for line in result.stderr.splitlines() if ": error: " in line] == [expected]
        assert (not output.exists() if output_format == "html"
                else output.read_bytes() == b"previous good output")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["book.epub", "book.pdf",
                                                                "edition"]


def test_an_article_a_corpus_includes_twice_is_said_at_the_second_include(run_cli, folder,
                                                                          tmp_path) -> None:
    """It was said as two articles of one id at the article's own root, not at the corpus'
    include to take out."""
    book = book_of(folder, {"one.xml": article_text("One"), "two.xml": article_text("Two")})
    text = book.read_text(encoding="utf-8").replace(
        "</teiCorpus>", '  <xi:include href="./one.xml"/>\n</teiCorpus>')
    book.write_text(text, encoding="utf-8")
    first, again = line_of(text, 'href="one.xml"'), line_of(text, 'href="./one.xml"')
    expected = (f"{book}:{again}: error: XInclude of './one.xml': the corpus includes "
                f"{folder / 'one.xml'} already, on line {first}: an article is in a book once")
    validated = run_cli("validate", book)
    assert_clean_failure(validated)
    assert validated.stdout.splitlines()[0] == expected
    every_build_refused(run_cli, book, tmp_path, expected)


def every_build_refused(run_cli, book: Path, tmp_path: Path, expected: str) -> None:
    """Each format's build stops with the one error `expected`, its output not written."""
    for output_format, output in (("html", tmp_path / "site"), ("epub", tmp_path / "book.epub"),
                                  ("pdf", tmp_path / "book.pdf")):
        result = run_cli("build", output_format, book, "-o", output)
        assert_clean_failure(result)
        assert [line for line in result.stderr.splitlines() if ": error: " in line] == [expected]
        assert not output.exists()


def test_an_id_taken_twice_is_an_error_at_the_idno_that_takes_it_again(run_cli,
                                                                       folder) -> None:
    """The id an idno gives, given again by another idno, or by an idno that is another
    article's file name (an article without an idno is named by its file)."""
    book = book_of(folder, {"one.xml": article_text("One", idno="same"),
                            "two.xml": article_text("Two", idno="same"),
                            "three.xml": article_text("Three"),
                            "four.xml": article_text("Four", idno="three")})
    idno = line_of((folder / "two.xml").read_text(encoding="utf-8"), '<idno type="edition">')
    root = line_of((folder / "three.xml").read_text(encoding="utf-8"), "<TEI ")
    result = run_cli("validate", "--format", "json", book)
    assert_clean_failure(result)
    found = [(d["file"], d["line"], d["code"], d["message"])
             for d in json.loads(result.stdout)["diagnostics"]]
    own = ' each article needs an id of its own (its <idno type="edition"> in its ' \
          "publicationStmt, else its file name)"
    assert found == [
        (str(folder / "four.xml"), idno, "duplicate-article-id", 'the article id "three" (its '
         f"idno) is already the id of the article at {folder / 'three.xml'}:{root}:{own}"),
        (str(folder / "two.xml"), idno, "duplicate-article-id", 'the article id "same" (its '
         f"idno) is already the id of the article at {folder / 'one.xml'}:{idno}:{own}"),
    ]


@pytest.mark.parametrize(("identifier", "whose"), [
    ("contents", "the id of the book's own <nav>"),
    ("index", "the name of the web edition's own page index.html"),
])
def test_an_article_id_the_book_gives_its_own_part_stops_every_build(
        run_cli, folder, tmp_path, identifier, whose) -> None:
    """An article "contents" took the anchor of the book's contents (the PDF writer failed
    with an AttributeError); an article "index" and the front page were one page of the web
    edition, the other lost, exit 0."""
    book = book_of(folder, {"one.xml": article_text("One"),
                            "two.xml": article_text("Two", idno=identifier)})
    two = folder / "two.xml"
    line = line_of(two.read_text(encoding="utf-8"), '<idno type="edition">')
    expected = (f'{two}:{line}: error: the article id "{identifier}" (its idno) is {whose}: '
                'choose another (its <idno type="edition"> in its publicationStmt)')
    every_build_refused(run_cli, book, tmp_path, expected)
