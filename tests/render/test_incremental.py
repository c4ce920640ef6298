"""An incremental build (reusing the previous site's files by key) publishes exactly what a
clean build publishes, and really reuses the files of letters that did not change.

Each case edits real letter files (the made-up fixture letters), parses them as `build` does,
builds once clean and once incrementally over the previous build, and compares every path and
every byte.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.render.test_build import tree
from tests.render.test_data import bundled

from replyarchive.config import BUILTIN_THEME, Config
from replyarchive.incremental import parallel
from replyarchive.incremental.output import Prior
from replyarchive.ingest.files import InputFiles, originals
from replyarchive.pipeline import build_site, parse_all
from replyarchive.records.model import Reply
from replyarchive.render.model import UNKNOWN_YEAR, SiteModel, year_of
from replyarchive.render.report import BuildReport

LETTERS = Path(__file__).resolve().parent.parent / "fixtures" / "letters"

Edit = Callable[[Path, list[Reply]], str]
"""Changes the letter files in a folder (parsed as given); returns the id of the letter to
leave out of the "untouched" check (the one changed), or "" when none is changed in place."""


@pytest.fixture(autouse=True)
def serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WORKERS", 1)


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("letters") / "in"
    folder.mkdir()
    for path in sorted(LETTERS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def parse(folder: Path) -> tuple[list[Reply], dict[str, Path]]:
    replies = list(parse_all([folder]).replies)
    return replies, originals([folder], replies, InputFiles())


def build(folder: Path, out: Path, config: Config, prior: BuildReport | None = None
          ) -> BuildReport:
    replies, sources = parse(folder)
    given = None if prior is None else Prior(prior.out, prior.keys, prior.state)
    return build_site(replies, out, config, sources=sources, prior=given)


def edited_copies(tmp_path: Path) -> tuple[Path, Path, str]:
    """Two copies of the fixture letters, one letter's body edited in the second (its id)."""
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(LETTERS, before)
    shutil.copytree(LETTERS, after)
    return before, after, edit_body(after, parse(after)[0])


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino
            for p in site.rglob("*") if p.is_file()}


def _file_of(folder: Path, reply: Reply) -> Path:
    return folder / reply.source.path


def _rewrite(folder: Path, reply: Reply, old: str, new: str) -> None:
    path = _file_of(folder, reply)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not printed as such in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_body(folder: Path, replies: list[Reply]) -> str:
    """One paragraph of a section gets a few more words."""
    for reply in replies:
        text = _file_of(folder, reply).read_text(encoding="utf-8")
        for section in reply.sections:
            for paragraph in section.paragraphs:
                if paragraph.endswith("。") and text.count(paragraph) == 1:
                    _rewrite(folder, reply, paragraph, paragraph[:-1] + "，并持续跟进。")
                    return reply.id
    raise AssertionError("no paragraph printed on one line")


def edit_title(folder: Path, replies: list[Reply]) -> str:
    """The proposal's title (shown as the letter's label in every list and by its neighbours)."""
    reply = next(r for r in replies if r.proposal_title and r.proposal_title.endswith("的提案"))
    title = reply.proposal_title or ""
    _rewrite(folder, reply, title, title[: -len("的提案")] + "工作的提案")
    return reply.id


def edit_department(folder: Path, replies: list[Reply]) -> str:
    """The letter moves from its department's browse page to another department's."""
    counts = {r.department: sum(1 for o in replies if o.department == r.department)
              for r in replies}
    reply = next(r for r in replies if r.department and counts[r.department] == 1)
    other = next(r.department for r in replies if r.department and counts[r.department] > 1
                 and r.department not in (reply.department or ""))
    _rewrite(folder, reply, reply.department or "", other)
    return reply.id


def edit_proposer(folder: Path, replies: list[Reply]) -> str:
    """A proposer's name is corrected: one proposer page loses the letter, another gains it."""
    names = [p for r in replies for p in r.proposers]
    reply = next(r for r in replies if len(r.proposers) == 1 and names.count(r.proposers[0]) == 1
                 and r.proposers[0] != r.addressee)
    other = next(p for p in names if names.count(p) > 1)
    _rewrite(folder, reply, reply.proposers[0], other)
    return reply.id


def same_date(folder: Path, replies: list[Reply]) -> str:
    """A letter gets the date of another, so the reading order and the neighbours change."""
    def printed(iso: str) -> str:
        year, month, day = iso.split("-")
        return f"{year}年{int(month)}月{int(day)}日"

    dates = [r.date for r in replies]
    for reply in replies:
        text = _file_of(folder, reply).read_text(encoding="utf-8")
        if reply.date and dates.count(reply.date) == 1 and text.count(printed(reply.date)) == 1:
            other = next(d for d in dates if d and d != reply.date and dates.count(d) == 1)
            _rewrite(folder, reply, printed(reply.date), printed(other))
            return reply.id
    raise AssertionError("no letter with a date printed once")


CASES: dict[str, Edit] = {
    "body": edit_body,
    "title": edit_title,
    "department": edit_department,
    "proposer": edit_proposer,
    "same-date": same_date,
}


def _previous_and_next(letters: Path, work: Path, case: str) -> tuple[Path, Path, str]:
    """Two folders of letters: what the previous build read, and what this build reads."""
    before, after = work / "before", work / "after"
    shutil.copytree(letters, before)
    shutil.copytree(letters, after)
    replies, _ = parse(after)
    if case == "added":
        changed = replies[len(replies) // 2]
        (before / changed.source.path).unlink()
        return before, after, changed.id
    if case == "removed":
        changed = replies[len(replies) // 2]
        (after / changed.source.path).unlink()
        return before, after, changed.id
    return before, after, CASES[case](after, replies)


def _near(replies: list[Reply], changed: str) -> set[str]:
    """The changed letter and its neighbours in reading order (their pages show it)."""
    model = SiteModel.from_replies(replies)
    if changed not in model.positions:
        return set()
    reply = model.replies[model.positions[changed]]
    return {changed, *(r.id for r in model.neighbours(reply) if r is not None)}


def check_incremental(letters: Path, work: Path, case: str, config: Config,
                      pages_reused: bool = True) -> BuildReport:
    before, after, changed = _previous_and_next(letters, work, case)
    old_replies, new_replies = parse(before)[0], parse(after)[0]
    was = {(r.id, r.source.sha256) for r in old_replies}
    assert was != {(r.id, r.source.sha256) for r in new_replies}, "the edit changed nothing"
    site = work / "site"
    first = build(before, site, config)
    old_inodes = inodes(site)
    clean = build(after, work / "clean", config)
    again = build(after, site, config, prior=first)
    assert tree(site) == tree(work / "clean")
    assert again.pages == clean.pages and again.files == clean.files
    assert again.keys == clean.keys
    assert 0 < again.reused < again.files
    new_inodes = inodes(site)
    near = _near(old_replies, changed) | _near(new_replies, changed)
    untouched = [r.id for r in new_replies if r.id not in near]
    assert len(untouched) > len(new_replies) // 2
    moved = {year_of(r) for r in (*old_replies, *new_replies) if r.id == changed}
    for reply in new_replies:
        year = "undated" if year_of(reply) == UNKNOWN_YEAR else year_of(reply)
        files = [f"data/letters-{year}.zip", f"data/replies-{year}.jsonl"]
        files = files if year_of(reply) not in moved else []
        if pages_reused and reply.id in untouched:
            files.append(f"replies/{reply.id}/index.html")
        for rel in files:
            assert new_inodes[rel] == old_inodes[rel], f"{rel} was made again"
    page = f"replies/{changed}/index.html"
    if changed and page in old_inodes and page in new_inodes:
        assert new_inodes[page] != old_inodes[page], "the changed letter's page was reused"
    return again


@pytest.mark.parametrize("case", [*CASES, "added", "removed"])
def test_incremental_build_equals_a_clean_build(letters: Path, tmp_path: Path, config: Config,
                                                case: str) -> None:
    check_incremental(letters, tmp_path, case, config)


def test_incremental_build_on_workers(letters: Path, tmp_path: Path, config: Config,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers writing new files next to the linked ones."""
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 1)
    check_incremental(letters, tmp_path, "body", config)


def test_nothing_changed_reuses_every_file_with_a_key(letters: Path, tmp_path: Path,
                                                      config: Config) -> None:
    first = build(letters, tmp_path / "site", config)
    again = build(letters, tmp_path / "site", config, prior=first)
    rebuilt = {rel for rel, key in again.keys.items() if not rel.startswith(("search/", "static/"))
               and rel != "robots.txt"}
    assert again.reused >= len(rebuilt) > 0
    assert again.state == first.state


def test_a_template_reading_the_whole_archive_rebuilds_every_page(
        letters: Path, tmp_path: Path, config: Config) -> None:
    """A custom base.html that shows the number of letters on every page: adding one letter
    must change every page, so none may be reused."""
    mine = tmp_path / "mine"
    mine.mkdir()
    base = (BUILTIN_THEME / "templates" / "base.html").read_text(encoding="utf-8")
    counted = base.replace("<p>{{ site.footer }}</p>",
                           "<p>{{ site.footer }} {{ all_replies | length }}</p>")
    assert counted != base
    (mine / "base.html").write_text(counted, encoding="utf-8")
    custom = dataclasses.replace(config, templates_dir=mine)
    again = check_incremental(letters, tmp_path / "work", "added", custom, pages_reused=False)
    pages = [rel for rel in again.keys if rel.endswith(".html")]
    assert all(f" {again.replies}</p>" in (again.out / rel).read_text("utf-8") for rel in pages
               if not rel.startswith("search/"))


def _built(letters: Path, out: Path, config: Config) -> dict[str, bytes]:
    build(letters, out, config)
    return tree(out)


def test_workers_write_the_same_bytes_as_one_process(letters: Path, tmp_path: Path,
                                                     config: Config,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    one = _built(letters, tmp_path / "one", config)
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 1)
    for workers in (2, 3):
        monkeypatch.setattr(parallel, "WORKERS", workers)
        assert _built(letters, tmp_path / f"w{workers}", config) == one


def test_chunks_cover_every_item_once() -> None:
    for items in (0, 1, 7, 400, 1001):
        for workers in (1, 2, 3):
            spans = parallel.chunks(items, workers)
            assert [i for start, stop in spans for i in range(start, stop)] == list(range(items))


def test_an_error_in_a_worker_keeps_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from replyarchive.errors import BuildError

    def work(start: int, stop: int) -> None:
        raise BuildError("bad page", "templates/x.html", 3)

    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 1)
    with pytest.raises(BuildError) as caught:
        parallel.run_chunks(4, work)
    assert str(caught.value) == "templates/x.html:3: bad page"


def test_a_letter_whose_text_is_no_longer_published(letters: Path, tmp_path: Path,
                                                    config: Config) -> None:
    """Its .txt leaves its year's ZIP and its page says so; the rest is reused."""
    replies, sources = parse(letters)
    gone = replies[len(replies) // 2].id
    fewer = {k: v for k, v in sources.items() if k != gone}
    first = build_site(replies, tmp_path / "site", config, sources=sources)
    build_site(replies, tmp_path / "clean", config, sources=fewer)
    again = build_site(replies, tmp_path / "site", config, sources=fewer,
                       prior=Prior(first.out, first.keys, first.state))
    assert tree(tmp_path / "site") == tree(tmp_path / "clean")
    assert f"{gone}.txt" not in bundled(tmp_path / "site") and f"{gone}.yaml" in bundled(
        tmp_path / "site")
    assert again.reused > len(replies)
    page = (tmp_path / "site" / "replies" / gone / "index.html").read_text("utf-8")
    assert "原文" not in page.split('id="dl-h"')[1].split("</section>")[0]


def test_a_body_edit_renders_only_the_letters_own_page(letters: Path, tmp_path: Path,
                                                       config: Config) -> None:
    """The lists, the browse pages, the neighbours' pages and the feeds show of a letter only
    what ``pages.listing_key`` covers: an edit to its text renders its own page (and the data
    page, which gives the files' sizes) and links every other page and feed."""
    before, after, changed = _previous_and_next(letters, tmp_path, "body")
    first = build(before, tmp_path / "site", config)
    old = inodes(tmp_path / "site")
    build(after, tmp_path / "site", config, prior=first)
    new = inodes(tmp_path / "site")
    made = {rel for rel in new if rel.endswith((".html", ".xml")) and new[rel] != old.get(rel)}
    assert f"replies/{changed}/index.html" in made
    assert made <= {f"replies/{changed}/index.html", "data/index.html"}


def test_a_custom_row_template_lists_from_the_whole_record(letters: Path, tmp_path: Path,
                                                           config: Config) -> None:
    """A templates_dir whose _row.html shows more of a letter (here its source's digest, which
    any edit changes): the lists showing an edited letter are made again, as a clean build
    makes them."""
    mine = tmp_path / "mine"
    mine.mkdir()
    row = (BUILTIN_THEME / "templates" / "_row.html").read_text(encoding="utf-8")
    shown = row.replace("</tr>", "<td>{{ r.source.sha256[:12] }}</td></tr>")
    assert shown != row
    (mine / "_row.html").write_text(shown, encoding="utf-8")
    custom = dataclasses.replace(config, templates_dir=mine)
    again = check_incremental(letters, tmp_path / "work", "body", custom)
    listed = (again.out / "replies" / "index.html").read_text("utf-8")
    assert all(r.source.sha256[:12] in listed
               for r in parse(tmp_path / "work" / "after")[0][:5])
