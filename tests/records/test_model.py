"""The record model round-trips through its dict form without loss."""

import pytest

from replyarchive.records.model import Contact, Reply, Section, Session, Source


def _reply() -> Reply:
    child = Section(id="s1-1", level=2, number="一", title="小节", paragraphs=("正文。",))
    section = Section(
        id="s1",
        level=1,
        number="一",
        title="标题",
        adoption="吸收采纳该建议",
        adoption_status="adopted",
        children=(child,),
    )
    return Reply(
        id="abc-2025-1",
        doc_number="某函〔2025〕1号",
        category="B",
        department="某市某局",
        title="某市某局关于某提案答复的函",
        kind="proposal",
        session=Session(body="市政协", term=13, meeting=4, label="市政协十三届四次会议"),
        proposal_number="1",
        proposal_title=None,
        addressee="某某委员",
        proposers=("某某",),
        co_handlers=(),
        date="2025-01-02",
        contacts=(Contact(name="某人", phone="123"),),
        disclosure="主动公开",
        cc=(),
        preamble=("前言。",),
        sections=(section,),
        closing=("专此答复。",),
        source=Source(path="a.txt", sha256="0" * 64, encoding="utf-8"),
    )


def test_round_trip() -> None:
    reply = _reply()
    assert Reply.from_dict(reply.to_dict()) == reply


def test_key_order_follows_schema() -> None:
    keys = list(_reply().to_dict())
    assert keys[:3] == ["schema_version", "id", "doc_number"]
    assert keys[-2:] == ["source", "warnings"]


def test_all_sections_in_reading_order() -> None:
    assert [s.id for s in _reply().all_sections()] == ["s1", "s1-1"]


def test_optional_signer_and_notes_round_trip_and_stay_out_when_unset() -> None:
    import dataclasses

    reply = dataclasses.replace(_reply(), signer="某人", notes=("注：本件为B类。",))
    data = reply.to_dict()
    assert (data["signer"], data["notes"]) == ("某人", ["注：本件为B类。"])
    assert Reply.from_dict(data) == reply
    assert "signer" not in _reply().to_dict() and "notes" not in _reply().to_dict()


def test_role_is_written_only_for_a_co_handlers_opinion_and_round_trips() -> None:
    import dataclasses

    assert "role" not in _reply().to_dict()
    assert Reply.from_dict(_reply().to_dict()).role == "reply"
    opinion = dataclasses.replace(_reply(), role="co_handler_opinion")
    data = opinion.to_dict()
    assert data["role"] == "co_handler_opinion"
    assert list(data).index("role") == list(data).index("kind") + 1
    assert Reply.from_dict(data) == opinion


def _every_field_set() -> Reply:
    """A record with every optional field away from its default, nested sections included."""
    import dataclasses

    base = _reply()
    grandchild = Section(id="s1-1-1", level=3, number="1", title="细目", paragraphs=("一", "二"))
    section = dataclasses.replace(base.sections[0], children=(
        dataclasses.replace(base.sections[0].children[0], children=(grandchild,)),))
    source = Source(path="b/a.pdf", sha256="1" * 64, encoding="binary", format="pdf",
                    reader="ocr", pages=3, page_date="2025-01-01", page_source="某市某局",
                    confidence=0.875)
    return dataclasses.replace(
        base, sections=(section, Section(id="s2", level=1, number="二", title="二题")),
        co_handlers=("某局",), cc=("某办",), source=source, warnings=("line 3: 某警告",),
        signer="某人", notes=("注：本件为B类。",), letter_adoption="均已采纳",
        letter_adoption_status="adopted", role="co_handler_opinion", proposal_title="某题")


def test_row_round_trip_through_json() -> None:
    import json

    for reply in (_reply(), _every_field_set()):
        assert Reply.from_row(json.loads(json.dumps(reply.to_row()))) == reply


def test_a_row_holds_every_field() -> None:
    """A field added to a class but not to its row would come back from the parse cache as
    its default: each row has one item per compared field (``Section.line`` is not kept)."""
    from dataclasses import fields

    reply = _every_field_set()
    assert reply.session is not None
    for value in (reply, reply.session, reply.contacts[0], reply.source, reply.sections[0]):
        assert len(value.to_row()) == len([f for f in fields(value) if f.compare])


def test_golden_records_round_trip_as_rows() -> None:
    import json
    from pathlib import Path

    import yaml

    golden = Path(__file__).resolve().parents[1] / "golden"
    records = sorted(golden.glob("*.yaml")) + sorted(golden.glob("devset/*.yaml"))
    assert records
    for path in records:
        reply = Reply.from_dict(yaml.safe_load(path.read_text("utf-8")))
        assert Reply.from_row(json.loads(json.dumps(reply.to_row(), ensure_ascii=False))) == reply


def test_row_round_trip_through_marshal_holds_only_plain_data() -> None:
    """The parse cache marshals rows: a str subclass (a ``LineWarning``) or a list would not
    come back as the record had it."""
    import dataclasses
    import marshal

    from replyarchive.records.model import LineWarning

    warned = dataclasses.replace(_every_field_set(), warnings=(LineWarning(3, "某警告"),))
    for reply in (_reply(), _every_field_set(), warned):
        row = reply.to_row()
        assert marshal.loads(marshal.dumps(row)) == row
        assert Reply.from_row(marshal.loads(marshal.dumps(row))) == reply


def test_a_record_from_a_row_is_the_record_its_constructor_makes() -> None:
    """``from_row`` sets slots instead of calling ``__init__``: the result must be of the
    class itself, every slot set (``repr`` reads them all), equal and hashed alike."""
    from dataclasses import astuple

    reply = _every_field_set()
    again = Reply.from_row(reply.to_row())
    assert type(again) is Reply and type(again.source) is Source
    assert type(again.sections[0]) is Section and type(again.sections[0].children[0]) is Section
    assert repr(again) == repr(reply) and hash(again) == hash(reply)
    assert astuple(again) == astuple(reply)
    assert again.sections[0].line is None
    with pytest.raises(AttributeError):  # still frozen
        again.id = "other"  # type: ignore[misc]
