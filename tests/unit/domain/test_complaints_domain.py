"""Pure rules of the complaints register: confidentiality masks, numbers, the bigram search tokens, repeat
similarity, and reading channels and pollution types in Chinese and English."""

import pytest

from envdesk import i18n
from envdesk.domain import complaints as d
from envdesk.domain.complaints import (
    NEXT,
    Channel,
    Decision,
    FollowUpMethod,
    HandlingKind,
    Satisfaction,
    Status,
    bigrams,
    format_number,
    mask_address,
    mask_name,
    mask_phone,
    number_prefix,
    parse_pollution,
    pollution_category,
    pollution_keys,
    pollution_label,
    query_bigrams,
    same_phone,
    similarity,
)

# --- confidentiality (信访工作条例 art. 30) -----------------------------------------------------


@pytest.mark.parametrize("name, masked", [
    ("张伟", "张*"),
    ("欧阳娜娜", "欧***"),
    ("王", "王*"),              # a one-character name still hides that it is one character
    ("  李建国 ", "李**"),
    ("", ""),
    ("   ", ""),
])
def test_mask_name_shows_only_the_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("phone, masked", [
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("138-1234-5678", "138****5678"),
    ("0571-88776655", "057****6655"),   # a landline with its area code has 12 digits
    ("88776655", "887***55"),
    ("123456", "123*56"),
    ("12345", "*****"),
    ("", ""),
])
def test_mask_phone_hides_the_middle(phone, masked):
    assert mask_phone(phone) == masked


def test_a_masked_mobile_number_never_contains_the_hidden_digits():
    phone = "15912345678"
    masked = mask_phone(phone)
    assert "1234" not in masked and masked.count("*") == 4


@pytest.mark.parametrize("address, masked", [
    ("城关镇阳光花园3幢2单元501室", "城关镇***"),
    ("青溪街道新华路12号", "青溪街道***"),
    ("柳溪乡上塘村5组12号", "柳溪乡***"),
    ("上塘村5组12号", "上塘村***"),
    ("人民路88号3幢", "人民路***"),
    ("阳光花园3幢2单元", "阳光花***"),   # no town or street: two thirds are hidden
    ("", ""),
])
def test_mask_address_keeps_the_place_up_to_the_town_or_street(address, masked):
    assert mask_address(address) == masked


def test_masked_address_never_shows_the_house_number():
    for address in ("白沙镇工业路23号", "东湖街道东湖嘉园7幢1单元1203室", "梅岭乡白云村3组8号"):
        masked = mask_address(address)
        assert masked.endswith("***")
        assert not any(ch.isdigit() for ch in masked), masked


# --- numbers --------------------------------------------------------------------------------------

def test_number_format_and_prefix():
    assert format_number("XF-{year}-{seq:04d}", 2026, 7) == "XF-2026-0007"
    assert format_number("XF-{year}-{seq:04d}", 2026, 12345) == "XF-2026-12345"  # never truncated
    assert number_prefix("XF-{year}-{seq:04d}", 2026) == "XF-2026-"
    assert number_prefix("青环信〔{year}〕{seq}号", 2025) == "青环信〔2025〕"
    assert number_prefix("{seq:05d}", 2026) == ""


# --- search tokens --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, tokens", [
    ("偷排废水", "偷排 排废 废水"),
    ("噪声", "噪声"),
    ("噪", "噪"),
    ("夜间施工噪声扰民", "夜间 间施 施工 工噪 噪声 声扰 扰民"),
    ("油烟，噪声！", "油烟 噪声"),              # punctuation separates runs: no token spans it
    ("COD 超标 2.5 倍", "cod 超标 2 5 倍"),     # Latin words and numbers stay whole, lower-cased
    ("", ""),
])
def test_bigrams(text, tokens):
    assert bigrams(text) == tokens


def test_every_two_character_word_of_a_text_is_one_of_its_tokens():
    text = "反映青溪县宏达化工有限公司夜间偷排废水，河水发黑发臭"
    tokens = set(bigrams(text).split())
    for word in ("偷排", "废水", "发黑", "化工", "宏达"):
        assert word in tokens
    for i in range(len("偷排废水") - 1):
        assert "偷排废水"[i:i + 2] in tokens


def test_query_bigrams_make_one_phrase_per_word_typed():
    assert query_bigrams("噪声") == [["噪声"]]
    assert query_bigrams("偷排废水") == [["偷排", "排废", "废水"]]
    assert query_bigrams("噪声  夜间施工") == [["噪声"], ["夜间", "间施", "施工"]]
    assert query_bigrams("噪") == [["噪"]]
    assert query_bigrams("KTV") == [["ktv"]]
    assert query_bigrams(" ，。 ") == []


def test_a_query_phrase_is_found_in_the_tokens_of_a_text_that_contains_it():
    """What the search index relies on: the query's bigrams appear, in order, among the text's bigrams."""
    text_tokens = bigrams("群众反映某厂夜间偷排废水进入青溪").split()
    (phrase,) = query_bigrams("偷排废水")
    joined = " " + " ".join(text_tokens) + " "
    assert " " + " ".join(phrase) + " " in joined


def test_latin_letters_attached_to_chinese_stay_a_word_of_their_own():
    """'金嗓子KTV' is indexed as 金嗓, 嗓子 and the whole word ktv, so a query for 'KTV' finds it."""
    assert bigrams("金嗓子KTV营业到凌晨").split()[:3] == ["金嗓", "嗓子", "ktv"]
    assert query_bigrams("KTV") == [["ktv"]]


# --- repeats --------------------------------------------------------------------------------------

def test_similarity_is_a_dice_coefficient_of_bigrams():
    assert similarity("夜间施工噪声扰民", "夜间施工噪声扰民") == 1.0
    assert similarity("夜间施工噪声扰民", "餐馆油烟直排") == 0.0
    assert similarity("", "噪声") == 0.0
    # 噪声扰民 {噪声, 声扰, 扰民} vs 噪声很大 {噪声, 声很, 很大}: one of three in common each side.
    assert similarity("噪声扰民", "噪声很大") == pytest.approx(2 * 1 / 6)
    assert similarity("青溪县白沙镇工业路23号", "白沙镇工业路23号") > 0.5
    assert similarity("a", "b") == 0.0


def test_same_phone_compares_digits_only():
    assert same_phone("138 1234 5678", "13812345678")
    assert same_phone("0571-88776655", "057188776655")
    assert not same_phone("13812345678", "13812345679")
    assert not same_phone("123456", "123456")   # too short to identify anyone
    assert not same_phone("", "")


# --- channels, pollution types, workflow --------------------------------------------------------

@pytest.mark.parametrize("text, channel", [
    ("12369", Channel.HOTLINE_12369),
    ("12345", Channel.HANDOFF_12345),
    ("letter", Channel.LETTER),
    ("Letter", Channel.LETTER),
    ("12345 hand-off", Channel.HANDOFF_12345),
    ("  Director's mailbox ", Channel.MAILBOX),
    ("ASSIGNED BY A HIGHER LEVEL", Channel.ASSIGNED),
])
def test_channel_parse_in_english(text, channel):
    assert Channel.parse(text) is channel


def test_channel_parse_refuses_an_unknown_channel_and_lists_the_choices():
    with pytest.raises(ValueError) as error:
        Channel.parse("carrier pigeon")
    assert "carrier pigeon" in str(error.value)
    assert "Letter" in str(error.value) and "Fax" in str(error.value)


ZH = {  # the Chinese labels the zh_CN catalog gives these msgids (as a bureau's Excel ledger writes them)
    "Letter": "来信", "Visit in person": "来访", "12345 hand-off": "12345转办", "Noise": "噪声",
    "Construction noise": "建筑施工噪声", "Cooking fumes": "餐饮油烟", "Industrial waste water": "工业废水",
    "Odour": "异味",
}


@pytest.fixture
def zh_catalog(monkeypatch):
    """Chinese labels for the parse functions, independent of how far the real catalog has got."""
    monkeypatch.setattr(i18n, "gettext_for", lambda locale, msgid: ZH.get(msgid, msgid) if locale == "zh_CN"
                        else msgid)


@pytest.mark.parametrize("text, channel", [
    ("来信", Channel.LETTER), ("来访", Channel.VISIT), ("12345转办", Channel.HANDOFF_12345),
])
def test_channel_parse_in_chinese(zh_catalog, text, channel):
    assert Channel.parse(text) is channel


@pytest.mark.parametrize("text, key", [
    ("noise", "noise"), ("Noise", "noise"), ("construction noise", "construction_noise"),
    ("Construction Noise", "construction_noise"), ("cooking_fumes", "cooking_fumes"),
    ("Noise of social life", "social_noise"), ("General industrial solid waste", "industrial_waste"),
    (" soil ", "soil"),
])
def test_parse_pollution_in_english_and_by_key(text, key):
    assert parse_pollution(text) == key


@pytest.mark.parametrize("text, key", [
    ("噪声", "noise"), ("建筑施工噪声", "construction_noise"), ("餐饮油烟", "cooking_fumes"),
    ("工业废水", "industrial_water"), ("异味", "odour"),
])
def test_parse_pollution_in_chinese(zh_catalog, text, key):
    assert parse_pollution(text) == key


def test_parse_pollution_refuses_unknown_text():
    with pytest.raises(ValueError, match="光污染"):
        parse_pollution("光污染")


def test_pollution_categories_and_labels():
    keys = pollution_keys()
    assert len(keys) == len(set(keys))
    assert {"air", "noise", "water", "solid_waste", "ecology", "radiation", "soil", "other"} <= set(keys)
    assert pollution_category("odour") == "air"
    assert pollution_category("construction_noise") == "noise"
    assert pollution_category("hazardous_waste") == "solid_waste"
    assert pollution_category("water") == "water"
    assert pollution_category("unheard_of") == "other"
    assert pollution_label("social_noise") == "Noise of social life"
    assert pollution_label("noise") == "Noise"
    assert pollution_label("unheard_of") == "unheard_of"
    assert all(pollution_category(k) in d.POLLUTION_TYPES for k in keys)


def test_open_statuses_and_what_each_allows_next():
    assert {s for s in Status if s.is_open} == {Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED,
                                                  Status.REPLIED, Status.FOLLOWED_UP}
    assert set(NEXT) == set(Status)
    assert NEXT[Status.REGISTERED] == ("decide",)
    assert "reply" in NEXT[Status.ASSIGNED] and "extend" in NEXT[Status.ASSIGNED]
    assert "reopen" in NEXT[Status.FOLLOWED_UP] and "reopen" not in NEXT[Status.CLOSED]
    assert NEXT[Status.NOT_ACCEPTED] == NEXT[Status.TRANSFERRED] == ()
    assert "follow_up" not in NEXT[Status.ASSIGNED] and "close" not in NEXT[Status.REPLIED]


@pytest.mark.parametrize("enum", [Decision, HandlingKind, FollowUpMethod, Satisfaction, Channel, Status])
def test_every_member_parses_from_its_value_and_label(enum):
    for member in enum:
        assert enum.parse(member.value) is member
        assert enum.parse(member.msgid.upper()) is member
