"""Adoption phrases map to statuses by fuzzy match, negations and 部分 are never swallowed."""

from __future__ import annotations

import pytest

from replyarchive.vocab.adoption import classify, sentence_status, stated_status

CASES = {
    "吸收采纳该建议。": "adopted",
    "吸取采纳该建议": "adopted",
    "吸收采纳该意见。": "adopted",
    "吸取采纳该意见": "adopted",
    "已吸纳": "adopted",
    "积极采纳该建议": "adopted",
    "已部分落实": "partially_adopted",
    "正在落实": "planned",
    "因政策原因暂不能解决": "not_adopted",
    "已采纳": "adopted",
    "采纳": "adopted",
    "予以采纳。": "adopted",
    "采纳委员的建议": "adopted",
    "已解决": "adopted",
    "部分采纳该建议": "partially_adopted",
    "部分采纳。": "partially_adopted",
    "部分吸收采纳该意见": "partially_adopted",
    "正在解决": "planned",
    "列入计划": "planned",
    "计划解决该问题": "planned",
    "留作工作参考": "for_reference",
    "留作参考。": "for_reference",
    "作为参考": "for_reference",
    "暂不采纳": "not_adopted",
    "暂不采纳该建议。": "not_adopted",
    "不予采纳": "not_adopted",
    "难以采纳该提案": "not_adopted",
    "未予采纳": "not_adopted",
    "吸 收 采 纳 该 建 议 。": "adopted",
    # 暂缓 defers: a refusal for now, never swallowed by 采纳.
    "暂缓采纳": "not_adopted",
    "已纳入工作计划": "planned",
    "已落实": "adopted",
    "该建议已解决": "adopted",
    "所提问题已经解决": "adopted",
}


@pytest.mark.parametrize(("phrase", "status"), CASES.items())
def test_phrase_is_classified(phrase: str, status: str) -> None:
    assert classify(phrase) == status


@pytest.mark.parametrize(
    "text",
    [
        "",
        "。",
        "建议",
        "该意见",
        "一、关于加装电梯的建议",
        "目前已加装电梯12部。",
        "我局针对省市专精特新企业，建立专门线上工作群，均被吸取采纳",
        # Reports of work done open sections too; they state no verdict.
        "已完成项目验收",
        "已组织开展专项检查",
        "已于2024年底前建成投用",
        "暂无相关规划",
        "我局已组织召开现场推进会议并逐项研究解决办法",
    ],
)
def test_other_text_is_no_phrase(text: str) -> None:
    assert classify(text) is None


@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("办理结果：吸收采纳。", "adopted"),
        ("采纳情况：部分采纳", "partially_adopted"),
        ("该建议已采纳。", "adopted"),
        ("该建议部分予以采纳。", "partially_adopted"),
        ("已列入下一年度工作计划", "planned"),
        ("作为今后工作参考", "for_reference"),
        ("暂不具备采纳条件", "not_adopted"),
        ("（已采纳）", "adopted"),
        ("【暂不采纳】", "not_adopted"),
        # Longer wordings read by their words, a subject (我局…) before them allowed.
        ("已列入2025年度重点工作计划", "planned"),
        ("我局已将该建议纳入下一步工作计划", "planned"),
        ("目前已纳入计划分步实施", "planned"),
        ("正在推进实施", "planned"),
        # Each point adopted in turn; a point being handled (办理) is under way.
        ("分别采纳", "adopted"),
        ("正在办理", "planned"),
        ("目前正在积极办理", "planned"),
    ],
)
def test_wordings_not_in_the_table(phrase: str, status: str) -> None:
    assert classify(phrase) == status


def test_the_tail_of_a_heading_is_no_phrase() -> None:
    assert classify("的建议吸收采纳该建议。") is None


@pytest.mark.parametrize(
    ("sentence", "phrase", "status"),
    [
        # A refusal for now plus 参考 is the C-category 因条件限制…留作参考.
        ("受编制总量限制，目前暂不具备采纳条件，将作为今后工作参考",
         "目前暂不具备采纳条件，将作为今后工作参考", "for_reference"),
        ("暂不采纳，留作参考", "暂不采纳，留作参考", "for_reference"),
        ("因财力所限，暂不具备实施条件", "暂不具备实施条件", "not_adopted"),
        ("已列入下一年度工作计划，逐步推进", "已列入下一年度工作计划", "planned"),
        # Two statuses that do not combine: the phrase is kept, the status left open.
        ("已采纳，并列入计划", "已采纳，并列入计划", None),
    ],
)
def test_sentence_over_several_clauses(sentence: str, phrase: str, status: str | None) -> None:
    found = sentence_status(sentence)
    assert found is not None
    assert (found.phrase, found.status) == (phrase, status)


def test_sentence_without_a_status_clause() -> None:
    assert sentence_status("2023年，我区完成农村供水管网改造86公里") is None
    assert sentence_status("受编制限制，" + "目前" * 40 + "暂不采纳") is None


@pytest.mark.parametrize(("sentence", "status"), [
    ("以上建议已采纳", "adopted"),
    ("对此建议，我局予以采纳", "adopted"),
    ("您所提建议已基本解决", "adopted"),
    ("该问题已得到解决", "adopted"),
    ("您的建议已列入我局2025年工作计划", "planned"),
    ("以上几条建议我们予以部分采纳", "partially_adopted"),
    ("该建议我们将在今后工作中参考", "for_reference"),
    ("此建议暂不具备采纳条件", "not_adopted"),
    ("您所提的5条建议均已采纳", "adopted"),
    ("等两项建议已全部采纳", "adopted"),
    ("以上3个方面的建议已列入明年工作计划", "planned"),
])
def test_a_verdict_naming_the_proposal(sentence: str, status: str) -> None:
    assert stated_status(sentence) == (sentence, status)


@pytest.mark.parametrize("sentence", [
    "我局已采纳企业意见", "该建议涉及多个部门，我局已采纳企业意见", "上述建议我局将认真研究吸收",
    "3条道路已全部建成", "建议加大投入",
])
def test_no_verdict_without_the_proposal_as_subject_or_a_clear_status(sentence: str) -> None:
    assert stated_status(sentence) is None
