"""Letters whose 公开方式 says 不予公开 or 依申请公开 are left out of the site, each named in a
warning, unless ``publish_restricted`` says to publish them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replyarchive.config import Config
from replyarchive.errors import BuildError
from replyarchive.ingest.sources import read_source
from replyarchive.parse import parse_source
from replyarchive.pipeline import SiteOutcome, build

ROOT = Path(__file__).resolve().parents[2]
LETTERS = ROOT / "tests" / "fixtures" / "letters"
PUBLIC = ROOT / "seeds" / "003_97f765a9b187815b.txt"
# 信息公开选项：不予公开 (line 5) and 公开方式：依申请公开 (line 41).
RESTRICTED = {"disclosure_in_header.txt": 5, "district_cppcc_issuer.txt": 41}


def _ids(folder: Path) -> dict[str, str]:
    return {name: parse_source(read_source(folder / name, folder)).id
            for name in [PUBLIC.name, *RESTRICTED]}


def _build(tmp_path: Path, config: Config) -> tuple[SiteOutcome, dict[str, str]]:
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(PUBLIC, letters)
    for name in RESTRICTED:
        shutil.copy(LETTERS / name, letters)
    return build([letters], tmp_path / "site", config), _ids(letters)


def _site_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in sorted(site.rglob("*"))
                     if p.is_file() and p.suffix in {".html", ".xml", ".json", ".csv", ".js",
                                                      ".txt", ".yaml"})


def test_restricted_letters_are_left_out_of_everything_with_a_warning(tmp_path: Path) -> None:
    outcome, ids = _build(tmp_path, Config())
    site = outcome.report.out
    text = _site_text(site)
    assert outcome.report.replies == 1
    assert ids[PUBLIC.name] in text
    for name in RESTRICTED:
        assert ids[name] not in text, name  # pages, data, search, feed, sitemap, stats, CSV
        assert not list(site.rglob(f"*{ids[name]}*")), name
    assert "某区发改函" not in text and "某自然资函" not in text
    withheld = [p for p in outcome.problems if p.message.startswith("not published")]
    assert sorted((Path(p.path).name, p.line) for p in withheld) == sorted(RESTRICTED.items())
    assert all("publish_restricted = true" in p.message and p.severity == "warning"
               for p in withheld)


def test_publish_restricted_publishes_them_on_purpose(tmp_path: Path) -> None:
    outcome, ids = _build(tmp_path, Config(publish_restricted=True))
    assert outcome.report.replies == 3
    assert all((outcome.report.out / "replies" / ids[name] / "index.html").is_file()
               for name in RESTRICTED)
    assert not [p for p in outcome.problems if p.message.startswith("not published")]


def test_strict_stops_on_a_letter_it_would_leave_out(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(LETTERS / "disclosure_in_header.txt", letters)
    with pytest.raises(BuildError, match="not published"):
        build([letters], tmp_path / "site", Config(), strict=True)
