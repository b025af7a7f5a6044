"""Realistic, reproducible demo data: a fictional county bureau with its departments, staff and towns.

Registers add their own steps to DEMO_STEPS; `small` is for trying the app, `large` is the size the
benchmarks use.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from envdesk.app.access import Principal, check, open_to_all
from envdesk.app.errors import AppError
from envdesk.app.settings import BUREAU_ID
from envdesk.app.workspace import Workspace
from envdesk.domain.progress import Progress
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.store.models import BureauRow, DepartmentRow, StaffRow, TownRow

SIZES = ("small", "large")
SEED = 20260101

BUREAU = ("青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")

# (zh, en, number of staff besides the head)
DEPARTMENTS = [
    ("办公室", "General Office", 4),
    ("行政审批科", "Administrative Approval Section", 4),
    ("生态环境监察大队", "Law Enforcement Brigade", 8),
    ("环境监测站", "Environmental Monitoring Station", 6),
    ("固体废物管理科", "Solid Waste Management Section", 3),
    ("大气与水环境科", "Air and Water Environment Section", 3),
    ("自然生态科", "Nature and Ecology Section", 2),
    ("宣教法制科", "Publicity, Education and Legal Section", 2),
    ("组织人事科", "Personnel Section", 2),
    ("信访办", "Complaints Office", 3),
]

LEADER_TITLES = [
    ("局长", "办公室"),
    ("副局长", "行政审批科"),
    ("副局长", "生态环境监察大队"),
    ("副局长", "环境监测站"),
    ("纪检组长", "组织人事科"),
]

TOWNS = [
    ("城关镇", "Chengguan Town", "town"),
    ("青溪街道", "Qingxi Subdistrict", "subdistrict"),
    ("东湖街道", "Donghu Subdistrict", "subdistrict"),
    ("白沙镇", "Baisha Town", "town"),
    ("石桥镇", "Shiqiao Town", "town"),
    ("龙泉镇", "Longquan Town", "town"),
    ("桃源镇", "Taoyuan Town", "town"),
    ("新塘镇", "Xintang Town", "town"),
    ("三江口镇", "Sanjiangkou Town", "town"),
    ("柳溪乡", "Liuxi Township", "township"),
    ("梅岭乡", "Meiling Township", "township"),
    ("云峰乡", "Yunfeng Township", "township"),
    ("青溪经济开发区", "Qingxi Economic Development Zone", "park"),
    ("滨江工业园区", "Binjiang Industrial Park", "park"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰志文斌辉鹏飞宇浩然晨阳佳琪欣怡子涵梓萱雨泽俊峰海燕金凤春梅晓东立新永刚卫东建华丽萍"


@dataclass(frozen=True)
class DemoContext:
    ws: Workspace
    rng: random.Random
    size: str
    progress: Progress


DemoStep = Callable[[DemoContext], str]


def person_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Distinct, ordinary-looking Chinese names (one- or two-character given names)."""
    names: list[str] = []
    while len(names) < count:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def mobile_number(rng: random.Random) -> str:
    return rng.choice(["138", "139", "135", "137", "158", "159", "186", "188", "150", "151"]) + \
        f"{rng.randrange(10**8):08d}"


def _reference_data(ctx: DemoContext) -> str:
    rng = ctx.rng
    taken: set[str] = set()
    with ctx.ws.transaction() as session:
        zh, en, county = BUREAU
        bureau = session.get(BureauRow, BUREAU_ID)
        if bureau is None:
            session.add(BureauRow(id=BUREAU_ID, name_zh=zh, name_en=en, county=county))
        elif not bureau.name_zh:
            bureau.name_zh, bureau.name_en, bureau.county = zh, en, county
        departments = {}
        for order, (name_zh, name_en, _count) in enumerate(DEPARTMENTS, start=1):
            row = DepartmentRow(name_zh=name_zh, name_en=name_en, sort_order=order * 10, active=True)
            session.add(row)
            departments[name_zh] = row
        for order, (name_zh, name_en, kind) in enumerate(TOWNS, start=1):
            session.add(TownRow(name_zh=name_zh, name_en=name_en, kind=kind, sort_order=order * 10, active=True))
        session.flush()
        staff = 0
        for title, department in LEADER_TITLES:
            (name,) = person_names(rng, 1, taken)
            session.add(StaffRow(name=name, department_id=departments[department].id, title=title,
                                 phone=mobile_number(rng), is_leader=True, active=True))
            staff += 1
        for name_zh, _en, count in DEPARTMENTS:
            department = departments[name_zh]
            head_title = "队长" if name_zh.endswith("大队") else "站长" if name_zh.endswith("站") else \
                "主任" if name_zh.endswith(("室", "办")) else "科长"
            for index, name in enumerate(person_names(rng, count + 1, taken)):
                title = head_title if index == 0 else rng.choice(["科员", "科员", "一级科员", "四级主任科员", "办事员"])
                session.add(StaffRow(name=name, department_id=department.id, title=title,
                                     phone=mobile_number(rng), is_leader=False, active=True))
                staff += 1
    return _("{departments} departments, {staff} staff, {towns} towns").format(
        departments=len(DEPARTMENTS), staff=staff, towns=len(TOWNS))


# Registers append their steps; each returns one line saying what it added.
DEMO_STEPS: list[DemoStep] = [_reference_data]


@open_to_all
def is_empty(ws: Workspace) -> bool:
    with ws.reading() as session:
        return not any(
            session.scalar(select(func.count()).select_from(model)) for model in (DepartmentRow, StaffRow, TownRow))


# The demo accounts' password: demo data is for trying EnvDesk out, never for real records.
DEMO_PASSWORD = "envdesk-demo"


@open_to_all  # on a database without accounts; an administrator's otherwise (checked inside)
def fill(ws: Workspace, size: str = "small", progress: Progress | None = None) -> list[str]:
    """Fill an empty database with demo data; the same data every time for the same size."""
    if size not in SIZES:
        raise AppError(_("Unknown demo size {size!r}: use small or large").format(size=size))
    if not is_empty(ws):
        raise AppError(_("The database already holds data; demo data goes into an empty database "
                         "(use --db with a new file)."))
    from envdesk.app import users

    if users.has_users(ws):
        check(ws, Permission.BACKUP)  # an administrator adds demo data to a database with accounts
        accounts: list[str] = []
    else:
        accounts = users.demo_accounts(ws, DEMO_PASSWORD)
    progress = progress or Progress()
    ctx = DemoContext(ws, random.Random(SEED), size, progress)
    progress.start(len(DEMO_STEPS), _("Creating demo data"))
    lines = []
    signed_in = ws.user
    # The demo's records are made by the use cases, in the audit trail as the demo's.
    ws.user = Principal.trusted(f"demo ({signed_in.login})" if signed_in else "demo")
    try:
        for step in DEMO_STEPS:
            lines.append(step(ctx))
            progress.step()
    finally:
        ws.user = signed_in
    if accounts:
        lines.append(_("Accounts, one per role, all with the password “{password}”: {names}").format(
            password=DEMO_PASSWORD, names=", ".join(accounts)))
    ws.cache.clear()
    return lines


from envdesk.app.demo_twinning import twinning_demo  # noqa: E402 - it imports this module's helpers lazily

DEMO_STEPS.append(twinning_demo)

from envdesk.app.demo_complaints import complaints_demo  # noqa: E402 - after twinning: it names its enterprises

DEMO_STEPS.append(complaints_demo)

# After twinning: the builders of its projects are twinning's enterprises.
from envdesk.app.demo_approvals import approvals_demo

DEMO_STEPS.append(approvals_demo)

from envdesk.app.demo_responsibility import responsibility_demo  # noqa: E402 - needs the demo's staff

DEMO_STEPS.append(responsibility_demo)
