"""The contacts rule: 联系人及电话 in its many printed shapes.

``（联系人及电话：何敏、陈思远，86402217）`` → two people sharing a phone;
``（联系人：韦强；联系电话：86402290）``; ``（联系人及电话：唐军，电话：86405531）``;
``（联系人及电话：林晓岚 0731-84561234）``; ``联系单位及电话：市民政局养老服务科，0731-…`` (an
office instead of a person); ``（联系人：张三，手机：138 0000 0000；办公电话：…-8001，邮箱：…）``.
Names and phones are read left to right; a phone belongs to every name since the previous
phone, and a second phone right after one belongs to the same names (one entry per phone).
An e-mail address is no phone and is left out.
"""

from __future__ import annotations

import re

from replyarchive.records.model import Contact
from replyarchive.vocab.forms import OFFICE_ENDS, ends_with

_LABEL = re.compile(
    r"(?:承办|经办|办理)人[：:]|联系(?:人|单位)(?:及|和|、)?(?:联系)?(?:电话|方式)?[：:]|(?:联系|办公|手机)?(?:电话|方式|手机)(?:号码)?[：:]"
)
_PHONE = re.compile(
    r"(?:[(（]?0\d{2,3}[)）]?[-－— ]?|\d{3,4}[-－—])\d{7,8}(?:[-－转]\d{1,5})?"
    r"|1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})|\d{7,8}(?:[-－转]\d{1,5})?"
)
# 邮箱：a@b.cn / 电子邮件：… : not a contact of the {name, phone} kind.
_EMAIL_ADDRESS = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5}")
_EMAIL = re.compile(
    rf"(?:电子)?(?:邮箱|邮件|信箱|[Ee]-?mail)(?:地址)?[：:]?\s?|{_EMAIL_ADDRESS.pattern}")
# 吴芳（手机 13912345678）: the phone in brackets after the name is that person's phone.
_BRACKETED_PHONE = re.compile(
    r"[（(](?:手机|电话|办公电话|固话|座机)?[：:]?\s?([\d\-－ 转]{7,24})[）)]"
)
_SEPARATOR = re.compile(r"[、，,；;。]+\s*|(?<!\d)\s+|\s+(?!\d)")
_FAX = re.compile(r"传真(?:号码)?[：:][\d()（）\-－ ]+")
_NOTE = re.compile(r"[（(][^（）()\d]{1,10}[）)]")  # 张三（科员）: a role, not a contact
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
# 联系单位及电话：市民政局养老服务科，… : the office to call stands where a person's name would.
_UNIT = re.compile(f"^[\u4e00-\u9fff]{{2,28}}{ends_with(OFFICE_ENDS)}$")


def parse_contacts(*lines: str) -> tuple[tuple[Contact, ...], list[str]]:
    """The contacts on one or more lines, and what could not be read (for warnings).

    Lines are read as one text, so ``联系人：张三`` and ``联系电话：…`` on two lines pair up.
    """
    body = "；".join(_unwrap(line.strip()) for line in _without_bare_units(lines))
    body = _BRACKETED_PHONE.sub(r"，\1", _EMAIL.sub("", body))
    body = _LABEL.sub("，", _FAX.sub("", _NOTE.sub("", body)))
    contacts: list[Contact] = []
    pending: list[str] = []
    unread: list[str] = []
    called: list[str] = []  # the names the previous token, a phone, belongs to
    waiting: list[str] = []  # phones printed before any name (联系电话：… / 联系人：…)
    for token in _tokens(body):
        if _PHONE.fullmatch(token):
            targets = _people_first(pending) or called or (
                [contacts.pop().name] if contacts and contacts[-1].phone is None else [])
            contacts += [Contact(name, token) for name in targets]
            pending, called = [], targets
            if not targets:
                waiting.append(token)
        elif _NAME.match(token) or _UNIT.match(token):
            pending.append(token)
            called = []
        else:
            unread.append(token)
            called = []
    if len(waiting) == 1 and pending and not contacts:
        contacts += [Contact(name, waiting.pop()) for name in pending]
        pending = []
    contacts += [Contact(name, None) for name in pending]
    return _people_for_units(contacts), unread + waiting


def _without_bare_units(lines: tuple[str, ...]) -> tuple[str, ...]:
    """联系单位：某某局 alone on its line, a person named on another: the unit is the office the
    person works in (the letter's department), not a contact of its own."""
    if len(lines) < 2:
        return lines
    names = [[token for token in _tokens(_LABEL.sub("，", line)) if not _PHONE.fullmatch(token)]
             for line in lines]
    phones = [any(_PHONE.fullmatch(token) for token in _tokens(line)) for line in lines]
    bare = [bool(found) and not phone and all(_UNIT.match(name) for name in found)
            for found, phone in zip(names, phones, strict=True)]
    if not any(_NAME.match(name) and not _UNIT.match(name) for found in names for name in found):
        return lines
    return tuple(line for line, unit in zip(lines, bare, strict=True) if not unit)


def _people_first(names: list[str]) -> list[str]:
    """联系单位：某某局 / 联系人：张三，电话：…: the phone is the person's, not the office's."""
    people = [name for name in names if not _UNIT.match(name)]
    return people or names


def _people_for_units(contacts: list[Contact]) -> tuple[Contact, ...]:
    """联系单位：某某局 then 联系人：张三: the unit is the office the person works in. A unit
    without a phone of its own is no contact (the person is); a person without one is reached
    at the unit's (联系单位及电话：某某局 1234…)."""
    if not any(_UNIT.match(c.name) for c in contacts) or all(_UNIT.match(c.name)
                                                              for c in contacts):
        return tuple(contacts)
    phone = next((c.phone for c in contacts if c.phone and _UNIT.match(c.name)), None)
    return tuple(Contact(c.name, c.phone or phone) for c in contacts
                 if c.phone or not _UNIT.match(c.name))


def has_email(text: str) -> bool:
    """Whether a contact line prints an e-mail address (which no contact holds)."""
    return _EMAIL_ADDRESS.search(text) is not None


def _unwrap(line: str) -> str:
    """The line without the brackets around it: ``（联系人：…）`` loses both, but the bracket
    closing ``吴芳（手机 139…）`` at the line's end stays, so that phone is still read."""
    line = line[1:] if line[:1] in "（(" else line
    opened = line.count("（") + line.count("(")
    closed = line.count("）") + line.count(")")
    return line[:-1] if line[-1:] in "）)" and closed > opened else line


def _tokens(body: str) -> list[str]:
    """Split on separators, and a name glued to its phone (林晓岚0731-84561234) in two."""
    out: list[str] = []
    for part in _SEPARATOR.split(body):
        match = _PHONE.search(part)
        if match and match.start() > 0 and match.end() == len(part):
            out += [part[: match.start()], match.group()]
        elif part:
            out.append(part)
    return out
