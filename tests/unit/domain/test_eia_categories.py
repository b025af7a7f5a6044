"""The 2021 EIA classification directory: the shipped list, lookups by number and name, labels, errors."""

from __future__ import annotations

import json

import pytest

from envdesk import paths
from envdesk.domain.eia_categories import (
    RESOURCE,
    Category,
    categories,
    category,
    parse_category,
)


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(paths.resource_path(*RESOURCE).read_text(encoding="utf-8"))


# --- the shipped data -------------------------------------------------------------------------------

def test_resource_is_found_via_resource_path():
    path = paths.resource_path(*RESOURCE)
    assert path.is_file()
    assert path.parent.name == "data" and path.parent.parent.name == "resources"
    assert paths.resource_path("data", "LICENSE-eia-categories.txt").is_file()


def test_document_names_the_directory_and_its_source(document):
    assert document["title_zh"] == "建设项目环境影响评价分类管理名录（2021年版）"
    assert document["title_en"]
    assert "16" in document["source"]


def test_numbers_are_unique_and_contiguous_from_one(document):
    numbers = [item["number"] for group in document["categories"] for item in group["items"]]
    assert numbers == list(range(1, len(numbers) + 1))  # the directory's running order, no gaps, no repeats
    assert [c.number for c in categories()] == numbers
    assert len(numbers) == 173


def test_the_directory_has_55_groups_and_each_has_items(document):
    groups = document["categories"]
    assert len(groups) == 55
    for group in groups:
        assert group["items"], group["name_zh"]
        assert group["name_zh"].strip() and group["name_en"].strip()
    codes = [group["code"] for group in groups if group["code"]]
    assert len(codes) == len(set(codes))
    assert all(code.isdigit() and len(code) == 2 for code in codes)


def test_every_name_is_present_in_both_languages_and_unique():
    for c in categories():
        for text in (c.name_zh, c.name_en, c.group_zh, c.group_en):
            assert text and text == text.strip(), c
        assert not c.name_zh.endswith(("*", "＊")), c  # footnote marks are dropped
    assert len({c.name_zh for c in categories()}) == len(categories())
    assert len({c.name_en.casefold() for c in categories()}) == len(categories())


def test_known_items_sit_where_the_directory_puts_them():
    assert category(1).group_zh == "农业" and category(1).group_code == "01"
    assert category(3).name_zh.startswith("牲畜饲养")
    assert category(53) == Category(53, "塑料制品业292", "Plastic products (292)", "29", "橡胶和塑料制品业",
                                    "Rubber and plastic products")
    assert category(98).name_zh == "专业实验室、研发（试验）基地"
    assert category(108).group_zh == "卫生" and category(108).name_zh.startswith("医院841")
    assert category(121).name_zh == "汽车、摩托车维修场所"
    assert category(173).group_zh == "核与辐射"


def test_categories_are_loaded_once():
    assert categories() is categories()


# --- labels -----------------------------------------------------------------------------------------

def test_label_is_the_number_then_the_name():
    plastics = category(53)
    assert plastics.label("zh_CN") == "53 塑料制品业292"
    assert plastics.label("en") == "53 Plastic products (292)"
    assert plastics.label("zh") == plastics.label("zh_CN")
    assert plastics.label("en_US") == plastics.label("en")
    assert plastics.label("bilingual") == "53 塑料制品业292 Plastic products (292)"
    assert plastics.group("en") == "Rubber and plastic products"


# --- lookups ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [1, 53, 173])
def test_category_by_number(number):
    assert category(number).number == number


@pytest.mark.parametrize("number", [0, -1, 174, 1000])
def test_unknown_number_raises_value_error_naming_it(number):
    with pytest.raises(ValueError, match=rf"^{number} is not an item of the 2021 EIA classification directory"):
        category(number)


@pytest.mark.parametrize(
    "text",
    [
        "53",
        " 53 ",
        "５３",  # full-width digits, as typed with a Chinese input method
        "53 塑料制品业292",
        "53、塑料制品业292",  # the directory's own numbering
        "53 Plastic products (292)",
        "塑料制品业292",
        "塑料制品业",  # without the industry code
        "Plastic products (292)",
        "plastic PRODUCTS (292)",
        "  plastic   products (292) ",
    ],
)
def test_parse_by_number_name_or_label(text):
    assert parse_category(text).number == 53


def test_every_label_and_name_parses_back():
    for c in categories():
        for text in (str(c.number), c.name_zh, c.name_en, c.name_en.upper(), c.label("zh_CN"), c.label("en")):
            assert parse_category(text) is c, text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "0", "174", "塑料", "Plastics", "53 陶瓷制品制造307", "12 肉禽类加工", "x53"],
)
def test_bad_value_raises_value_error_naming_it(text):
    with pytest.raises(ValueError) as caught:
        parse_category(text)
    message = str(caught.value)
    assert f"“{text.strip()}”" in message
    assert "2021 EIA classification directory" in message
