"""Demo data for the approvals register: a year of EIA applications up to today, in every stage, with both clocks;
`--size large` adds ten years of history.

Every case is first planned as a story (which enterprise builds what, under which document type and track, and
each later step with its date); the story is cut at today, then written one of two ways:

- the year's cases through the register's own use cases (register, receive, request_materials, accept, pause,
  resume, decide, file_registration, withdraw), so their clocks, events and stored due dates are the register's;
- `--size large` adds its ten years in bulk (SQLAlchemy core executemany into approval, approval_pause and
  approval_event), with the fields, events and versions the use cases would have written and the due dates stored
  by the register's own `_store_dues` run on a plain stand-in row, with the settings and calendar read once.

A test writes the same stories both ways and checks they read back identically (tests/unit/app/
test_demo_approvals.py).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text

from envdesk.app import approvals, reference
from envdesk.app import calendar as calendar_app
from envdesk.app import settings as settings_app
from envdesk.app.approvals import ProjectInput
from envdesk.app.demo_complaints import _Steady
from envdesk.domain.approvals import (
    DocumentType,
    Nature,
    Outcome,
    PauseKind,
    Status,
    Track,
)
from envdesk.domain.complaints import format_number
from envdesk.domain.eia_categories import categories
from envdesk.i18n import _
from envdesk.store.approvals import ApprovalEventRow, ApprovalRow, PauseRow
from envdesk.store.twinning import EnterpriseRow

if TYPE_CHECKING:
    from envdesk.app.demo import DemoContext

YEAR_COUNT = 200         # applications in the year up to today (both sizes)
LARGE_EXTRA = 20_000     # `--size large` adds these over the ten years up to today, in bulk
LARGE_YEARS = 10
CHUNK = 4000             # bulk cases per transaction
AREA_CODE = "330127"     # the demo county (see demo_twinning)
DECISION_SERIES = {"own": "青环审", "passed_up": "青环预审"}  # 批复文号 prefixes: the bureau's, its preliminary review

# Applications arrive on working days; fewer over the Spring Festival, more before the year closes.
SEASON = {1: 0.9, 2: 0.55, 3: 1.1, 4: 1.1, 5: 1.05, 6: 1.1, 7: 1.0, 8: 0.9, 9: 1.0, 10: 0.85, 11: 1.1, 12: 1.25}

INSTITUTIONS = ["浙江青山环境科技有限公司", "杭州绿源环境工程咨询有限公司", "浙江碧水环评技术服务有限公司",
                "青溪县环境科学研究所有限公司", "浙江大地环境规划设计有限公司", "杭州蓝天环保技术咨询有限公司",
                "浙江中正环境技术有限公司", "杭州清越生态环境科技有限公司"]
PARK_ROADS = ["园区一路", "园区二路", "园区三路", "纬三路", "经五路", "科技路", "创业路", "兴业街"]

MISSING_ITEMS = ["环评文件（报批稿）", "建设项目环评审批申请表", "排污许可相关材料", "项目备案（核准）文件",
                 "主要污染物排放总量指标来源说明", "环评文件编制单位和编制人员承诺书", "专家技术评审意见及修改说明",
                 "建设项目用地（选址）相关证明", "园区规划环评符合性分析说明", "环评文件删除涉密信息的公开版本"]
PUBLIC_PARTICIPATION = "公众参与说明"   # report books only
PAUSE_REASONS = {
    "expert_review": ["组织专家技术评审会，对环评文件进行技术审查", "邀请专家现场踏勘并召开技术评审会"],
    "technical_evaluation": ["委托市环境工程评估中心开展技术评估", "委托第三方技术机构开展技术评估"],
    "public_notice": ["拟作出审批决定前公示（5个工作日）", "环评文件全本及受理情况公示（10个工作日）"],
    "applicant_revision": ["根据专家评审意见，建设单位修改完善环评文件", "建设单位补充主要污染物总量来源及区域削减方案"],
}
REFUSALS = ["项目选址位于生态保护红线内，不符合生态环境分区管控要求",
            "项目属于《产业结构调整指导目录》淘汰类，不符合国家产业政策",
            "主要污染物排放总量替代来源不落实",
            "环评文件存在重大缺陷、遗漏，经技术审查不予通过"]
WITHDRAWALS = ["建设单位调整建设方案，申请撤回环评审批申请", "项目选址发生变更，建设单位申请撤回",
               "企业投资计划调整，项目暂缓实施，申请撤回", "未能在约定期限内补正材料，建设单位主动撤回"]
ABANDONED = "建设单位调整投资计划，项目取消，终止环评前期服务"
APPROVAL_NOTES = ["", "", "", "", "严格落实环评文件提出的各项污染防治措施", "项目须落实主要污染物排放总量替代削减"]


@dataclass(frozen=True)
class Kind:
    """A kind of project the county sees, with what its applications are usually like."""

    key: str
    weight: int
    industries: tuple[str, ...]                 # who builds it (enterprise industries of the twinning demo)
    names: tuple[tuple[str, str], ...]          # project name templates with their nature
    sizes: tuple[int, ...]                      # the {n} of the name
    category: tuple[str, ...]                   # words of the classification directory item's name, tried in order
    industry_code: str                          # national-economy industry code (GB/T 4754)
    documents: tuple[int, int, int]             # weights of report book, report form, registration form
    investment: tuple[int, int]                 # total investment range, 万元
    content: str
    exempt: float = 0.0                         # share of its registrations outside the directory (exempt)
    commitment: float = 0.0                     # share of its report forms on notification-commitment
    sensitive: float = 0.03                     # share involving an environmentally sensitive area


KINDS = [
    Kind("feed", 8, ("食品加工",), (("年产{n}万吨饲料加工项目", "new"), ("年产{n}万吨生物饲料生产线技改项目", "renovation"),
                                    ("年产{n}万吨配合饲料扩建项目", "expansion")),
         (2, 3, 5, 8, 10, 15), ("饲料",), "C1320", (0, 35, 65), (600, 6000),
         "建设生产车间及原料仓库{area}平方米，购置粉碎、混合、制粒、冷却等生产设备{k}台（套），形成年产{n}万吨饲料的生产能力",
         commitment=0.25),
    Kind("paper_packaging", 7, ("造纸", "新材料"), (("年产{n}万平方米纸质包装材料项目", "new"),
                                                 ("年产{n}万平方米瓦楞纸箱包装材料技改项目", "renovation")),
         (500, 1000, 2000, 3000, 5000), ("纸制品",), "C2231", (0, 20, 80), (300, 5000),
         "租用标准厂房{area}平方米，购置瓦楞纸板生产线、印刷开槽机、模切机等设备{k}台（套），形成年产{n}万平方米包装材料的生产能力"),
    Kind("plastic_packaging", 6, ("新材料", "化工"), (("年产{n}吨塑料包装材料生产项目", "new"),
                                                  ("年产{n}吨食品级塑料包装膜扩建项目", "expansion")),
         (2000, 3000, 5000, 8000), ("塑料制品",), "C2921", (0, 30, 70), (500, 8000),
         "建设生产车间{area}平方米，购置吹膜机、流延机、分切机、印刷机等设备{k}台（套），形成年产{n}吨塑料包装材料的生产能力",
         commitment=0.2),
    Kind("electronics", 8, ("电子信息",), (("年产{n}万只电子元器件生产线项目", "new"), ("年产{n}万只片式电感器技改项目", "renovation"),
                                         ("年产{n}万套智能传感器模组扩建项目", "expansion")),
         (500, 1000, 3000, 5000), ("电子元件",), "C3981", (1, 30, 69), (1000, 20000),
         "建设洁净生产车间{area}平方米，购置贴片机、回流焊、绕线机、自动测试设备等{k}台（套），形成年产{n}万只电子元器件的生产能力",
         commitment=0.2),
    Kind("sewage_upgrade", 3, ("污水处理",), (("{town}污水处理厂提标改造工程", "renovation"), ("{town}污水处理厂二期扩建工程", "expansion"),
                                            ("{town}农村生活污水处理设施提升改造工程", "renovation")),
         (5000, 10000, 20000, 30000), ("污水处理",), "D4620", (2, 85, 13), (1500, 12000),
         "对现有日处理{n}吨污水处理设施进行提标改造，新增高效沉淀池、反硝化深床滤池等深度处理单元，出水由一级B提升至一级A标准",
         sensitive=0.1),
    Kind("rooftop_pv", 7, ("新能源", "机械制造", "纺织", "食品加工", "汽车零部件", "电子信息"),
         (("{n}MW屋顶分布式光伏发电项目", "new"),), (1, 2, 3, 5, 8), ("太阳能发电",), "D4416",
         (0, 0, 100), (300, 3000), "利用厂房屋顶约{area}平方米建设分布式光伏电站，装机容量{n}MW，所发电量自发自用、余电上网",
         exempt=0.85),
    Kind("ground_pv", 2, ("新能源",), (("{n}MW渔光互补光伏发电项目", "new"), ("{n}MW农光互补光伏发电项目", "new")),
         (10, 20, 30, 50), ("太阳能发电",), "D4416", (0, 55, 45), (4000, 25000),
         "利用鱼塘（农业大棚）上方空间建设光伏阵列，装机容量{n}MW，配套建设升压站及集电线路", sensitive=0.25),
    Kind("gravel", 4, ("建材",), (("年产{n}万吨砂石料加工项目", "new"), ("年产{n}万吨机制砂生产线技改项目", "renovation")),
         (20, 30, 50, 100), ("石墨及其他非金属矿物制品",), "C3099", (0, 65, 35), (800, 8000),
         "建设封闭式砂石料加工车间{area}平方米，配套破碎、筛分、制砂、洗砂及废水循环处理系统，形成年产{n}万吨砂石料的生产能力",
         sensitive=0.15),
    Kind("pig_farm", 4, ("食品加工",), (("年出栏{n}头生猪养殖场建设项目", "new"), ("年出栏{n}头生猪养殖场扩建项目", "expansion")),
         (3000, 5000, 10000, 20000), ("牲畜饲养",), "A0313", (0, 50, 50), (800, 10000),
         "新建标准化猪舍{area}平方米及配套饲料间、粪污处理设施，采用干清粪工艺，粪污经厌氧发酵后全部还田利用，年出栏生猪{n}头",
         sensitive=0.2),
    Kind("poultry_farm", 2, ("食品加工",), (("存栏{n}万羽蛋鸡标准化养殖场扩建项目", "expansion"),),
         (5, 10, 20), ("家禽饲养",), "A0321", (0, 40, 60), (500, 5000),
         "新建全封闭式叠层鸡舍{area}平方米及有机肥生产车间，鸡粪经发酵制成有机肥外售，存栏蛋鸡{n}万羽", sensitive=0.15),
    Kind("chemicals", 4, ("化工",), (("年产{n}吨水性涂料技改项目", "renovation"), ("年产{n}吨精细化学品项目", "new"),
                                   ("年产{n}吨塑料助剂扩建项目", "expansion")),
         (1000, 3000, 5000, 10000, 20000), ("涂料",), "C2641", (20, 70, 10), (2000, 30000),
         "在现有厂区内新建甲类车间{area}平方米及储罐区，新增反应釜、分散机、过滤机等设备{k}台（套），配套RTO废气焚烧装置，"
         "形成年产{n}吨产品的生产能力"),
    Kind("dyeing", 3, ("印染",), (("年产{n}万米高档面料印染技改项目", "renovation"), ("印染生产线节能减排提升改造项目", "renovation")),
         (1000, 3000, 5000, 8000), ("印染",), "C1713", (25, 65, 10), (1500, 20000),
         "淘汰落后定型机{k}台，新增高效节能染色机、定型机及废水分质处理设施，中水回用率提高至{pct}%，项目实施后年产面料{n}万米"),
    Kind("plating", 2, ("电镀",), (("电镀生产线提升改造项目", "renovation"), ("表面处理中心集中电镀车间建设项目", "new")),
         (5, 10, 20, 30), ("金属表面处理",), "C3360", (60, 38, 2), (1000, 15000),
         "新建自动化电镀生产线{k}条及含重金属废水分质处理设施，生产车间{area}平方米，年电镀加工{n}万平方米"),
    Kind("paper", 2, ("造纸",), (("年产{n}万吨高强瓦楞纸技改项目", "renovation"), ("年产{n}万吨生活用纸扩建项目", "expansion")),
         (3, 5, 10, 15), ("造纸222",), "C2221", (30, 60, 10), (5000, 50000),
         "新增纸机生产线及配套制浆、污水处理设施，生产车间{area}平方米，形成年产{n}万吨纸品的生产能力"),
    Kind("pharma", 2, ("制药",), (("年产{n}吨原料药项目", "new"), ("年产{n}亿片固体制剂生产线技改项目", "renovation")),
         (10, 30, 50, 100), ("化学药品",), "C2710", (40, 50, 10), (5000, 60000),
         "新建GMP生产车间{area}平方米，购置反应、结晶、干燥、压片等设备{k}台（套），配套废气、废水处理设施"),
    Kind("food", 8, ("食品加工",), (("年产{n}吨休闲食品生产线项目", "new"), ("年产{n}吨速冻食品扩建项目", "expansion"),
                                   ("年产{n}吨烘焙食品生产线技改项目", "renovation")),
         (1000, 2000, 5000, 10000), ("方便食品",), "C1439", (0, 20, 80), (300, 8000),
         "建设食品生产车间及冷库{area}平方米，购置自动化生产线{k}条，形成年产{n}吨食品的生产能力", commitment=0.25),
    Kind("beverage", 2, ("饮料制造",), (("年产{n}万吨饮用水及饮料生产线项目", "new"),),
         (5, 10, 20), ("饮料制造",), "C1525", (0, 40, 60), (2000, 20000),
         "建设灌装车间及成品仓库{area}平方米，购置吹瓶、灌装、包装生产线{k}条，形成年产{n}万吨饮料的生产能力"),
    Kind("machinery", 9, ("机械制造",), (("年产{n}台（套）智能装备制造项目", "new"), ("年产{n}台数控机床技改项目", "renovation"),
                                       ("年产{n}台（套）泵阀扩建项目", "expansion")),
         (200, 500, 1000, 3000), ("通用设备",), "C3421", (0, 25, 75), (1000, 15000),
         "建设生产车间{area}平方米，购置数控加工中心、激光切割机、焊接机器人及喷涂线等设备{k}台（套）", commitment=0.25),
    Kind("auto_parts", 6, ("汽车零部件",), (("年产{n}万套汽车零部件项目", "new"), ("年产{n}万件新能源汽车轻量化部件技改项目", "renovation")),
         (10, 30, 50, 100), ("汽车零部件",), "C3670", (1, 35, 64), (2000, 30000),
         "建设生产车间{area}平方米，购置压铸机、机加工中心、清洗及喷涂设备{k}台（套），形成年产{n}万套零部件的生产能力",
         commitment=0.2),
    Kind("weaving", 5, ("纺织",), (("年产{n}吨高档纺织面料织造项目", "new"), ("年产{n}万米家纺面料技改项目", "renovation")),
         (500, 1000, 3000), ("纺织",), "C1751", (0, 15, 85), (500, 8000),
         "建设织造车间{area}平方米，购置喷水织机、剑杆织机等设备{k}台，形成年产{n}吨（万米）面料的生产能力"),
    Kind("composites", 4, ("新材料",), (("年产{n}吨玻璃纤维增强复合材料项目", "new"), ("年产{n}吨高性能复合材料制品扩建项目", "expansion")),
         (1000, 3000, 5000, 10000), ("玻璃纤维增强塑料",), "C3062", (5, 50, 45), (2000, 30000),
         "建设生产车间{area}平方米，购置拉挤、缠绕、模压成型设备等{k}台（套），形成年产{n}吨新材料的生产能力"),
    Kind("batteries", 2, ("新能源",), (("年产{n}GWh储能电池项目", "new"), ("年产{n}万套储能系统集成项目", "new")),
         (1, 2, 5, 10), ("电池",), "C3841", (20, 60, 20), (10000, 80000),
         "建设电芯及模组生产车间{area}平方米，购置涂布、卷绕、化成、分容等设备{k}台（套），配套NMP回收装置"),
    Kind("hazardous_waste", 1, ("危废处置",), (("年处置{n}万吨危险废物综合利用项目", "new"), ("废矿物油综合利用技改项目", "renovation")),
         (1, 2, 3, 5), ("危险废物",), "N7724", (70, 30, 0), (3000, 30000),
         "建设危险废物贮存库、预处理车间及综合利用生产线，年处置利用危险废物{n}万吨，配套废气、废水处理设施"),
    Kind("solid_waste", 2, ("环保服务", "危废处置"), (("年处理{n}万吨一般工业固废资源化利用项目", "new"),),
         (1, 3, 5, 10), ("一般工业固体废物",), "N7723", (5, 80, 15), (1000, 10000),
         "建设一般工业固废分拣、破碎及资源化利用车间{area}平方米，年处理一般工业固废{n}万吨"),
]


@dataclass(frozen=True)
class Builder:
    id: int
    name: str
    town_id: int | None
    address: str
    contact_person: str
    contact_phone: str


@dataclass(slots=True)
class Story:
    """One application as planned: the project, the day it entered the register, each later step (cut at today)."""

    data: ProjectInput
    early: date | None
    received: date | None
    clerk: int | None
    steps: list[tuple[str, date, dict]] = field(default_factory=list)
    special: str = ""           # why it was planned relative to today ("" = an ordinary case)
    in_year: bool = False       # one of the year's cases (else ten-year history of `large`)
    number: str = ""
    id: int | None = None

    @property
    def entered(self) -> date:
        return self.early or self.received  # type: ignore[return-value]


@dataclass
class _Env:
    """What the stories are made of: the approval section's people, the builders, the towns, rules and calendar."""

    today: date
    towns: dict[int, str]
    parks: list[int]
    builders: dict[str, list[Builder]]     # industry -> builders
    anyone: list[Builder]
    clerks: list[int]                      # the administrative approval section (行政审批科)
    deciders: list[int]                    # its head and the deputy director in charge
    categories: dict[str, int | None]
    calendar: Any
    pattern: str
    names: list[str]
    _workday: dict = field(default_factory=dict)
    _later: dict = field(default_factory=dict)

    @classmethod
    def load(cls, ws, rng: random.Random, today: date) -> _Env:
        from envdesk.app.demo import person_names

        towns = [t for t in reference.list_towns(ws) if t.active]
        staff = [s for s in reference.list_staff(ws) if s.active]
        section = [s for s in staff if s.department_name == "行政审批科" and not s.is_leader]
        in_charge = [s for s in staff if s.is_leader and s.department_name == "行政审批科"]  # the deputy director
        clerks = [s.id for s in section[1:]] or [s.id for s in staff if not s.is_leader][:4] or [None]
        deciders = [s.id for s in section[:1] + in_charge] or [None]
        builders: dict[str, list[Builder]] = {}
        anyone: list[Builder] = []
        with ws.reading() as session:
            for row in session.execute(select(EnterpriseRow.id, EnterpriseRow.name_zh, EnterpriseRow.town_id,
                                              EnterpriseRow.address, EnterpriseRow.industry,
                                              EnterpriseRow.contact_person, EnterpriseRow.contact_phone)
                                       .order_by(EnterpriseRow.id)):
                builder = Builder(row.id, row.name_zh, row.town_id,
                                  row.address.removeprefix("浙江省").removeprefix("青溪县"), row.contact_person,
                                  row.contact_phone)
                builders.setdefault(row.industry, []).append(builder)
                anyone.append(builder)
        directory = categories()
        found: dict[str, int | None] = {}
        for kind in KINDS:
            found[kind.key] = next((c.number for word in kind.category for c in directory if word in c.name_zh), None)
        return cls(
            today=today, towns={t.id: t.name_zh for t in towns},
            parks=[t.id for t in towns if t.kind == "park"], builders=builders, anyone=anyone, clerks=clerks,
            deciders=deciders, categories=found, calendar=calendar_app.calendar(ws),
            pattern=settings_app.get_value(ws, "approvals/number_format"),
            names=person_names(rng, 300, {s.name for s in staff}))

    def workday(self, day: date) -> date:
        """The first working day on or after `day`."""
        if day not in self._workday:
            self._workday[day] = self.calendar.next_working_day(day)
        return self._workday[day]

    def later(self, day: date, count: int) -> date:
        """`count` working days after `day` (0: `day` itself, moved to a working day)."""
        memo = (day, count)
        if memo not in self._later:
            result = self.workday(day)
            for _i in range(count):
                result = self.workday(result + timedelta(days=1))
            self._later[memo] = result
        return self._later[memo]

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute)).astimezone()


# --- planning -------------------------------------------------------------------------------------

class _Planner:
    """Makes stories: which enterprise applies for what, and how the section handles it, day by day."""

    def __init__(self, ws, rng: random.Random, env: _Env) -> None:
        self.rng, self.env = rng, env
        self.kinds = KINDS
        self.weights = [k.weight for k in KINDS]
        self.limits = {(doc, track, clock.value): rule.limit
                       for doc in DocumentType for track in Track if track is not Track.EXEMPT
                       for clock, rule in approvals.rules(ws, doc, track).items()}

    # The days, and how many applications each brings.
    def days(self, first: date, last: date, count: int) -> Iterator[tuple[date, int]]:
        """`count` applications spread over the working days of first..last by season (exactly `count`)."""
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weights = [SEASON[d.month] if self.env.calendar.day_info(d)[0] else 0.0 for d in days]
        scale = count / (sum(weights) or 1)
        shares = [w * scale for w in weights]
        counts = [int(s) for s in shares]
        rest = count - sum(counts)
        for index in sorted(range(len(days)), key=lambda i: (counts[i] - shares[i], i))[:rest]:
            counts[index] += 1
        return zip(days, counts, strict=True)

    def project(self, day: date, kind: Kind | None = None, document: DocumentType | None = None,
                track: Track | None = None) -> tuple[ProjectInput, Kind]:
        """A project of a kind, built by an enterprise of its industry, applied for on `day`."""
        rng, env = self.rng, self.env
        if kind is None:
            kind = rng.choices(self.kinds, weights=self.weights)[0]
        candidates = [b for industry in kind.industries for b in env.builders.get(industry, ())] or env.anyone
        builder = rng.choice(candidates)
        if document is None:
            document = rng.choices(list(DocumentType), weights=kind.documents)[0]
        if track is None:
            if document is DocumentType.REGISTRATION_FORM:
                track = Track.EXEMPT if rng.random() < max(kind.exempt, 0.06) else Track.NORMAL
            elif document is DocumentType.REPORT_FORM and rng.random() < kind.commitment:
                track = Track.NOTIFICATION_COMMITMENT
            else:
                track = Track.GREEN_CHANNEL if rng.random() < 0.12 else Track.NORMAL
        template, nature = rng.choice(kind.names)
        n = rng.choice(kind.sizes)
        town_id = builder.town_id
        if nature == "new" and env.parks and rng.random() < 0.4:
            town_id = rng.choice(env.parks)
            location = f"{env.towns.get(town_id, '')}{rng.choice(PARK_ROADS)}{rng.randint(1, 300)}号"
        else:
            location = builder.address
        town = env.towns.get(town_id, "青溪县")
        name = template.format(n=n, town=town.removesuffix("街道").removesuffix("镇").removesuffix("乡") or town)
        low, high = kind.investment
        total = round(math.exp(rng.uniform(math.log(low), math.log(high))))
        if document is DocumentType.REGISTRATION_FORM:
            total = max(round(total * 0.4), 50)
        env_share = rng.uniform(0.02, 0.12)
        key = track is Track.GREEN_CHANNEL or (document is not DocumentType.REGISTRATION_FORM and
                                               total >= 10000 and rng.random() < 0.5)
        if document is DocumentType.REGISTRATION_FORM or rng.random() < 0.1:
            code = "" if rng.random() < 0.5 else self.project_code(day, kind)
        else:
            code = self.project_code(day, kind)
        from envdesk.app.demo import mobile_number

        own_contact = rng.random() < 0.7 and builder.contact_person
        level = "own"
        if document is DocumentType.REPORT_BOOK:
            level = rng.choices(["own", "delegated", "passed_up"], weights=[50, 20, 30])[0]
        elif document is DocumentType.REPORT_FORM and rng.random() < 0.12:
            level = "delegated"
        institution = rng.choice(INSTITUTIONS)
        if document is DocumentType.REGISTRATION_FORM and rng.random() < 0.7:
            institution = ""  # filled in online by the builder itself
        data = ProjectInput(
            name=name, builder_id=builder.id, document_type=document.value, track=track.value, level=level,
            nature=nature, contact_person=builder.contact_person if own_contact else rng.choice(env.names),
            contact_phone=builder.contact_phone if own_contact else mobile_number(rng), project_code=code,
            location=location, town_id=town_id,
            content_scale=kind.content.format(n=n, area=rng.randrange(1500, 30000, 100), k=rng.randint(6, 80),
                                              pct=rng.choice([40, 45, 50, 55, 60])),
            category=env.categories.get(kind.key), industry_code=kind.industry_code,
            total_investment=Decimal(total).quantize(Decimal("0.01")),
            env_investment=Decimal(str(round(total * env_share, 1))).quantize(Decimal("0.01")),
            sensitive_area=rng.random() < kind.sensitive, planned_start=day + timedelta(days=rng.randint(20, 150)),
            key_project=key, preparing_institution=institution, handler_id=rng.choice(env.clerks))
        return data, kind

    def project_code(self, day: date, kind: Kind) -> str:
        """An investment project code as the online approval platform gives it (备案 03 or 核准 02)."""
        rng = self.rng
        year = day.year - (1 if rng.random() < 0.3 else 0)
        return f"{year}-{AREA_CODE}-{kind.industry_code[1:3]}-{'03' if rng.random() < 0.85 else '02'}-" \
               f"{rng.randint(1, 999999):06d}"

    def story(self, day: date, **options) -> Story:
        """An application received on `day` (or, with early involvement, prepared before), its steps planned."""
        rng = self.rng
        data, _kind = self.project(day, options.pop("kind", None), options.pop("document", None),
                                   options.pop("track", None))
        early = None
        if data.document_type != DocumentType.REGISTRATION_FORM.value and data.track != Track.EXEMPT.value and \
                rng.random() < (0.5 if data.key_project else 0.15):
            early = day - timedelta(days=rng.randint(20, 150))
            if not options and rng.random() < 0.06:  # involved early on `day`, the builder later gave it up
                s = Story(data, day, None, data.handler_id)
                gave_up = self.env.workday(day + timedelta(days=rng.randint(30, 240)))
                if gave_up <= self.env.today:
                    s.steps.append(("withdraw", gave_up, {"reason": ABANDONED, "actor": s.clerk}))
                return s
        s = Story(data, early, day, data.handler_id)
        self.plan(s, **options)
        return s

    def plan(self, s: Story, *, notify: bool | None = None, outcome: str = "", withdraw: bool | None = None,
             late: bool | None = None, pauses: list[str] | None = None, accepted: date | None = None) -> None:
        """The steps after receipt, in date order, keeping those done by today."""
        self._steps(s, notify, outcome, withdraw, late, pauses, accepted)
        s.steps.sort(key=lambda step: step[1])  # stable: same-day steps keep their order
        s.steps[:] = [step for step in s.steps if step[1] <= self.env.today]

    def _steps(self, s: Story, notify, outcome, withdraw, late, pauses, accepted_on) -> None:
        rng, env, steps = self.rng, self.env, s.steps
        doc, track = DocumentType(s.data.document_type), Track(s.data.track)
        received, clerk = s.received, s.clerk
        assert received is not None
        if s.early is not None:
            steps.append(("receive", received, {"actor": clerk}))
        if track is Track.EXEMPT:
            return
        if withdraw is None:
            withdraw = rng.random() < 0.015
        if doc is DocumentType.REGISTRATION_FORM:
            filed = received if rng.random() < 0.96 else env.later(received, 1)
            steps.append(("file", filed, {"actor": clerk}))
            return
        # The one-time notification of missing materials, or acceptance within the five days.
        if notify is None:
            notify = track is not Track.NOTIFICATION_COMMITMENT and \
                rng.random() < (0.45 if doc is DocumentType.REPORT_BOOK else 0.3)
        if accepted_on is not None:
            accepted = accepted_on
        elif notify:
            notified = env.workday(received + timedelta(days=rng.choice([0, 1, 1, 2, 2, 3])))
            pool = MISSING_ITEMS + ([PUBLIC_PARTICIPATION] if doc is DocumentType.REPORT_BOOK else [])
            items = rng.sample(pool, rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0])
            if doc is DocumentType.REPORT_BOOK and PUBLIC_PARTICIPATION not in items and rng.random() < 0.4:
                items.append(PUBLIC_PARTICIPATION)
            steps.append(("request_materials", notified, {"items": items, "actor": clerk}))
            if withdraw and rng.random() < 0.5:
                steps.append(("withdraw", env.workday(notified + timedelta(days=rng.randint(10, 60))),
                              {"reason": WITHDRAWALS[3], "actor": clerk}))
                return
            accepted = env.workday(notified + timedelta(days=rng.randint(2, 20)))
        elif track is Track.NOTIFICATION_COMMITMENT:
            accepted = received
        else:  # a few are accepted after the five days: by law they count as accepted on receipt
            accepted = env.workday(received + timedelta(days=rng.choices([0, 1, 2, 3, 4, 8],
                                                                         weights=[30, 30, 18, 12, 7, 3])[0]))
        steps.append(("accept", accepted, {"actor": clerk}))
        if withdraw:
            steps.append(("withdraw", env.later(accepted, rng.randint(1, 5)),
                          {"reason": rng.choice(WITHDRAWALS[:3]), "actor": clerk}))
            return
        # How many working days the review takes (pauses not counted): mostly inside the promised limit.
        promised = self.limits[(doc, track, "promised")]
        if late is None:
            late = rng.random() < (0.06 if track is Track.NORMAL else 0.03)
        if track is Track.NOTIFICATION_COMMITMENT:
            work = rng.choice([0, 0, 1]) if not late else rng.randint(2, 3)
        elif late:
            work = rng.randint(promised + 1, promised + max(3, promised // 2))
        else:
            work = rng.randint(max(1, promised // 3), promised)
        if pauses is None:
            pauses = []
            if track is not Track.NOTIFICATION_COMMITMENT:
                if doc is DocumentType.REPORT_BOOK:
                    pauses.append("technical_evaluation" if rng.random() < 0.4 else "expert_review")
                    if rng.random() < 0.4:
                        pauses.append("applicant_revision")
                    if rng.random() < 0.9:
                        pauses.append("public_notice")
                else:
                    if rng.random() < (0.35 if track is Track.NORMAL else 0.25):
                        pauses.append("expert_review")
                        if rng.random() < 0.35:
                            pauses.append("applicant_revision")
                    if rng.random() < 0.5:
                        pauses.append("public_notice")
        # Split the working days among the stretches before, between and after the pauses.
        cuts = sorted(rng.randint(0, work) for _p in pauses)
        stretches = [b - a for a, b in zip([0, *cuts], [*cuts, work], strict=True)]
        cursor = accepted
        for index, kind in enumerate(pauses):
            start = env.later(cursor, max(stretches[index], 1 if index else 0))
            if kind == "public_notice":
                reason = PAUSE_REASONS[kind][1 if doc is DocumentType.REPORT_BOOK and index == 0 else 0]
                length = (env.later(start, 10 if "10个" in reason else 5) - start).days
            else:
                reason = rng.choice(PAUSE_REASONS[kind])
                length = rng.randint(10, 30) if doc is DocumentType.REPORT_BOOK else rng.randint(4, 15)
            last = start + timedelta(days=length - 1)
            steps.append(("pause", start, {"kind": kind, "reason": reason, "actor": clerk}))
            steps.append(("resume", last + timedelta(days=1), {"last": last, "actor": clerk}))
            cursor = last
        decided = env.later(cursor, max(stretches[-1], 1 if pauses else 0))
        if not outcome:
            outcome = Outcome.NOT_APPROVED.value if rng.random() < (
                0.05 if doc is DocumentType.REPORT_BOOK else 0.02) else Outcome.APPROVED.value
        note = rng.choice(REFUSALS) if outcome == Outcome.NOT_APPROVED.value else rng.choice(APPROVAL_NOTES)
        steps.append(("decide", decided, {"outcome": outcome, "note": note, "actor": rng.choice(env.deciders),
                                          "series": "passed_up" if s.data.level == "passed_up" else "own"}))

    # A whole period.
    def period(self, first: date, last: date, count: int) -> list[Story]:
        stories = []
        for day, n in self.days(first, last, count):
            for _i in range(n):
                stories.append(self.story(day))
        return stories

    def year(self, count: int) -> list[Story]:
        """The year up to today: ordinary cases with the ones the Overview and the leaders watch mixed in."""
        today = self.env.today
        first = today - timedelta(days=364)
        specials = self.specials(first)
        stories = self.period(first, today, max(count - len(specials), 0))
        for s in stories:
            s.in_year = True
        for s in specials:
            s.in_year = True
        stories.extend(specials)
        stories.sort(key=lambda s: s.entered)
        return stories

    def specials(self, first: date) -> list[Story]:
        """Cases at ages that put them in each open stage today, and a few refusals and withdrawals."""
        rng, env, today = self.rng, self.env, self.env.today
        form, book = DocumentType.REPORT_FORM, DocumentType.REPORT_BOOK

        def working_days_ago(low: int, high: int) -> date:
            return max(_previous(env, today, rng.randint(low, high)), first)

        result: list[Story] = []
        # Being prepared: the EIA document is still being written (early involvement).
        for _i in range(12):
            data, _kind = self.project(today, document=rng.choice([form, form, form, book]),
                                       track=rng.choice([Track.NORMAL, Track.NORMAL, Track.GREEN_CHANNEL]))
            data = _with(data, key_project=data.key_project or rng.random() < 0.4)
            early = today - timedelta(days=rng.randint(3, 150))
            result.append(Story(data, early, None, data.handler_id, special="preparing"))
        # Received in the last days: the one-time notification clock runs; one was forgotten (overdue).
        for days in (0, 1, 2):
            s = self.story(working_days_ago(days, days), document=form, notify=False)
            s.steps.clear()
            s.early = None
            s.special = "received"
            result.append(s)
        s = self.story(working_days_ago(7, 7), document=form, track=Track.NORMAL)
        s.steps.clear()
        s.early = None
        s.special = "received_late"
        result.append(s)
        # Waiting for the applicant's missing materials.
        for _i in range(4):
            s = self.story(working_days_ago(4, 25), document=rng.choice([form, form, book]), notify=True)
            s.steps[:] = [step for step in s.steps if step[0] in ("receive", "request_materials")]
            s.special = "materials"
            result.append(s)
        # Under review, due within the next working days, and two overdue (promised limit passed).
        for target, track in ((0, Track.NORMAL), (1, Track.GREEN_CHANNEL), (2, Track.NORMAL), (3, Track.NORMAL),
                              (-2, Track.NORMAL), (-6, Track.NORMAL)):
            accepted = self.accepted_for(form, track, target)
            received = _previous(env, accepted) if rng.random() < 0.5 else accepted
            s = self.story(received, document=form, track=track, notify=False, accepted=accepted, pauses=[])
            s.steps[:] = [step for step in s.steps if step[0] in ("receive", "accept")]
            s.special = "due_soon" if target >= 0 else "overdue"
            result.append(s)
        # Paused now: expert review, public notice, the applicant revising.
        for kind, doc, ago in (("expert_review", form, (2, 8)), ("public_notice", form, (1, 3)),
                               ("applicant_revision", book, (10, 25)), ("technical_evaluation", book, (5, 15))):
            start = working_days_ago(*ago)
            accepted = env.later(start - timedelta(days=rng.randint(4, 12)), 0)
            accepted = min(accepted, start)
            s = self.story(_previous(env, accepted), document=doc, track=Track.NORMAL, notify=False,
                           accepted=accepted, pauses=[])
            s.steps[:] = [step for step in s.steps if step[0] in ("receive", "accept")]
            reason = rng.choice(PAUSE_REASONS[kind]) if kind != "public_notice" else PAUSE_REASONS[kind][0]
            s.steps.append(("pause", start, {"kind": kind, "reason": reason, "actor": s.clerk}))
            s.special = "paused"
            result.append(s)
        # Refused and withdrawn within the year.
        for _i in range(3):
            day = env.workday(today - timedelta(days=rng.randint(70, 330)))
            s = self.story(day, document=rng.choice([form, book]), track=Track.NORMAL, outcome="not_approved",
                           withdraw=False)
            s.special = "not_approved"
            result.append(s)
        for _i in range(3):
            day = env.workday(today - timedelta(days=rng.randint(30, 330)))
            s = self.story(day, document=rng.choice([form, form, book]), track=Track.NORMAL, withdraw=True)
            s.special = "withdrawn"
            result.append(s)
        return result

    def accepted_for(self, doc: DocumentType, track: Track, target: int) -> date:
        """An acceptance day whose promised due date is `target` working days from today (negative: ago)."""
        env, today = self.env, self.env.today
        wanted = env.later(today, target) if target >= 0 else _previous(env, today, -target)
        promised = self.limits[(doc, track, "promised")]
        day = _previous(env, wanted, promised)
        return min(day, today)


def _previous(env: _Env, day: date, count: int = 1) -> date:
    """`count` working days before `day`."""
    for _i in range(count):
        day -= timedelta(days=1)
        while not env.calendar.day_info(day)[0]:
            day -= timedelta(days=1)
    return day


def _with(data: ProjectInput, **changes) -> ProjectInput:
    from dataclasses import replace

    return replace(data, **changes)


def numbered(env: _Env, stories: list[Story]) -> list[Story]:
    """Case numbers in the order cases entered the register, per year; decision and filing numbers in the order
    of the decisions, per year (批复文号 like 青环审〔2026〕12号, filing numbers like the online system's)."""
    stories = sorted(stories, key=lambda s: s.entered)
    seq: dict[int, int] = {}
    for s in stories:
        year = s.entered.year
        seq[year] = seq.get(year, 0) + 1
        s.number = format_number(env.pattern, year, seq[year])
    decisions = sorted(((day, order, o, action) for order, s in enumerate(stories)
                        for action, day, o in s.steps if action in ("decide", "file")),
                       key=lambda item: (item[0], item[1]))
    counters: dict[tuple[str, int], int] = {}
    for day, _order, o, action in decisions:
        series = o.get("series", "file") if action == "decide" else "file"
        counters[(series, day.year)] = counters.get((series, day.year), 0) + 1
        n = counters[(series, day.year)]
        if action == "file":
            o["number"] = f"{day.year}{AREA_CODE}{n:08d}"
        else:
            o["number"] = f"{DECISION_SERIES[series]}〔{day.year}〕{n}号"
    return stories


# --- writing through the use cases ------------------------------------------------------------------

def _replay(ws, env: _Env, s: Story) -> None:
    """Write one story through the register's use cases, step by step."""
    today = env.today
    case, _c = approvals.register(ws, s.data, received_on=None if s.early else s.received,
                                  early_involvement_on=s.early, actor_id=s.clerk, number=s.number, today=today)
    s.id = case.id
    for action, day, o in s.steps:
        actor = o.get("actor")
        if action == "receive":
            approvals.receive(ws, s.id, day, actor, today=today)
        elif action == "request_materials":
            approvals.request_materials(ws, s.id, day, o["items"], actor, today=today)
        elif action == "accept":
            approvals.accept(ws, s.id, day, actor, today=today)
        elif action == "pause":
            approvals.pause(ws, s.id, o["kind"], day, o["reason"], actor, today=today)
        elif action == "resume":
            approvals.resume(ws, s.id, o["last"], actor, today=today)
        elif action == "decide":
            approvals.decide(ws, s.id, o["outcome"], day, o["number"], o["note"], actor, today=today)
        elif action == "file":
            approvals.file_registration(ws, s.id, day, o["number"], actor, today=today)
        elif action == "withdraw":
            approvals.withdraw(ws, s.id, day, o["reason"], actor, today=today)
        else:  # pragma: no cover - a planning mistake
            raise AssertionError(action)


# --- writing in bulk --------------------------------------------------------------------------------

_STATUS_AFTER = {"receive": Status.RECEIVED.value, "request_materials": Status.MATERIALS_REQUESTED.value,
                 "accept": Status.UNDER_REVIEW.value, "pause": Status.PAUSED.value,
                 "resume": Status.UNDER_REVIEW.value, "file": Status.FILED.value,
                 "withdraw": Status.WITHDRAWN.value}


class _BulkWriter:
    """Writes stories as rows, a chunk per transaction, with case ids given here so pauses and steps refer to them.

    Each row is what the use cases leave behind: the same fields, event notes, versions (every step writes the row
    twice: the step, then its clocks with the time of change) and due dates (approvals._store_dues on a stand-in row
    after the last step, as of today)."""

    def __init__(self, ws, env: _Env, progress) -> None:
        self.ws, self.env, self.progress = ws, env, progress
        self.sqlite = ws.dialect == "sqlite"
        with ws.reading() as session:
            self.next_id = (session.scalar(select(func.max(ApprovalRow.id))) or 0) + 1
        self.written = 0
        self.pause_labels = {k.value: k.label for k in PauseKind}
        self._clear()

    def _clear(self) -> None:
        self.cases: list[dict] = []
        self.pauses: list[dict] = []
        self.events: list[dict] = []

    def add(self, s: Story) -> None:
        env, d = self.env, s.data
        s.id = case_id = self.next_id
        self.next_id += 1
        made = env.at(s.entered, 9, 30)
        status = Status.EXEMPT if d.track == Track.EXEMPT.value else \
            Status.RECEIVED if s.early is None else Status.PREPARING
        row = {
            "id": case_id, "number": s.number, "name": d.name, "builder_id": d.builder_id,
            "contact_person": d.contact_person, "contact_phone": d.contact_phone, "project_code": d.project_code,
            "location": d.location, "town_id": d.town_id, "nature": Nature(d.nature).value,
            "content_scale": d.content_scale, "category": d.category, "industry_code": d.industry_code,
            "total_investment": d.total_investment, "env_investment": d.env_investment,
            "sensitive_area": d.sensitive_area, "planned_start": d.planned_start, "key_project": d.key_project,
            "preparing_institution": d.preparing_institution, "document_type": d.document_type, "track": d.track,
            "level": d.level, "handler_id": d.handler_id, "status": status.value, "early_involvement_on": s.early,
            "received_on": None if s.early else s.received, "notified_on": None, "missing_items": [],
            "accepted_on": None, "decided_on": None, "outcome": "", "document_number": None, "decision_note": "",
            "withdrawn_on": None, "statutory_due": None, "promised_due": None, "next_due": None,
            "statutory_used": None, "working_days_used": None,
            "version": 2, "created_at": made, "updated_at": made}  # register writes twice: the row, then its clocks
        pauses: list[SimpleNamespace] = []
        events = self.events
        events.append({"approval_id": case_id, "event_date": s.entered, "recorded_at": made, "action": "register",
                       "status": row["status"], "staff_id": s.clerk, "note": ""})
        for action, day, o in s.steps:
            note = ""
            if action == "receive":
                row["received_on"] = day
            elif action == "request_materials":
                row["notified_on"], row["missing_items"] = day, list(o["items"])
                note = "; ".join(o["items"])
            elif action == "accept":
                row["accepted_on"] = day
            elif action == "pause":
                pauses.append(SimpleNamespace(kind=o["kind"], start_on=day, end_on=None, reason=o["reason"],
                                              version=1, made=env.at(day, 10)))
                note = f"{self.pause_labels[o['kind']]}: {o['reason']}"
            elif action == "resume":
                open_ = next(p for p in pauses if p.end_on is None)
                open_.end_on = o["last"]
                open_.version += 1
                open_.made_end = env.at(day, 10)
                day = o["last"] + timedelta(days=1)
            elif action == "decide":
                row.update(document_number=o["number"], decided_on=day, outcome=o["outcome"],
                           decision_note=o["note"])
                row["status"] = Status.APPROVED.value if o["outcome"] == Outcome.APPROVED.value else \
                    Status.NOT_APPROVED.value
                note = o["number"]
            elif action == "file":
                row.update(document_number=o["number"] or None, decided_on=day, outcome=Status.FILED.value)
                note = o["number"] or ""
            elif action == "withdraw":
                for open_ in (p for p in pauses if p.end_on is None):
                    open_.end_on = max(open_.start_on, day)
                    open_.version += 1
                row.update(withdrawn_on=day, decision_note=o["reason"])
                note = o["reason"]
            else:  # pragma: no cover - a planning mistake
                raise AssertionError(action)
            row["status"] = _STATUS_AFTER.get(action, row["status"])
            row["version"] += 2  # the step, then the clocks stored with the time of change
            row["updated_at"] = env.at(day, 16)
            events.append({"approval_id": case_id, "event_date": day, "recorded_at": env.at(day, 16),
                           "action": action, "status": row["status"], "staff_id": o.get("actor"), "note": note})
        self._store(row, pauses)
        self.cases.append(row)
        self.pauses.extend({"approval_id": case_id, "kind": p.kind, "start_on": p.start_on, "end_on": p.end_on,
                            "reason": p.reason, "version": p.version, "created_at": p.made,
                            "updated_at": getattr(p, "made_end", p.made)} for p in pauses)
        if len(self.cases) >= CHUNK:
            self.flush()

    def _store(self, row: dict, pauses: list[SimpleNamespace]) -> None:
        """The clocks the register stores for the case as it stands after its last step (as of today)."""
        stand_in = SimpleNamespace(**row)
        stand_in.pauses = sorted(pauses, key=lambda p: p.start_on)
        approvals._store_dues(self.ws, stand_in, self.env.today)
        for key in ("statutory_due", "promised_due", "next_due", "statutory_used", "working_days_used"):
            row[key] = getattr(stand_in, key)

    def flush(self) -> None:
        if not self.cases:
            return
        self.progress.check()
        with self.ws.transaction() as session:
            session.execute(insert(ApprovalRow.__table__), self.cases)
            if self.pauses:
                session.execute(insert(PauseRow.__table__), self.pauses)
            session.execute(insert(ApprovalEventRow.__table__), self.events)
        self.written += len(self.cases)
        self._clear()

    def finish(self) -> None:
        """Flush, and on PostgreSQL move the id sequence past the ids given here."""
        self.flush()
        if not self.sqlite and self.written:
            with self.ws.transaction() as session:
                session.execute(text("SELECT setval(pg_get_serial_sequence('approval', 'id'), "
                                     "(SELECT max(id) FROM approval))"))


# --- the step -------------------------------------------------------------------------------------

def write(ws, env: _Env, stories: list[Story], progress,
          through_use_cases: Callable[[Story], bool] = lambda s: s.in_year) -> None:
    """Write numbered stories: the year's through the use cases, the rest in bulk (first, with the ids it gives)."""
    writer = _BulkWriter(ws, env, progress)
    replayed = []
    for s in stories:
        if through_use_cases(s):
            replayed.append(s)
        else:
            writer.add(s)
    writer.finish()
    for index, s in enumerate(replayed):
        _replay(ws, env, s)
        if index % 20 == 0:
            progress.check()


def approvals_demo(ctx: DemoContext, large_extra: int = LARGE_EXTRA) -> str:
    """The demo's approvals register; returns one line saying what it added."""
    real_ws, rng, today = ctx.ws, ctx.rng, date.today()
    ws = _Steady(real_ws)
    env = _Env.load(ws, rng, today)
    planner = _Planner(ws, rng, env)
    stories = planner.year(YEAR_COUNT)
    if ctx.size == "large":
        start = today - timedelta(days=round(365.25 * LARGE_YEARS) - 1)
        stories += planner.period(start, today, large_extra)
    ctx.progress.check()
    # The last two months and the cases planned around today go through the use cases (their clocks, steps and
    # stored due dates are the real thing); the rest of the year is written in bulk, which a test shows to be
    # the same data, and keeps the small demo quick.
    recent = today - timedelta(days=60)
    write(ws, env, numbered(env, stories), ctx.progress,
          through_use_cases=lambda s: s.in_year and (bool(s.special) or s.entered >= recent))
    with real_ws.reading() as session:
        counts = dict(session.execute(select(ApprovalRow.status, func.count()).group_by(ApprovalRow.status)).all())
    open_count = sum(counts.get(s.value, 0) for s in Status if s.is_open)
    overdue = approvals.count_cases(real_ws, approvals.ApprovalFilter(overdue_only=True), today=today)
    return _("{cases} approval cases ({open} open, {overdue} overdue)").format(
        cases=sum(counts.values()), open=open_count, overdue=overdue)
