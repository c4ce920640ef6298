"""Chinese labels for the record's codes, as a reader expects to see them."""

from __future__ import annotations

KIND_LABELS = {"proposal": "政协提案", "suggestion": "人大代表建议"}
"""kind → what the letter answers."""

KIND_SHORT = {"proposal": "提案", "suggestion": "建议"}

ADOPTION_LABELS = {
    "adopted": "吸收采纳",
    "partially_adopted": "部分采纳",
    "planned": "正在解决或列入计划",
    "for_reference": "留作参考",
    "not_adopted": "暂不采纳",
}
"""adoption_status → the normalised phrase shown on badges and charts."""

ADOPTION_NONE = "未注明"
"""A section or letter with no adoption phrase."""

CATEGORY_LABELS = {
    "A": "A类（所提问题已经解决或采纳）",
    "B": "B类（正在解决或列入计划解决）",
    "C": "C类（因条件限制等暂时无法解决）",
}
"""答复类别 as commonly explained in 办复 rules."""

CATEGORY_NONE = "未标注类别"

READER_LABELS = {
    "pdf-text": "PDF 文本层",
    "ocr": "扫描件文字识别（OCR）",
    "docx": "Word 文档（.docx）",
    "doc-soffice": "Word/WPS 文档（.doc/.wps，经 LibreOffice 转换）",
    "html": "网页",
}
"""source.reader → how the letter's text was obtained, as the facts panel says it."""


def category_short(category: str | None) -> str:
    """A → A类; None → 未标注类别."""
    return f"{category}类" if category else CATEGORY_NONE


def adoption_label(status: str | None) -> str:
    return ADOPTION_LABELS.get(status or "", ADOPTION_NONE)
