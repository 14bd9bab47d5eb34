"""Chinese text helpers: numerals, dates, punctuation and width."""
import pytest

from toolkit.chinese import (cn_to_int, collapse_cjk_spaces, normalize_punctuation, parse_date, split_top_level,
                             to_halfwidth)


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百零五", 105), ("六十一", 61),
    ("三千", 3000), ("一万二千", 12000), ("一亿", 100_000_000), ("两", 2), ("一九九六", 1996), ("二〇二四", 2024),
    ("12", 12), ("１２", 12),
])
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


def test_cn_to_int_rejects_words():
    with pytest.raises(ValueError):
        cn_to_int("此件")


@pytest.mark.parametrize("text, iso", [
    ("2024年6月6日", "2024-06-06"), ("2024 年 7 月 6 日起施行", "2024-07-06"), ("一九九六年六月二十九日", "1996-06-29"),
    ("二〇二四年十二月三十一日", "2024-12-31"), ("２０２４年６月７日印发", "2024-06-07"), ("2024年13月1日", None),
    ("无日期", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("raw, clean", [
    ("各市、县(市、区)人民政府,省政府直属各单位:", "各市、县（市、区）人民政府，省政府直属各单位："),
    ("1,000万元", "1,000万元"), ("上午8:30", "上午8:30"), ("1．目标", "1.目标"), ("３．０版", "3.0版"),
    ('开展"丝路护航"行动', "开展“丝路护航”行动"), ("伙伴关系协定(RCEP)成员国", "伙伴关系协定（RCEP）成员国"),
    ("达到３０％", "达到30%"), ("已经是全角，不变。", "已经是全角，不变。"),
])
def test_normalize_punctuation(raw, clean):
    assert normalize_punctuation(raw) == clean


@pytest.mark.parametrize("raw, clean", [
    ("本意见自 2024 年 7 月 6 日起施行", "本意见自2024年7月6日起施行"), ("促进 专精特新", "促进专精特新"),
    ("RCEP and WTO", "RCEP and WTO"), ("  两端  ", "两端"), ("国务院办公厅\u3000中央军委办公厅", "国务院办公厅中央军委办公厅"),
])
def test_collapse_cjk_spaces(raw, clean):
    assert collapse_cjk_spaces(raw) == clean


def test_split_top_level_keeps_bracketed_separators():
    assert split_top_level("省经信厅、各市、县〔市、区〕政府，省财政厅", "，") == ["省经信厅、各市、县〔市、区〕政府", "省财政厅"]
    assert split_top_level("A、县（市、区）、B", "、") == ["A", "县（市、区）", "B"]


def test_to_halfwidth():
    assert to_halfwidth("ＡＢＣ１２３％（") == "ABC123%（"


def test_search_tokens_cut_han_into_pairs_and_keep_numbers_whole():
    from toolkit.chinese import search_key, search_tokens

    assert search_tokens("博士创新站") == ["博士", "士创", "创新", "新站"]
    assert search_tokens("超过1000万元") == ["超过", "1000", "万元"]
    assert search_tokens("浙政办发〔2024〕21号") == ["浙政", "政办", "办发", "2024", "21", "号"]
    assert search_tokens("ＲＣＥＰ（区域）") == ["rcep", "区域"]  # full width folded, letters lowercased
    assert search_tokens("、。“”") == []
    # The same phrase gives the same terms in a sentence and alone: what makes phrase search reliable.
    sentence = search_tokens("支持省贸促会开展活动")
    query = search_tokens("省贸促会")
    assert any(sentence[i:i + len(query)] == query for i in range(len(sentence)))
    assert search_key("浙政办发[2024]21号") == search_key("浙政办发〔2024〕21号") == "浙政办发202421号"
    assert search_key('专精特新"小巨人"') == search_key("专精特新“小巨人”")
