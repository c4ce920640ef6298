"""The record model round-trips through its dict form without loss."""

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
