"""The `edition` command: one entry point for every stage of the pipeline.

Nothing is imported here that Python has not loaded at startup: every module (argparse, lxml,
WeasyPrint…) loads once `main()` is running, where a Ctrl-C in the first tenths of a second is
an exit 130 like any later one, not a traceback.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # the hints' names only
    import argparse
    from collections.abc import Sequence
    from pathlib import Path
    from types import FrameType

MAX_PORT = 65535

def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lxml import etree

    from .atomic import atomic_write_bytes
    from .diagnostics import EXIT_OK, EditionError
    from .importer import draft_extract
    from .pipeline import output_over_inputs
    from .xmlmodel import attach

    refused = args.output and output_over_inputs(args.output, [args.source], "the draft")
    if refused:
        raise EditionError(refused)
    draft = draft_extract(args.source, args.running_head)
    # Redirected stdout lands in the working folder: the schema references assume it.
    attach(draft.tree, args.output or Path.cwd() / args.source.with_suffix(".xml").name)
    data = etree.tostring(draft.tree, xml_declaration=True, encoding="UTF-8", pretty_print=False)
    if args.output:
        atomic_write_bytes(args.output, data + b"\n")
    else:
        sys.stdout.buffer.write(data + b"\n")
    for line in draft.report:
        print(line, file=sys.stderr)
    return EXIT_OK


def _cmd_text(args: argparse.Namespace) -> int:
    from . import tei
    from .atomic import atomic_write_text
    from .diagnostics import EXIT_OK, Diagnostic, EditionError, Severity, error
    from .load import load_with_origins
    from .pipeline import output_over_inputs
    from .text import LineJump, diplomatic_text, normalised_text

    refused = args.output and output_over_inputs(args.output, [args.file], "the text")
    if refused:
        raise EditionError(refused)
    tree, origins = load_with_origins(args.file)
    root = tree.getroot()
    if root.tag == tei("teiCorpus"):  # its articles are not in a <text> of its own
        parts = ", ".join(dict.fromkeys(origins[part].name if part in origins else "?"
                                        for part in root.iter(tei("TEI"))))
        raise error(f"a teiCorpus: the text is exported one article at a time; name the "
                    f"article's file ({parts or 'it includes none'})", args.file,
                    root.sourceline, code="text-corpus")
    if args.diplomatic:
        try:
            output, unnumbered = diplomatic_text(tree)
        except LineJump as jump:
            raise error(str(jump), args.file, jump.lb.sourceline, code="text-line-jump") from None
        if unnumbered and output.strip():
            print(Diagnostic(Severity.INFO, f"{unnumbered}: the diplomatic text is set paragraph "
                             "by paragraph, a line for each <lb/>, not line for line",
                             str(args.file), code="text-unnumbered-lines"), file=sys.stderr)
    else:
        output = normalised_text(tree)
    if not output.strip():  # nothing to read is said, not exported as an empty file, exit 0
        raise error(f"no text to export: the {'diplomatic' if args.diplomatic else 'normalised'}"
                    " view reads no words in its <text>", args.file, code="text-empty")
    if args.output:
        atomic_write_text(args.output, output)
    else:
        sys.stdout.write(output)
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from .diagnostics import exit_status, without_repeats
    from .pipeline import DEFAULT_SOURCE, publish

    diagnostics = publish(args.file or DEFAULT_SOURCE, args.format, args.output, args.variant,
                          args.depfile, args.search)
    for diagnostic in without_repeats(diagnostics):
        print(diagnostic, file=sys.stderr)
    return exit_status(diagnostics)


def _cmd_cite(args: argparse.Namespace) -> int:
    from .citations import resolve_edition
    from .diagnostics import exit_status
    from .load import load
    from .pipeline import DEFAULT_SOURCE

    if args.file is not None and args.file.suffix == ".bib":
        return _cite_bibliography(args.file)
    results = resolve_edition(load(args.file or DEFAULT_SOURCE))
    for result in results:
        print(result.report())
        if args.notes:
            for citation in result.citations:
                print(f"  {citation.number:>3} [{citation.status}] {citation.note_text}")
        print(f"\nBibliography of {result.article}\n")
        for entry in result.bibliography:
            probable = " (probable identification)" if entry.status == "probable" else ""
            print(f"{entry.label}{probable} {entry.text}")
            if entry.annotation:
                print(f"    {entry.annotation}")
        print()
    diagnostics = [diagnostic for result in results for diagnostic in result.diagnostics]
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    return exit_status(diagnostics)


def _cite_bibliography(path: Path) -> int:
    """Every entry of a .bib file, formatted with the edition's CSL style. The errors of
    `edition validate` refuse the file, with their lines: each would drop or garble an entry
    (a syntax error, a duplicate key, an undefined macro…), or stop pandoc on the whole file.
    A missing required field is validate's alone: the entry still prints, as it is."""
    from .biblint import lint_bibliography
    from .citations import format_bibliography
    from .diagnostics import Severity, exit_status, has_errors, without_repeats

    diagnostics = [diagnostic for diagnostic in lint_bibliography([path])
                   if diagnostic.severity is Severity.ERROR
                   and diagnostic.code != "bib-missing-field"]
    if not has_errors(diagnostics):
        entries, messages = format_bibliography(path)
        diagnostics += messages
        for text in entries:
            print(text)
    for diagnostic in without_repeats(diagnostics):
        print(diagnostic, file=sys.stderr)
    return exit_status(diagnostics)


def _cmd_lint(args: argparse.Namespace) -> int:
    from .diagnostics import exit_status, to_json
    from .lint import lint

    diagnostics = lint(args.files)
    if args.format == "json":
        print(to_json(diagnostics))
    elif args.format == "sarif":
        from .sarif import to_sarif

        print(to_sarif(diagnostics))
    else:
        for diagnostic in diagnostics:
            print(diagnostic)
    return exit_status(diagnostics)


def _cmd_apparatus(args: argparse.Namespace) -> int:
    import json

    from .apparatus import format_apparatus, interventions, summary
    from .diagnostics import EXIT_OK
    from .load import load

    found = [i for i in interventions(load(args.file)) if not args.type or i.type in args.type]
    if args.format == "json":
        fields = ("line", "lemma", "reading", "type", "resp", "certainty", "text_id", "ref")
        records = [{name: getattr(i, name) for name in fields} for i in found]
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(format_apparatus(found))
    print(summary(found), file=sys.stderr)
    return EXIT_OK


def _cmd_proof(args: argparse.Namespace) -> int:
    from .diagnostics import EXIT_OK
    from .proof import proof_report

    sys.stdout.write(proof_report(args.pdf))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    import json

    from .diagnostics import EXIT_USAGE, Diagnostic, Severity, exit_status
    from .validate import Report, UsageError, validate

    try:
        report = validate(args.paths, args.schema, bib_dialect=args.dialect,
                          jobs=args.jobs)
        status = exit_status(report.diagnostics)
    except UsageError as problem:
        print(f"edition validate: error: {problem}", file=sys.stderr)
        if args.format == "text":
            return EXIT_USAGE
        # A tool reading the JSON or SARIF gets a document that says why, all the same.
        report = Report([Diagnostic(Severity.ERROR, str(problem), code="usage")], 0, [], [])
        status = EXIT_USAGE
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    elif args.format == "sarif":
        from .sarif import to_sarif

        print(to_sarif(report.diagnostics))
    else:
        for diagnostic in report.diagnostics:
            print(diagnostic)
        print(report.summary())
    if args.format != "text" and status != EXIT_USAGE:
        print(report.summary(), file=sys.stderr)  # the document is for tools; this, for people
    return status


def _cmd_serve(args: argparse.Namespace) -> int:
    from .diagnostics import EXIT_USAGE
    from .pipeline import DEFAULT_SOURCE
    from .serve import serve

    if not 0 <= args.port <= MAX_PORT:
        print(f"edition serve: error: --port {args.port}: a port is a number from 0 to "
              f"{MAX_PORT} (0: any free one)", file=sys.stderr)
        return EXIT_USAGE
    return serve(args.file or DEFAULT_SOURCE, args.port, args.output)


def positive(text: str) -> int:
    """A count of processes: a whole number from 1 (0 and -1 were taken as 1 without a word)."""
    import argparse

    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"a number of processes, 1 or more, not {text!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from . import PDF_VARIANTS

    parser = argparse.ArgumentParser(prog="edition", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    importer = commands.add_parser(
        "import", help="draft TEI from a PDF or its plain-text extraction")
    importer.add_argument("source", type=Path)
    importer.add_argument("-o", "--output", type=Path, help="write the draft here (else stdout)")
    importer.add_argument(
        "--running-head", action="append", default=[], metavar="TEXT",
        help="a line that is a running head in this extraction (repeatable)",
    )
    importer.set_defaults(run=_cmd_import)

    text = commands.add_parser("text", help="plain-text export: diplomatic or normalised")
    text.add_argument("file", type=Path)
    view = text.add_mutually_exclusive_group()
    view.add_argument("--diplomatic", action="store_true", help="the witness, line for line")
    view.add_argument("--normalised", action="store_true", help="the reading text (default)")
    text.add_argument("-o", "--output", type=Path)
    text.set_defaults(run=_cmd_text)

    build = commands.add_parser("build", help="publish the edition as PDF, web HTML or EPUB")
    formats = build.add_subparsers(dest="format", required=True, metavar="pdf|html|epub")
    for output_format, output_help in (("pdf", "the PDF (file)"), ("html", "the web site (folder)"),
                                       ("epub", "the EPUB 3 (file)")):
        # One parser per format, so that FILE may follow the options (argparse cannot match an
        # optional positional after another positional once options intervene).
        writer = formats.add_parser(output_format, help=f"build {output_help}")
        writer.add_argument("file", type=Path, nargs="?",
                            help="TEI or teiCorpus (default: the edition)")
        writer.add_argument("-o", "--output", type=Path, required=True, help=output_help)
        writer.add_argument("--depfile", type=Path, metavar="FILE",
                            help="also write a make rule: the output and the data files it "
                            "was made from (TEI, registers, BibTeX, images)")
        if output_format == "pdf":
            writer.add_argument("--variant", choices=PDF_VARIANTS,
                                help="print (bleed, crop marks) or archive (PDF/A-3b)")
        if output_format == "html":
            writer.add_argument("--no-search", dest="search", action="store_false",
                                help="a draft site without the search page and its index "
                                "(Pagefind: most of the time of a long text's build)")
        writer.set_defaults(run=_cmd_build, variant=None, search=True)

    server = commands.add_parser(
        "serve", help="preview the web edition on 127.0.0.1, rebuilt and reloaded on save")
    server.add_argument("file", type=Path, nargs="?",
                        help="TEI or teiCorpus (default: the edition)")
    server.add_argument("--port", type=int, default=8000, help="default: 8000; 0: any free")
    server.add_argument("-o", "--output", type=Path, default=Path("build/serve"),
                        help="the folder to build into and serve from (default: build/serve)")
    server.set_defaults(run=_cmd_serve)

    cite = commands.add_parser("cite", help="citation report and formatted bibliography (CSL)")
    cite.add_argument("file", type=Path, nargs="?",
                      help="TEI or teiCorpus (default: the edition), or a .bib file: all its "
                      "entries formatted")
    cite.add_argument("--notes", action="store_true",
                      help="also print each citation's formatted note, in text order")
    cite.set_defaults(run=_cmd_cite)

    linter = commands.add_parser(
        "lint", help="report variant spellings not yet encoded and names the registers lack")
    linter.add_argument("files", type=Path, nargs="+", metavar="FILE")
    linter.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                        help="sarif: a SARIF 2.1.0 log (VS Code's SARIF Viewer, GitHub)")
    linter.set_defaults(run=_cmd_lint)

    apparatus = commands.add_parser(
        "apparatus", help="list every editorial intervention: lemma ] reading (type, resp)")
    apparatus.add_argument("file", type=Path, help="an article or the teiCorpus")
    apparatus.add_argument("--type", action="append", metavar="TYPE",
                           help="only this type (extraction, error, variant); repeatable")
    apparatus.add_argument("--format", choices=("text", "json"), default="text")
    apparatus.set_defaults(run=_cmd_apparatus)

    proof = commands.add_parser(
        "proof", help="composition figures of a PDF: word spaces, hyphenation, note calls, "
        "widows and orphans (from poppler's word boxes)")
    proof.add_argument("pdf", type=Path)
    proof.set_defaults(run=_cmd_proof)

    validator = commands.add_parser(
        "validate", help="check TEI (well-formed, RELAX NG, project rules) and the bibliography")
    validator.add_argument("paths", type=Path, nargs="*", metavar="FILE|DIR",
                           help="files or folders (default: the edition and bib/)")
    validator.add_argument("--schema", default="auto", metavar="tei_all|edition|FILE.rng",
                           help="tei_all (the official schema), edition (schema/edition.rng, "
                           "derived from it) or a .rng file; default: edition for the "
                           "edition's files, tei_all for others")
    validator.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                           help="sarif: a SARIF 2.1.0 log (VS Code's SARIF Viewer, GitHub)")
    validator.add_argument("--dialect", choices=("bibtex", "biblatex"),
                           help="the .bib files' dialect (default: what each file declares, a "
                           "JabRef databaseType comment; else bibtex)")
    validator.add_argument("-j", "--jobs", type=positive, nargs="?", const=os.cpu_count() or 1,
                           default=1, metavar="N",
                           help="check the files in N processes (-j alone: one per core)")
    validator.set_defaults(run=_cmd_validate)
    return parser


def _exit_on_signal(number: int, frame: FrameType | None) -> None:
    from . import interrupts

    interrupts.remember(number)
    raise SystemExit(128 + number)


def _interrupt(number: int, frame: FrameType | None) -> None:
    from . import interrupts

    interrupts.remember(number)
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    try:
        status = _run(argv)
    except KeyboardInterrupt:  # also while the pipeline's modules are still loading
        return 130
    from . import interrupts  # a signal some library swallowed on its way (interrupts.py)

    number = interrupts.received()
    return status if number is None else 128 + number


def _run(argv: Sequence[str] | None) -> int:
    import signal
    import threading

    from . import interrupts
    from .diagnostics import EXIT_INVALID, EXIT_OK, EXIT_USAGE, EditionError

    interrupts.forget()

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    # SIGTERM (`kill`, a CI timeout) unwinds the stack as Ctrl-C does, so that an interrupted
    # writer removes its temporary output (atomic.py); Python's default handler would end the
    # process on the spot and leave it behind. (Only the main thread may set a handler.)
    # Both are also remembered, in case a library swallows the exception (interrupts.py).
    handles_sigterm = threading.current_thread() is threading.main_thread()
    if handles_sigterm:
        previous = signal.signal(signal.SIGTERM, _exit_on_signal)
        previous_interrupt = signal.signal(signal.SIGINT, _interrupt)
    try:
        return int(args.run(args))
    except EditionError as problem:  # `file:line: error: …`, or `edition: error: …` unplaced
        diagnostic = problem.diagnostic
        print(diagnostic if diagnostic.file else f"edition: {diagnostic}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except OSError as problem:  # a full disk, a folder not writable: one line, no traceback
        print(f"edition: error: {problem}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        if handles_sigterm:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_interrupt)


if __name__ == "__main__":
    sys.exit(main())
