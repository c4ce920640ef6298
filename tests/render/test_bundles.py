"""The year ZIPs: assembled from members deflated one by one, byte for byte what zipfile
writes; after one letter changes, the others' members are cut out of the previous ZIP (never
trusted without their checksum) and the ZIP equals a clean build's."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.render.test_build import tree
from tests.render.test_incremental import build, edited_copies

from replyarchive.config import Config
from replyarchive.incremental import parallel
from replyarchive.incremental.state import BundleState
from replyarchive.records.model import Reply
from replyarchive.render import data
from replyarchive.render.bundles import _member, _zip, assemble, deflate, inflate
from replyarchive.render.data import BUNDLES


@pytest.fixture(autouse=True)
def serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WORKERS", 1)


@pytest.mark.parametrize("members", [
    [],
    [("a.yaml", b"")],
    [("csxh-2025-7.yaml", "标题: 关于加强社区养老服务的答复\n".encode() * 40),
     ("csxh-2025-7.txt", b"x" * 5000), ("b.pdf", bytes(range(256)) * 30)],
    [("名字.yaml", "非 ASCII 的名字".encode())],
])
def test_assembled_zip_is_what_zipfile_writes(members: list[tuple[str, bytes]]) -> None:
    made, offsets = assemble([deflate(name, raw) for name, raw in members])
    assert made == _zip([_member(name, raw) for name, raw in members])
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == members
        assert [i.header_offset for i in archive.infolist()] == offsets
    assert [inflate(deflate(name, raw)) for name, raw in members] == [raw for _, raw in members]


def _year_zips(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(site.glob("data/letters-*.zip"))}


def _rebuilt(tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch,
             tamper: bool) -> tuple[list[str], str, str | None]:
    """Build, change one letter, build again over the first site (its members reused) and
    clean; the letters serialised again, the one changed, and the one tampered with."""
    before, after, changed = edited_copies(tmp_path)
    first = build(before, tmp_path / "site", config)
    state = BundleState.from_json(first.state[BUNDLES])
    assert state is not None
    entry = state.letters[changed]
    others = [i for i, e in state.letters.items() if e.path == entry.path and i != changed]
    assert others, "another letter in the changed letter's ZIP"
    spoilt = None
    if tamper:  # one byte of another letter's deflated YAML, same size: the key still matches
        spoilt = others[0]
        name, offset, _, _, length, _ = state.letters[spoilt].members[0]
        path = tmp_path / "site" / entry.path
        raw = bytearray(path.read_bytes())
        raw[offset + 30 + len(name) + length // 2] ^= 0xFF
        path.unlink()
        path.write_bytes(bytes(raw))
    build(after, tmp_path / "clean", config)
    serialised: list[str] = []
    to_yaml = data.to_yaml

    def counted(reply: Reply, record: dict[str, Any] | None = None) -> str:
        serialised.append(reply.id)
        return to_yaml(reply, record)

    monkeypatch.setattr(data, "to_yaml", counted)
    build(after, tmp_path / "site", config, prior=first)
    assert _year_zips(tmp_path / "site") == _year_zips(tmp_path / "clean")
    assert tree(tmp_path / "site") == tree(tmp_path / "clean")
    return serialised, changed, spoilt


def test_one_letter_changed_only_it_is_serialised_and_zip_equals_clean(
        tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    serialised, changed, _ = _rebuilt(tmp_path, config, monkeypatch, tamper=False)
    assert serialised == [changed]


def test_a_tampered_member_of_the_previous_zip_is_made_again(
        tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    serialised, changed, spoilt = _rebuilt(tmp_path, config, monkeypatch, tamper=True)
    assert sorted(serialised) == sorted([changed, spoilt])
