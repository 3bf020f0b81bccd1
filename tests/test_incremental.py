"""Incremental builds: make rebuilds an output when, and only when, a file it was made from
changes. The data dependencies come from the build itself (`edition build --depfile`); the
Makefile adds styles, fonts and code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from conftest import ARTICLES, EDITION, ROOT
from tei_edition.pipeline import make_rule, transform

OLD, BUILT = 1_600_000_000, 1_700_000_000
STAMPS = (".venv/.installed", ".venv/.system-build")
IMAGE = "edition/figures/moscow-treaty.png"  # shown in the project copy's Nakhchivan article
CORPUS = "edition/edition.xml"


def show_an_image(project: Path) -> None:
    """Give the first figure of the Nakhchivan article an image (the edition has none yet)."""
    image = project / IMAGE
    image.parent.mkdir()
    Image.new("RGB", (4, 3), (122, 46, 18)).save(image)
    article = project / "edition" / "nakhchivan-autonomy.xml"
    text = article.read_text(encoding="utf-8")
    figure = "<figure>\n          <head>"
    assert text.count(figure) == 1
    article.write_text(text.replace(figure, '<figure>\n          <graphic url="figures/'
                                    'moscow-treaty.png"/>\n          <head>'), encoding="utf-8")


def test_an_article_is_made_from_itself_its_references_the_registers_and_its_bibtex() -> None:
    """… and from the edition that includes it, whose Note on the text it prints."""
    inputs = transform(EDITION / "treaty-of-kars.xml").inputs
    names = {path.resolve().relative_to(ROOT).as_posix() for path in inputs}
    assert names == {
        "edition/treaty-of-kars.xml", "edition/references/treaty-of-kars.xml",
        "edition/edition.xml",
        "edition/persons.xml", "edition/places.xml", "edition/orgs.xml",
        "bib/sources.bib", "bib/treaty-of-kars.bib", "edition/maps/borders.json",
    }


def test_the_edition_is_made_from_every_article() -> None:
    names = {path.resolve().relative_to(ROOT).as_posix()
             for path in transform(EDITION / "edition.xml").inputs}
    for article in ARTICLES:
        assert {f"edition/{article}.xml", f"edition/references/{article}.xml",
                f"bib/{article}.bib"} <= names


def test_make_rule_escapes_what_make_would_misread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    rule = make_rule(tmp_path / "out.pdf", [tmp_path / "my text.xml", Path("/elsewhere/a#b.bib")])
    assert rule.splitlines() == ["out.pdf: my\\ text.xml /elsewhere/a\\#b.bib",
                                 "my\\ text.xml:", "/elsewhere/a\\#b.bib:"]


def test_build_writes_its_dependency_file(run_cli, tmp_path: Path) -> None:
    site, depfile = tmp_path / "site", tmp_path / "site.d"
    result = run_cli("build", "html", EDITION / "nakhchivan-autonomy.xml", "-o", site,
                     "--depfile", depfile)
    assert result.status == 0, result.stderr
    target, _, inputs = depfile.read_text().splitlines()[0].partition(": ")
    assert Path(target) == site
    assert {Path(name).name for name in inputs.split()} == {
        "nakhchivan-autonomy.xml", "persons.xml", "places.xml", "orgs.xml",
        "nakhchivan-autonomy.bib", "borders.json", "edition.xml"}


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose outputs look built: each output and its dependency file
    (written by the same code as `edition build --depfile`) newer than every input."""
    project = tmp_path_factory.mktemp("project")
    for name in ("edition", "bib", "styles", "scripts", "schema"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(ROOT / "Makefile", project)
    shutil.copy2(ROOT / "pyproject.toml", project)
    show_an_image(project)
    for path in project.rglob("*"):
        os.utime(path, (OLD, OLD))
    outputs = {"build/edition.pdf": "edition/edition.xml",
               "build/edition.epub": "edition/edition.xml",
               **{f"build/articles/{a}.pdf": f"edition/{a}.xml" for a in ARTICLES}}
    cwd = Path.cwd()
    os.chdir(project)
    try:
        for output, source in outputs.items():
            rule = make_rule(Path(output), transform(Path(source)).inputs)
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text("built")
            Path(f"{output}.d").write_text(rule)
            os.utime(output, (BUILT, BUILT))
        site = Path("build/html")  # the published site, with its search page
        site.mkdir()
        (site / "search.html").write_text("built")
        Path("build/html.d").write_text(make_rule(site, transform(Path(CORPUS)).inputs))
        os.utime(site, (BUILT, BUILT))
    finally:
        os.chdir(cwd)
    return project


def rebuilt(project: Path, *edited: str, removed: str | None = None,
            targets: tuple[str, ...] = ("pdf", "articles")) -> set[str]:
    """The outputs `make pdf articles` (or `targets`) would rebuild after these edits (a dry
    run)."""
    command = ["make", "-n", "-C", str(project), *(f"-o{stamp}" for stamp in STAMPS)]
    for name in edited:
        command.append(f"-W{name}")
    if removed:
        hidden = project / removed
        hidden.rename(hidden.with_suffix(".gone"))
    try:
        run = subprocess.run([*command, *targets], capture_output=True, text=True, check=False)
    finally:
        if removed:
            hidden.with_suffix(".gone").rename(hidden)
    assert run.returncode == 0, run.stderr
    return {line.split(" -o ")[1].split()[0] for line in run.stdout.splitlines()
            if " build " in line}


def test_nothing_changed_nothing_rebuilt(built_project: Path) -> None:
    assert rebuilt(built_project) == set()


def test_an_edit_of_one_article_rebuilds_that_article_and_the_edition(built_project: Path) -> None:
    assert rebuilt(built_project, "edition/treaty-of-kars.xml") == {
        "build/edition.pdf", "build/articles/treaty-of-kars.pdf"}
    assert rebuilt(built_project, "edition/references/nakhchivan-autonomy.xml") == {
        "build/edition.pdf", "build/articles/nakhchivan-autonomy.pdf"}


def test_the_dependency_file_lists_the_images_shown(built_project: Path) -> None:
    rule = (built_project / "build" / "articles" / "nakhchivan-autonomy.pdf.d").read_text()
    assert IMAGE in rule.splitlines()[0].split()
    assert IMAGE not in (built_project / "build/articles/treaty-of-kars.pdf.d").read_text()


def test_an_edited_image_rebuilds_what_shows_it(built_project: Path) -> None:
    assert rebuilt(built_project, IMAGE) == {
        "build/edition.pdf", "build/articles/nakhchivan-autonomy.pdf"}


def test_an_edit_of_one_bibliography_rebuilds_only_the_article_citing_it(
        built_project: Path) -> None:
    assert rebuilt(built_project, "bib/nakhchivan-autonomy.bib") == {
        "build/edition.pdf", "build/articles/nakhchivan-autonomy.pdf"}


def test_an_edit_of_shared_data_styles_or_code_rebuilds_everything(built_project: Path) -> None:
    everything = {"build/edition.pdf", *(f"build/articles/{a}.pdf" for a in ARTICLES)}
    assert rebuilt(built_project, "edition/persons.xml") == everything
    assert rebuilt(built_project, "edition/edition.xml") == everything  # the articles' note
    assert rebuilt(built_project, "styles/print.css") == everything
    assert rebuilt(built_project, "scripts/tei_edition/html.py") == everything


def test_a_removed_input_rebuilds_instead_of_stopping_make(built_project: Path) -> None:
    assert rebuilt(built_project, removed="bib/treaty-of-kars.bib") == {
        "build/edition.pdf", "build/articles/treaty-of-kars.pdf"}


def test_a_draft_site_in_makes_folder_is_built_again_with_its_search(built_project: Path) -> None:
    """`edition build html --no-search -o build/html` (a draft, newer than every input) is not
    the site `make html` publishes: make builds it again, with the search page."""
    search_page = built_project / "build" / "html" / "search.html"
    assert rebuilt(built_project, targets=("html",)) == set()
    search_page.unlink()
    try:
        assert rebuilt(built_project, targets=("html",)) == {"build/html"}
    finally:
        search_page.write_text("built")
