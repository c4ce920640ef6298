"""The pinyin readings: pypinyin's own, whether read now or from the table a build kept."""

from __future__ import annotations

import pickle

import pytest
from pypinyin import Style, lazy_pinyin

from replyarchive.vocab.pinyin import Pinyin

NAMES = ["临江市农业农村局", "重庆市银行业协会", "南农函", "长安镇人民政府", "行长", "A区B组",
         "第3号 提案", "", "株洲市教育局（体育局）", "乐山市音乐学会"]


@pytest.mark.parametrize("name", NAMES)
def test_readings_are_pypinyins(name: str) -> None:
    pinyin = Pinyin()
    assert list(pinyin.words(name)) == lazy_pinyin(name)
    assert list(pinyin.initials(name)) == lazy_pinyin(name, style=Style.FIRST_LETTER)
    assert pinyin.fresh


def test_a_known_text_is_not_read_again() -> None:
    pinyin = Pinyin({"words": {"南农函": ["x"]}, "initials": {}})
    assert pinyin.words("南农函") == ("x",)  # from the table: pypinyin is not asked
    assert not pinyin.fresh
    assert pinyin.initials("南农函") == ("n", "n", "h")
    assert pinyin.fresh


def test_a_table_travels_to_a_worker_empty() -> None:
    pinyin = Pinyin({"words": {"南农函": ["x"]}, "initials": {}})
    travelled = pickle.loads(pickle.dumps(pinyin))
    assert travelled.known == {"words": {}, "initials": {}}
    assert travelled.words("南农函") == ("nan", "nong", "han")
