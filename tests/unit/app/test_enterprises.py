"""Enterprises, the master data the registers share: valid credit codes, no duplicates, search, import."""

import pytest

from envdesk.app import enterprises, reference
from envdesk.app.enterprises import DuplicateName, EnterpriseInput
from envdesk.app.errors import AppError, ConflictError, ValidationError
from envdesk.domain.credit_code import ALPHABET, check_character
from envdesk.domain.importing import RowsRejected

VALID = "91350100M000100Y43"        # GB 32100-2015's own example
VALID_2 = "914403001922038216"
WRONG_CHECK = "914403001922038217"  # its check character should be 6


def code(serial: int) -> str:
    """A valid code of the demo county (330127), different for each serial."""
    body = "".join(ALPHABET[(serial // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(9))
    first17 = "91330127" + body
    return first17 + check_character(first17)


@pytest.fixture
def towns(ws):
    baisha, _c = reference.save_town(ws, None, "白沙镇", "Baisha Town")
    park, _c = reference.save_town(ws, None, "青溪经济开发区", "Qingxi Economic Development Zone", kind="park")
    return baisha, park


def save(ws, name, credit_code="", **fields):
    value, _changes = enterprises.save_enterprise(ws, None, EnterpriseInput(name, credit_code=credit_code, **fields))
    return value


# --- save ------------------------------------------------------------------------------------------

def test_save_normalizes_and_parses(ws, towns):
    baisha, _park = towns
    value = save(ws, "  青溪县宏达化工有限公司 ", "９１３５０１００ｍ０００１００ｙ４３", name_en="Qingxi Hongda Chemical Co., Ltd.",
                 town_id=baisha.id, industry="化工", scale="Large",
                 types=("key_discharger", "Traditional industry", "traditional"), contact_phone="13800000000")
    assert value.name_zh == "青溪县宏达化工有限公司"
    assert value.credit_code == VALID  # full-width, lower case: stored as the standard writes it
    assert value.town_name == "白沙镇"
    assert value.scale == "large"
    assert value.types == ("key_discharger", "traditional")  # parsed, de-duplicated, sorted
    assert value.version == 1
    assert enterprises.get_enterprise(ws, value.id) == value
    assert value.name("en") == "Qingxi Hongda Chemical Co., Ltd." and value.name("zh_CN") == value.name_zh


@pytest.mark.parametrize("text, message", [
    (WRONG_CHECK, "Credit code: The check character (the 18th) is 7 but should be 6."),
    ("91350100M000100Y4", "Credit code: The code has 17 characters; it needs 18."),
    ("91350100M000100Y4Z", "Credit code: Character 18 (Z) is not allowed"),
])
def test_invalid_credit_code_is_refused_with_the_reason(ws, text, message):
    with pytest.raises(ValidationError) as caught:
        save(ws, "某公司", text)
    assert str(caught.value).startswith(message)
    assert caught.value.field == "Credit code"
    assert enterprises.count_enterprises(ws) == 0


def test_enterprises_without_a_code_do_not_collide(ws):
    first, second = save(ws, "甲厂"), save(ws, "乙厂")
    assert first.credit_code == second.credit_code == ""
    assert enterprises.count_enterprises(ws) == 2


def test_duplicate_code_is_refused_naming_the_other_enterprise(ws):
    first = save(ws, "青溪县绿源污水处理有限公司", VALID)
    with pytest.raises(ValidationError) as caught:
        save(ws, "另一家公司", VALID.lower())
    assert str(caught.value) == f"Credit code: {VALID} is already registered for “青溪县绿源污水处理有限公司”"
    # Saving the enterprise itself with its own code is no duplicate.
    again, _c = enterprises.save_enterprise(ws, first.id, EnterpriseInput(first.name_zh, credit_code=VALID,
                                                                          industry="污水处理"),
                                            expected_version=first.version)
    assert again.industry == "污水处理" and again.version == 2


def test_duplicate_name_asks_for_a_merge_check_unless_allowed(ws):
    first = save(ws, "浙江青溪新材料科技股份有限公司", VALID)
    with pytest.raises(DuplicateName) as caught:
        save(ws, "浙江青溪新材料科技股份有限公司", VALID_2)
    assert [o.id for o in caught.value.others] == [first.id]
    assert "浙江青溪新材料科技股份有限公司" in str(caught.value) and VALID in str(caught.value)
    assert isinstance(caught.value, AppError)
    assert enterprises.count_enterprises(ws) == 1
    second, _c = enterprises.save_enterprise(ws, None, EnterpriseInput("浙江青溪新材料科技股份有限公司",
                                                                       credit_code=VALID_2),
                                             allow_duplicate_name=True)
    assert second.id != first.id
    # Once two share the name, editing either asks again (its namesake is still there).
    with pytest.raises(DuplicateName):
        enterprises.save_enterprise(ws, first.id, EnterpriseInput(first.name_zh, credit_code=VALID, notes="总部"))


def test_editing_keeps_its_own_name_without_a_merge_check(ws):
    first = save(ws, "青溪县宏达化工有限公司", VALID)
    edited, _c = enterprises.save_enterprise(ws, first.id, EnterpriseInput(first.name_zh, credit_code=VALID,
                                                                           notes="省级绿色工厂"))
    assert edited.notes == "省级绿色工厂"


@pytest.mark.parametrize("fields, message", [
    ({"scale": "huge"}, "Scale: “huge” is not one of: Large、Medium、Small、Micro"),
    ({"types": ("traditional", "polluter")}, "Type: “polluter” is not one of"),
    ({"town_id": 999}, "Town: does not exist"),
    ({"name_en": "x" * 301}, "English name: is longer than 300 characters"),
])
def test_bad_fields_are_refused_naming_the_field(ws, fields, message):
    with pytest.raises(ValidationError) as caught:
        save(ws, "某公司", **fields)
    assert str(caught.value).startswith(message)


def test_name_is_required(ws):
    with pytest.raises(ValidationError, match="^Enterprise name: is required$"):
        save(ws, "   ")


def test_stale_version_is_a_conflict_and_nothing_is_overwritten(ws):
    value = save(ws, "青溪县宏达化工有限公司", VALID)
    enterprises.save_enterprise(ws, value.id, EnterpriseInput(value.name_zh, credit_code=VALID, notes="first"),
                                expected_version=1)
    with pytest.raises(ConflictError):
        enterprises.save_enterprise(ws, value.id, EnterpriseInput(value.name_zh, credit_code=VALID, notes="second"),
                                    expected_version=1)
    assert enterprises.get_enterprise(ws, value.id).notes == "first"


def test_moving_an_enterprise_to_another_town_returns_the_new_town(ws, towns):
    baisha, park = towns
    value = save(ws, "青溪县宏达化工有限公司", VALID, town_id=baisha.id)
    moved, _c = enterprises.save_enterprise(ws, value.id, EnterpriseInput(value.name_zh, credit_code=VALID,
                                                                          town_id=park.id))
    assert enterprises.get_enterprise(ws, value.id).town_name == "青溪经济开发区"  # stored right
    assert moved.town_name == "青溪经济开发区"  # ...but the value handed back to the caller is stale


def test_a_town_in_use_by_an_enterprise_cannot_be_deleted(ws, towns):
    baisha, _park = towns
    save(ws, "青溪县宏达化工有限公司", VALID, town_id=baisha.id)
    with pytest.raises(ValidationError, match="is still used"):
        reference.delete_town(ws, baisha.id)


# --- find and search -------------------------------------------------------------------------------

def test_find_by_code_in_any_form_or_by_exact_name(ws):
    value = save(ws, "青溪县宏达化工有限公司", VALID)
    assert enterprises.find_enterprise(ws, VALID) == value
    assert enterprises.find_enterprise(ws, f" {VALID.lower()} ") == value
    assert enterprises.find_enterprise(ws, "９１３５０１００Ｍ０００１００Ｙ４３") == value
    assert enterprises.find_enterprise(ws, "青溪县宏达化工有限公司") == value
    assert enterprises.find_enterprise(ws, "宏达化工") is None  # names match exactly, not in part
    assert enterprises.find_enterprise(ws, VALID_2) is None


def test_find_by_a_shared_name_is_ambiguous(ws):
    save(ws, "青溪县宏达化工有限公司", VALID)
    enterprises.save_enterprise(ws, None, EnterpriseInput("青溪县宏达化工有限公司", credit_code=VALID_2),
                                allow_duplicate_name=True)
    assert enterprises.find_enterprise(ws, "青溪县宏达化工有限公司") is None
    assert enterprises.find_enterprise(ws, VALID_2).credit_code == VALID_2


@pytest.fixture
def many(ws, towns):
    baisha, park = towns
    made = []
    for n in range(25):
        town = baisha if n % 5 == 0 else park
        made.append(save(ws, f"青溪县{n:02d}号印染有限公司" if n % 2 else f"浙江青溪{n:02d}新材料科技有限公司", code(n + 1),
                         name_en=f"Qingxi No. {n:02d} Co., Ltd.", town_id=town.id))
    return made


def test_search_by_name_part_with_paging_and_count(ws, many):
    assert enterprises.count_enterprises(ws) == 25
    assert enterprises.count_enterprises(ws, "印染") == 12
    first = enterprises.search_enterprises(ws, "印染", limit=5)
    second = enterprises.search_enterprises(ws, "印染", offset=5, limit=5)
    last = enterprises.search_enterprises(ws, "印染", offset=10, limit=5)
    names = [e.name_zh for e in first + second + last]
    assert len(first) == len(second) == 5 and len(last) == 2
    assert names == sorted(names) and len(set(names)) == 12
    assert all("印染" in name for name in names)


def test_search_by_english_name(ws, many):
    assert [e.name_zh for e in enterprises.search_enterprises(ws, "No. 07")] == ["青溪县07号印染有限公司"]


def test_search_by_code_prefix(ws, many):
    target = many[7]
    found = enterprises.search_enterprises(ws, target.credit_code[:14].lower())
    assert target in found
    assert enterprises.count_enterprises(ws, "91330127") == 25
    assert enterprises.count_enterprises(ws, target.credit_code) == 1
    # A code matches from its start only: the middle of a code finds nothing.
    assert enterprises.count_enterprises(ws, target.credit_code[8:]) == 0


def test_search_by_town_and_text_together(ws, many, towns):
    baisha, park = towns
    assert enterprises.count_enterprises(ws, town_id=baisha.id) == 5
    assert enterprises.count_enterprises(ws, town_id=park.id) == 20
    in_baisha = enterprises.search_enterprises(ws, "印染", town_id=baisha.id)
    assert [e.name_zh for e in in_baisha] == ["青溪县05号印染有限公司", "青溪县15号印染有限公司"]
    assert all(e.town_name == "白沙镇" for e in in_baisha)


def test_search_on_both_databases(any_ws):
    save(any_ws, "青溪县宏达化工有限公司", VALID, name_en="Qingxi Hongda Chemical Co., Ltd.")
    save(any_ws, "青溪县绿源污水处理有限公司", VALID_2)
    assert enterprises.count_enterprises(any_ws, "化工") == 1          # two characters, as staff type them
    assert enterprises.count_enterprises(any_ws, "青溪县") == 2
    assert enterprises.count_enterprises(any_ws, "Hongda") == 1
    assert enterprises.count_enterprises(any_ws, "9135") == 1
    assert [e.name_zh for e in enterprises.search_enterprises(any_ws, "青溪", limit=1, offset=1)] == \
        ["青溪县绿源污水处理有限公司"]


# --- import ----------------------------------------------------------------------------------------

def row(name, credit_code="", **values):
    return {"name_zh": name, "credit_code": credit_code, **values}


def test_import_creates_then_updates_by_code(ws, towns):
    rows = [(2, row("青溪县宏达化工有限公司", VALID, town="白沙镇", scale="large",
                    types=("Key pollutant-discharge unit",), contact_phone=13800000000)),
            (3, row("青溪县绿源污水处理有限公司", VALID_2, town="青溪经济开发区", scale="Medium",
                    types=("third_party",))),
            (4, row("青溪县石桥五金厂"))]
    summary = enterprises.import_enterprises(ws, rows)
    assert (summary.created, summary.updated) == (3, 0)
    hongda = enterprises.find_enterprise(ws, VALID)
    assert (hongda.town_name, hongda.scale, hongda.types, hongda.contact_phone) == \
        ("白沙镇", "large", ("key_discharger",), "13800000000")
    # Again, matched by code: the name changes, and empty cells keep what is there.
    summary = enterprises.import_enterprises(ws, [(2, row("青溪县宏达化工股份有限公司", VALID.lower(), industry="化工"))])
    assert (summary.created, summary.updated) == (0, 1)
    hongda = enterprises.find_enterprise(ws, VALID)
    assert (hongda.name_zh, hongda.industry, hongda.town_name, hongda.scale) == \
        ("青溪县宏达化工股份有限公司", "化工", "白沙镇", "large")
    # A row without a code matches the one enterprise of that name.
    summary = enterprises.import_enterprises(ws, [(2, row("青溪县石桥五金厂", industry="机械制造"))])
    assert (summary.created, summary.updated) == (0, 1)
    assert enterprises.count_enterprises(ws) == 3


def test_import_is_all_or_nothing_and_names_every_bad_row(ws, towns):
    rows = [(2, row("青溪县宏达化工有限公司", VALID, town="白沙镇")),
            (3, row("坏代码公司", WRONG_CHECK)),
            (4, row("无此乡镇公司", "", town="火星镇")),
            (5, row("重复代码公司", VALID)),
            (6, row("", VALID_2)),
            (7, row("规模不对公司", scale="巨型"))]
    with pytest.raises(RowsRejected) as caught:
        enterprises.import_enterprises(ws, rows)
    problems = {(p.row, p.key): p.reason for p in caught.value.problems}
    assert set(problems) == {(3, "credit_code"), (4, "town"), (5, "credit_code"), (6, "name_zh"), (7, "scale")}
    assert "should be 6" in problems[(3, "credit_code")]
    assert problems[(4, "town")].startswith("No such town")
    assert problems[(5, "credit_code")] == "appears twice in the file (also row 2)"
    assert problems[(6, "name_zh")] == "is required"
    assert enterprises.count_enterprises(ws) == 0  # the good row was not written either


def test_import_check_only_writes_nothing(ws):
    summary = enterprises.import_enterprises(ws, [(2, row("青溪县宏达化工有限公司", VALID))], check_only=True)
    assert (summary.created, summary.updated) == (0, 0)
    assert enterprises.count_enterprises(ws) == 0


def test_export_rows_carry_labels_in_the_document_language(ws, towns):
    save(ws, "青溪县宏达化工有限公司", VALID, town_id=towns[0].id, scale="small", types=("emerging",))
    (exported,) = enterprises.enterprise_rows(ws, "en")
    assert exported["scale"] == "Small" and exported["types"] == ("Strategic emerging industry",)
    assert exported["town"] == "白沙镇" and exported["credit_code"] == VALID


def test_search_by_english_name_ignores_case_on_both_databases(any_ws):
    save(any_ws, "青溪县宏达化工有限公司", VALID, name_en="Qingxi Hongda Chemical Co., Ltd.")
    assert enterprises.count_enterprises(any_ws, "hongda") == 1


def test_search_text_is_taken_literally(any_ws):
    save(any_ws, "青溪县宏达化工有限公司", VALID)
    save(any_ws, "青溪县100%_环保科技有限公司", VALID_2)
    assert enterprises.count_enterprises(any_ws, "%") == 1
    assert enterprises.count_enterprises(any_ws, "宏_化工") == 0
    assert [e.name_zh for e in enterprises.search_enterprises(any_ws, "100%_")] == ["青溪县100%_环保科技有限公司"]
