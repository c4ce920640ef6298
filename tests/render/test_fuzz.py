"""Bounded fuzzing of decode → normalise → parse → render: no crash, nothing unescaped.

Each example is a real letter with random fragments (markup probes, markers, brackets, control
and width variants, random text) spliced into random lines, saved in a random encoding, parsed
with ``parse_all`` and, when a record comes out, built into a site. CI runs a few dozen examples;
``REPLYARCHIVE_FUZZ_EXAMPLES=2000 pytest tests/render/test_fuzz.py`` runs a long local session.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import hostile

from replyarchive.config import Config
from replyarchive.pipeline import build_site, parse_all

EXAMPLES = int(os.environ.get("REPLYARCHIVE_FUZZ_EXAMPLES", "20"))
PROBE = "<xss-probe"
PAYLOADS = [
    f"{PROBE}>",
    f'"><{PROBE[1:]} a=1>',
    f"</title>{PROBE}>",
    f"</script>{PROBE}>",
    f"]]>{PROBE}>",
    f"&lt;{PROBE[1:]}&gt;",
    "一、",
    "（二）",
    "1.",
    "吸收采纳该建议。",
    "〔2025〕",
    "【2024】",
    "委员：",
    "2025年1月2日",
    "\u3000",
    "\ufeff",
    "\u200b",
    "\r",
    "{{ x }}",
    "{% if %}",
]
BASE = hostile.HOSTILE / "brackets_lenticular.txt"
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]
fragments = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)


def _splice(lines: list[str], edits: list[tuple[int, str]]) -> str:
    out = list(lines)
    for position, fragment in edits:
        index = position % len(out)
        cut = position % (len(out[index]) + 1)
        out[index] = out[index][:cut] + fragment + out[index][cut:]
    return "\n".join(out)


def _scan(out: Path) -> list[str]:
    """Files of the built site that hold the probe as live markup."""
    return [
        str(page.relative_to(out))
        for page in out.rglob("*")
        if page.suffix in (".html", ".xml") and PROBE in page.read_text(encoding="utf-8")
    ]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.integers(0, 10_000), fragments), min_size=1, max_size=8),
    encoding=st.sampled_from(ENCODINGS),
)
def test_any_spliced_letter_parses_and_renders_escaped(
    edits: list[tuple[int, str]], encoding: str
) -> None:
    text = _splice(BASE.read_text(encoding="utf-8").splitlines(), edits)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        letter = root / "in" / "letter.txt"
        letter.parent.mkdir()
        letter.write_bytes(text.encode(encoding, errors="surrogatepass"))
        outcome = parse_all([letter.parent])  # never raises: problems are collected
        assert len(outcome.replies) + outcome.failures >= 1
        if outcome.replies:
            out = root / "site"
            build_site(outcome.replies, out, Config())
            assert not _scan(out)


def test_the_probe_reaches_the_page_escaped(tmp_path: Path) -> None:
    """The fuzz check can fail: a probe in the body is on the page, as text."""
    text = _splice(BASE.read_text(encoding="utf-8").splitlines(), [(17, PAYLOADS[0])])
    letter = tmp_path / "in" / "letter.txt"
    letter.parent.mkdir()
    letter.write_text(text, encoding="utf-8")
    outcome = parse_all([letter.parent])
    build_site(outcome.replies, tmp_path / "site", Config())
    page = next((tmp_path / "site" / "replies").glob("*/index.html")).read_text(encoding="utf-8")
    assert "&lt;xss-probe&gt;" in page
    assert not _scan(tmp_path / "site")
