"""What kind of line a normalised line is: a sentence's end, a signature or header part.

Shared by the normaliser (which must not join such lines to their neighbours) and the parser
(which cuts the letter into parts with them). Every pattern is anchored or bounded, so each
check is linear in the line.
"""

from __future__ import annotations

import re

from replyarchive.vocab.markers import find_marker

# A signature date: 2024年5月20日, 二〇二四年五月二十日, or typed 2024-05-20 / 2024.5.20 /
# 2024/5/20 (one separator throughout).
# A sentence ends with 。！？；：… (or a half-width one; a half-width . only after a non-digit),
# possibly followed by closing quotes and brackets.
SENTENCE_END = re.compile(r"(?:[。！？!?；;：:…]|(?<=\D)\.)['\"”’」』）)】》]{0,3}$")
DATE = re.compile(
    r"(?:\d{4}年\d{1,2}月\d{1,2}日|[〇零○一二三四五六七八九]{4}年"
    r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
    r"|(?<!\d)(?:19|20)\d{2}([-./])\d{1,2}\1\d{1,2})$"
)
# A date without its day (2024年9月, 二〇二四年九月): the signature's date as some letters print it.
MONTH_DATE = re.compile(
    r"(?:\d{4}|[〇零○一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月$"
)
SIGNATURE_PART = re.compile(
    r"^[（(]?(?:联系人|联系电话|联系单位|公开方式|抄送|抄报|附件|此件|注[：:]|(?:主办|协办|会办)单位[：:])"
)
DOC_NUMBER_END = re.compile(r"[〔\[【(（［](?:19|20)\d{2}[〕\]】)）］]第?\d{1,6}号$")
# A title ends …答复的函, …办理意见的函, …办理情况的函, …的答复, …的回复, …答复函, …回复函,
# …复函, …答复意见, …办理情况的报告, …协办意见, …会办意见: the forms a reply is titled in.
TITLE_WORDS = (r"的函|的答复|的回复|复函|答复函|回复函|答复意见|办理情况的?报告|办理报告"
               r"|(?:协办|会办|办理)意见")
TITLE_END = re.compile(rf"(?:{TITLE_WORDS})$")
CATEGORY = re.compile(
    r"^[（(]?[ABC]类[）)]?$|^(?:(?:办复|答复|办理)?类别|(?:办复|答复|办理)(?:结果|类型))[：:]"
)
_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,30}")
_NAME_END = re.compile(
    r"(?:局|委|办|办公室|院|政府|中心|厅|部|会|委员会|公司|集团|署|处|镇|街道|区|行|所|站|馆|"
    r"社|校|队)$"
)


def is_date_line(text: str) -> bool:
    """A signature date alone, or after the signing body on the same line."""
    if len(text) > 50:
        return False
    match = DATE.search(text)
    return match is not None and (match.start() == 0 or looks_like_name_line(text[: match.start()]))


def is_month_line(text: str) -> bool:
    """A signature date without its day, alone or after the signing body."""
    match = MONTH_DATE.search(text) if len(text) <= 50 else None
    return match is not None and (match.start() == 0 or looks_like_name_line(text[: match.start()]))


def looks_like_name_line(text: str) -> bool:
    """A short line of a body's name alone (a signature), e.g. 中山市工业和信息化局."""
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
