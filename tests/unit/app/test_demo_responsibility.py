"""The responsibility matrix's demo: the year's plan with letters mostly signed, a campaign in three phases with
weekly progress, cards of every colour the Overview shows, and departments still to report or sign."""

from datetime import date

from envdesk.app import overview
from envdesk.app import responsibility as rs
from envdesk.domain.responsibility import Card, LetterStatus, PlanKind


def test_the_demo_plans(demo_ws):
    plans = {p.kind: p for p in rs.list_plans(demo_ws)}
    assert set(plans) == {PlanKind.ANNUAL, PlanKind.CAMPAIGN}
    campaign = plans[PlanKind.CAMPAIGN]
    assert [p.name_zh for p in campaign.phases] == ["动员部署", "集中攻坚", "总结提升"]
    tasks = rs.list_tasks(demo_ws, campaign.id)
    assert len(tasks) == 10 and all(t.phase_id for t in tasks)
    cards = {t.card for t in tasks} | {t.card for t in rs.list_tasks(demo_ws, plans[PlanKind.ANNUAL].id)}
    assert Card.YELLOW in cards
    assert rs.not_reported(demo_ws, campaign.id)  # someone has not reported this week


def test_the_demo_letters(demo_ws):
    annual = next(p for p in rs.list_plans(demo_ws) if p.kind is PlanKind.ANNUAL)
    letters = rs.list_letters(demo_ws, annual.id)
    signed = [letter for letter in letters if letter.status is LetterStatus.SIGNED]
    assert signed and len(signed) < len(letters)
    assert all(len(letter.scan_sha256) == 64 and letter.scan_file_name.endswith(".pdf") for letter in signed)
    assert {letter.kind.value for letter in letters} == {"target", "clean_government"}
    assert len({letter.number for letter in letters}) == len(letters)
    assert rs.unsigned(demo_ws, annual.id)


def test_the_overview_shows_the_cards(demo_ws):
    items = [i for i in overview.build(demo_ws, today=date.today()).items if i.register == "Responsibility matrix"]
    assert items
