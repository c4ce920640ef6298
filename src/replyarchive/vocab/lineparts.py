"""What kind of line a normalised line is: a sentence's end, a signature or header part.

Shared by the normaliser (which must not join such lines to their neighbours) and the parser
(which cuts the letter into parts with them). Every pattern is anchored or bounded, so each
check is linear in the line.
"""

from __future__ import annotations

import re

from replyarchive.vocab.forms import (
    DATE_AT_END,
    DOC_NUMBER_END,
    MONTH_AT_END,
    NAME_ENDS,
    ends_with,
)
from replyarchive.vocab.markers import find_marker

# A sentence ends with 。！？；：… (or a half-width one; a half-width . only after a non-digit),
# possibly followed by closing quotes and brackets.
SENTENCE_END = re.compile(r"(?:[。！？!?；;：:…]|(?<=\D)\.)['\"”’」』）)】》]{0,3}$")
# 承办单位：, 分管领导：, 单位负责人：, 承办人：: the labels of a signature block's lines.
SIGNATURE_LABEL = (r"(?:(?:主办|协办|会办|承办|分管)(?:单位|领导|科室|股室)"
                   r"|单位负责人|承办人|经办人)[：:]")
# 承办单位：某某局 / 联系单位及电话：某某局 1234…: the line naming the unit that answers.
UNIT_LINE = re.compile(
    r"^[（(]?(?:承办|主办|联系|答复|办理)单位(?:及(?:联系)?电话)?[：:]\s?([\u4e00-\u9fff（）()]{2,40})"
)
SIGNATURE_PART = re.compile(
    rf"^[（(]?(?:联系人|联系电话|联系单位|公开方式|抄送|抄报|附件|此件|注[：:]|{SIGNATURE_LABEL})"
)
# A title ends …答复的函, …办理意见的函, …办理情况的函, …的答复, …的回复, …答复函, …回复函,
# …复函, …答复意见, …办理情况的报告, …协办意见, …会办意见: the forms a reply is titled in.
TITLE_WORDS = (r"的函|的答复|的回复|复函|答复函|回复函|答复意见|办理情况的?报告|办理报告"
               r"|(?:协办|会办|办理)意见")
TITLE_END = re.compile(rf"(?:{TITLE_WORDS})$")
# A co-handler's opinion to the lead handler: titled …协办意见的函 / …会办意见, or saying
# 现将协办意见报告如下 / 作为该提案的协办单位.
CO_HANDLER_TITLE = re.compile(r"(?:协办|会办)意见(?:的函|函)?$")
CO_HANDLER_OPENING = re.compile(
    r"(?:协办|会办)(?:情况|意见)(?:函复|答复|回复|报告)如下|作为(?:该|此|本)?(?:提案|建议)?的?(?:协办|会办)单位"
)
CATEGORY = re.compile(
    r"^[（(]?[ABC]类[）)]?$|^(?:(?:办复|答复|办理)?类别|(?:办复|答复|办理)(?:结果|类型))[：:]"
)
_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,30}")
_NAME_END = re.compile(f"{ends_with(NAME_ENDS)}$")


def is_date_line(text: str) -> bool:
    """A signature date alone, or after the signing body on the same line."""
    if len(text) > 50:
        return False
    match = DATE_AT_END.search(text)
    return match is not None and (match.start() == 0 or looks_like_name_line(text[: match.start()]))


def is_month_line(text: str) -> bool:
    """A signature date without its day, alone or after the signing body."""
    match = MONTH_AT_END.search(text) if len(text) <= 50 else None
    return match is not None and (match.start() == 0 or looks_like_name_line(text[: match.start()]))


def looks_like_name_line(text: str) -> bool:
    """A short line of a body's name alone (a signature), e.g. 临江市农业农村局."""
    return _NAME.fullmatch(text) is not None and _NAME_END.search(text) is not None


def ends_part(text: str) -> bool:
    """A line that is a whole part of its own: a signature or header part."""
    if len(text) > 160:
        return False
    return bool(
        is_date_line(text)
        or SIGNATURE_PART.match(text)
        or DOC_NUMBER_END.search(text)
        or CATEGORY.search(text)
        or (len(text) <= 100 and TITLE_END.search(text) is not None)
        or looks_like_name_line(text)
    )


def starts_part(text: str) -> bool:
    """A line that starts a part of its own: a heading, a signature or header part."""
    return find_marker(text) is not None or ends_part(text)
