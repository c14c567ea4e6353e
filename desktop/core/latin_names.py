"""A person's name in Latin letters, as a Chinese passport prints it.

The passport convention (GB/T 28039-2011, Chinese Pinyin spelling of Chinese personal names, as
used in passports): the surname, then the given name, each in capital letters, the syllables of the
given name written together, no tone marks, ü written as YU (LYU, NYU). So 张三 is "ZHANG SAN" and
欧阳小明 is "OUYANG XIAOMING". A foreign national's name is kept as registered.
"""

from __future__ import annotations

# Two-character surnames: the name splits after them, not after the first character.
_COMPOUND = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史",
    "申屠", "万俟", "闻人", "赫连", "濮阳", "钟离", "宗政", "司空", "淳于", "单于", "拓跋", "第五",
})
# Surnames read differently from the character's common reading.
_SURNAME_READING = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao",
    "乐": "yue", "覃": "qin", "缪": "miao", "翟": "zhai", "召": "shao", "盖": "ge", "种": "chong",
    "秘": "bi", "员": "yun", "柏": "bai", "隗": "wei", "尉迟": "yuchi", "万俟": "moqi",
    "长孙": "zhangsun", "单于": "chanyu", "燕": "yan", "任": "ren", "华": "hua", "纪": "ji",
}


def _spell(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=False)).replace("v", "yu")


def latin_name(name: str, nationality: str = "CN") -> str:
    """The name in Latin letters: "ZHANG SAN" for 张三; a foreign national's name as registered."""
    name = name.strip()
    if nationality != "CN" or not name or name.isascii():
        return name
    surname = name[:2] if len(name) > 2 and name[:2] in _COMPOUND else name[:1]
    given = name[len(surname):]
    family = _SURNAME_READING.get(surname) or _spell(surname)
    return f"{family} {_spell(given)}".strip().upper()
