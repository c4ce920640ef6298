"""The whole build, top to bottom: ``build`` calls each stage once, in order.

    discover   ingest/        find the letter files under the inputs
    read       ingest/        read each file once; the cache's result where it holds one
    ocr        incremental/   OCR the scans' pages not cached yet, on every core
    decode     ingest/        decode the bytes strictly           ┐ ``parse_file``: each file
    normalise  normalize/     clean its lines                     │ the cache does not hold,
    parse      parse/         split it into a record's parts      │ on every core when there
    validate   records/       check the record against the schema ┘ are many
    duplicates records/       keep one copy of a letter saved twice
    ids        parse/         give each record a unique id
    publish    render/        leave out letters not to be published
    render     render/        the model, templates and keys; static files (in the build's folder)
    data       render/        data/: per year JSON Lines, CSV, ZIP of YAML and originals
    database   render/        data/replies.db (SQLite, made by export/)
    index      index/         the search index
    originals  render/        each PDF/DOCX original beside its page, within the file budget
    pages      render/        every HTML page
    feeds      render/        feed, sitemap, robots.txt
    swap       incremental/   put the new site in place of the old in one step

No stage stops at a bad letter: every problem is collected and reported, and the other letters
are still built. ``parse_all`` is the first half alone (the ``parse`` and ``check`` commands),
``build_site`` the second (a site from records already made).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replyarchive.config import Config, check_folders
from replyarchive.errors import BuildError, Problem, ReplyArchiveError, count
from replyarchive.incremental.cache import (
    WINDOW,
    FileResult,
    ParseCache,
    fill,
    lookup,
    unparsed,
)
from replyarchive.incremental.guard import check_output
from replyarchive.incremental.heap import gc_guard, guarded
from replyarchive.incremental.output import Prior
from replyarchive.incremental.pairs import VerdictCache
from replyarchive.incremental.stamp import SiteStamp, site_ids
from replyarchive.ingest.files import InputFiles, find_letters
from replyarchive.ingest.sources import InputFile
from replyarchive.records.model import Reply
from replyarchive.render.report import BuildReport, Progress

if TYPE_CHECKING:
    from replyarchive.ingest.ocr import OcrRun
    from replyarchive.vocab.pinyin import Pinyin

# The stages themselves (the parser, the schema, the templates, the index, the worker pools)
# are imported where they run: a build that keeps the site as it is needs none of them, and
# importing them was a third of its time (docs/BENCHMARKS.md).


@dataclass(frozen=True, slots=True)
class SiteOutcome:
    """A finished build and what the stages had to say."""

    report: BuildReport
    """What was written."""
    problems: tuple[Problem, ...]
    """Errors (letters skipped) and warnings, in input order."""


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """The records parsed and the problems met."""

    replies: tuple[Reply, ...]
    """Valid records, sorted by id."""
    problems: tuple[Problem, ...]
    """Errors and warnings, in input order."""

    @property
    def failures(self) -> int:
        return count(self.problems, "error")

    @property
    def warnings(self) -> int:
        return count(self.problems, "warning")


@guarded
def build(inputs: Sequence[Path], out: Path, config: Config, progress: Progress | None = None,
          cache: ParseCache | None = None, *, strict: bool = False,
          workers: int | None = None) -> SiteOutcome:
    """Build the site in ``out`` from every letter under ``inputs``; with a ``cache`` only the
    changed ones are parsed, and a build with nothing new keeps the site as it is. ``strict``:
    any problem, a warning included, raises BuildError and nothing is written."""
    check_output(out, inputs)                                 # never the user's folder
    config = config.for_build(out, inputs, cache.folder if cache is not None else None)
    files = InputFiles()  # each input found once and read once, whoever asks
    stamp = SiteStamp(cache, out, inputs, config, files) if cache is not None else None
    kept = stamp.kept() if stamp is not None else None
    if kept is not None:  # same input files, theme and code, and out is as it was left
        if strict:
            refuse_in_strict(kept[1])
        if stamp is not None:  # the inputs read this time need not be read the next
            stamp.remember_inputs()
        return SiteOutcome(_kept_report(out, kept[0]), kept[1])
    previous = stamp.previous_ids() if stamp is not None else site_ids(out)
    from replyarchive.incremental.pinyin import load_pinyin, store_pinyin
    from replyarchive.parse.ids import give_ids, read_prefixes
    from replyarchive.render.publish import published, withheld_warnings

    pinyin = load_pinyin(cache.folder if cache is not None else None)  # the names read before
    with gc_guard(pause=True):
        letters, problems = find_letters(inputs, files)                     # discover
        results: list[FileResult] = []
        for start in range(0, len(letters), WINDOW):  # a window's bytes held at a time
            held = lookup(letters[start:start + WINDOW], cache, files)      # read
            fresh = _parse(unparsed(held), cache, progress, workers, pinyin)  # ocr, decode …
            results += fill(held, fresh, cache)                             # stored
        found, keys = _records(letters, results, problems)
        found, copies = _drop_copies(found, keys, cache)                    # duplicates
        replies, renamed = give_ids(found, previous)                        # ids
        read_prefixes(replies, pinyin)
    replies, left_out = published(sorted(replies, key=lambda r: r.id), config)  # publish
    problems += [*copies, *renamed, *withheld_warnings(inputs, left_out, files)]
    if strict:
        refuse_in_strict(problems)
    if not replies and not left_out:
        raise _nothing_read(inputs, problems)

    counts = stamp.unchanged(replies) if stamp is not None else None
    if counts is not None:  # the same records: the site in out is already what they build
        report = _kept_report(out, counts)
    else:
        from replyarchive.incremental.swap import building, finish
        from replyarchive.index.indexer import write_index
        from replyarchive.ingest.files import originals
        from replyarchive.render.builder import prepare

        out = out.resolve()
        check_folders(config, out)
        sources = originals(inputs, replies, files)
        prior = stamp.prior() if stamp is not None else None
        with gc_guard():  # the records alive are never walked by a collection meanwhile
            site = prepare(replies, config.for_build(out), pinyin)    # render: model, templates
        with building(out, prior) as output, gc_guard():              # the spare, claimed
            site.copy_static(output)
            data = site.write_data(output, sources, progress)         # data/
            database = site.write_database(output)                    # data/replies.db
            write_index(site.model.replies, output)                   # index: search/
            data = site.write_originals(output, data, sources)        # replies/<id>/original.*
            pages = site.write_pages(output, data, database, progress)  # pages
            site.write_feeds(output, pages)                           # feeds
            total = finish(output, out)                               # swap
        report = BuildReport(out, len(replies), len(pages), total, output.keys,
                             output.saved_state(), output.reused,
                             database.notes() + data.notes)
    with gc_guard():  # encoding the stamp allocates; the site's objects need no collection
        store_pinyin(cache.folder if cache is not None else None, pinyin)
        if stamp is not None:
            stamp.remember(replies, {"replies": report.replies, "pages": report.pages,
                                     "files": report.files}, problems,
                           None if counts is not None else report.keys, report.state,
                           None if counts is not None else output.manifest)
    return SiteOutcome(report, tuple(problems))


def _parse(todo: Sequence[InputFile], cache: ParseCache | None, progress: Progress | None,
           workers: int | None, pinyin: Pinyin | None = None) -> list[dict[str, Any]]:
    """The scans' pages OCRed (on every core, into the cache), then each file parsed
    (``pinyin``: the readings made already)."""
    from replyarchive.incremental.ocr import OcrCache, ocr_scans
    from replyarchive.incremental.parallel import each_file

    ocr_cache = OcrCache(cache.folder) if cache is not None else None
    pages = functools.partial(progress, "OCR pages") if progress is not None else None
    run = ocr_scans(todo, ocr_cache, pages, workers)
    return each_file(functools.partial(parse_file, ocr=run, pinyin=pinyin), todo, workers)


def parse_file(item: InputFile, ocr: OcrRun | None = None,
               pinyin: Pinyin | None = None) -> dict[str, Any]:
    """One input file's bytes through decode → normalise → parse → validate, as plain data
    (the cache's entry; it runs in a worker process when many files are parsed). ``ocr``:
    how a scan is OCRed (settings, the cache ``ocr_scans`` filled); ``pinyin``: the
    readings made already (``vocab.pinyin``)."""
    from replyarchive.incremental.cache import encode_result
    from replyarchive.ingest.sources import decode_input
    from replyarchive.normalize import normalize_letter
    from replyarchive.parse import parse_letters
    from replyarchive.records.validate import validated

    try:
        source = decode_input(item, ocr)                                    # decode
        normalized = normalize_letter(source.text)                          # normalise
        letters = parse_letters(normalized, source, pinyin)                 # parse
    except ReplyArchiveError as exc:
        return encode_result((), [Problem.of(exc, item.file)])
    where = source.where if source.positions else None
    replies, problems = validated(letters, item.file, where)                # validate
    read = [Problem(str(item.file), None, warning, "warning") for warning in source.warnings]
    return encode_result(replies, [*read, *problems])


@guarded
def parse_all(paths: Sequence[Path], *, cache: ParseCache | None = None,
              workers: int | None = None,
              previous_ids: Mapping[str, Sequence[str]] | None = None,
              files: InputFiles | None = None,
              progress: Progress | None = None) -> ParseOutcome:
    """``build``'s first half: the records of every letter under ``paths`` (only changed
    inputs are parsed with a ``cache``, on ``workers`` processes, default every core) and the
    problems met. ``previous_ids``: each source path's ids in the site built before, which its
    letters keep (``ids.assign_ids``); ``files``: what has been read of the inputs already;
    ``progress``: told of the OCR's pages."""
    from replyarchive.parse.ids import give_ids

    files = files or InputFiles()
    with gc_guard(pause=True):
        letters, problems = find_letters(paths, files)
        results: list[FileResult] = []
        for start in range(0, len(letters), WINDOW):
            held = lookup(letters[start:start + WINDOW], cache, files)
            results += fill(held, _parse(unparsed(held), cache, progress, workers), cache)
        found, keys = _records(letters, results, problems)
        found, copies = _drop_copies(found, keys, cache)
        replies, renamed = give_ids(found, previous_ids or {})
    problems += [*copies, *renamed]
    return ParseOutcome(tuple(sorted(replies, key=lambda r: r.id)), tuple(problems))


@guarded
def build_site(replies: Sequence[Reply], out: Path, config: Config, *,
               sources: Mapping[str, Path] | None = None, progress: Progress | None = None,
               prior: Prior | None = None, pinyin: Pinyin | None = None) -> BuildReport:
    """``build``'s second half: the site of records already made, into ``out``; on any failure
    BuildError, ``out`` untouched. ``sources``: id → its original text's file; ``prior``: what
    the build of the site now in ``out`` recorded, to reuse what is unchanged; ``pinyin``: the
    readings of names made already (``build`` keeps them in its cache folder)."""
    from replyarchive.incremental.swap import building, finish
    from replyarchive.index.indexer import write_index
    from replyarchive.render.builder import prepare

    out = out.resolve()
    check_folders(config, out)
    site = prepare(replies, config.for_build(out), pinyin)
    with building(out, prior) as output, gc_guard():
        site.copy_static(output)
        data = site.write_data(output, sources or {}, progress)
        database = site.write_database(output)
        write_index(site.model.replies, output)
        data = site.write_originals(output, data, sources or {})
        pages = site.write_pages(output, data, database, progress)
        site.write_feeds(output, pages)
        total = finish(output, out)
    return BuildReport(out, len(replies), len(pages), total, output.keys, output.saved_state(),
                       output.reused, database.notes() + data.notes)


def refuse_in_strict(problems: Sequence[Problem]) -> None:
    """--strict: a build with problems stops before writing, listing them all."""
    if problems:
        listed = "\n".join(f"  {p.severity}: {p}" for p in problems)
        raise BuildError(f"--strict: the letters have {len(problems)} problems; nothing was "
                         f"written. Fix them, or build without --strict:\n{listed}")


def _records(letters: Sequence[tuple[Path, Path, Path]], results: Sequence[FileResult],
             problems: list[Problem]) -> tuple[list[tuple[Reply, Path]], list[frozenset[int]]]:
    """Each record with the file it came from, and its sentence keys; the files' problems are
    added to ``problems``, in input order."""
    found: list[tuple[Reply, Path]] = []
    keys: list[frozenset[int]] = []
    for result, (file, _, _) in zip(results, letters, strict=True):
        problems += result.problems
        found += [(reply, file) for reply in result.replies]
        keys += result.keys
    return found, keys


def _drop_copies(found: list[tuple[Reply, Path]], keys: Sequence[frozenset[int]],
                 cache: ParseCache | None) -> tuple[list[tuple[Reply, Path]], list[Problem]]:
    """``dedupe.drop_copies``, with the last build's verdicts on pairs when there is a cache
    (and this build's kept there for the next)."""
    from replyarchive.records.dedupe import drop_copies

    verdicts = VerdictCache(cache) if cache is not None else None
    kept, copies, said = drop_copies(found, keys, verdicts.load() if verdicts else None)
    if verdicts is not None:
        verdicts.store(said)
    return kept, copies


def _kept_report(out: Path, counts: dict[str, int]) -> BuildReport:
    """The report of a build that kept the site as it was (its counts are the last build's)."""
    return BuildReport(out.resolve(), counts["replies"], counts["pages"], counts["files"])


def _nothing_read(inputs: Sequence[Path], problems: Sequence[Problem]) -> BuildError:
    where = ", ".join(str(p) for p in inputs)
    first = f"; first problem: {problems[0]}" if problems else ""
    none = "" if problems else " (no .txt file there)"
    return BuildError(f"no letter could be read from {where}{none}{first}. Nothing was "
                      "written; the previous site is kept. Put the letters (.txt) there, or "
                      "check --input (or input in replyarchive.toml)")
