"""Demo data for the complaints register: a year of complaints up to today from every channel, in every state
of the workflow, with clocks, repeats, key and skip-level cases; `--size large` adds ten years of history.

Every complaint is first planned as a story (who complained about what, and each step with its date); the story is
cut at today, then written one of two ways:

- through the register's own use cases (register, decide, assign, record_handling, extend, reply, follow_up,
  close, reopen, request_review, answer_review, set_flags): the last two weeks' complaints and every special case
  (extensions, a reopened case, reviews, key and skip-level cases, the overdue ones the Overview lists);
- in bulk (SQLAlchemy core executemany into complaint, complaint_pollution, complaint_link, complaint_event,
  complaint_handling and the search index) for the rest, mostly settled history, with the fields, events, handling
  records and stored due dates the use cases would have written: the same clocks (settings rules and the working-
  day calendar through compute_deadline), the same event notes and the same search tokens as app.complaints._index.

The use cases cost about 4 ms a step even with the settings held steady (see _Steady), so a year written entirely
through them would take half a minute, and every test that starts from the demo would pay it; the bulk path keeps
`small` at a few seconds and `large` (100,000 more) well under two minutes. A test writes the same stories both ways
and checks they read back identically (tests/unit/app/test_complaints.py).
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, Text, column, func, insert, select, table, text
from sqlalchemy.dialects import postgresql

from envdesk.app import calendar as calendar_app
from envdesk.app import complaints, reference
from envdesk.app import settings as settings_app
from envdesk.app.complaints import ComplaintInput
from envdesk.domain.complaints import Channel, HandlingKind, Satisfaction, Status, bigrams, format_number
from envdesk.domain.deadlines import compute_deadline
from envdesk.i18n import _
from envdesk.store.complaints import (
    ComplaintEventRow,
    ComplaintLinkRow,
    ComplaintPollutionRow,
    ComplaintRow,
    HandlingRow,
)
from envdesk.store.twinning import EnterpriseRow

if TYPE_CHECKING:
    from envdesk.app.demo import DemoContext

YEAR_COUNT = 1000        # complaints in the year up to today (both sizes)
LARGE_EXTRA = 100_000    # `--size large` adds these over the ten years up to today, in bulk
LARGE_YEARS = 10
RECENT_DAYS = 14         # the year's complaints received since then go through the use cases
CHUNK = 5000             # bulk rows per transaction

# Channels in the proportions a county bureau sees: the two hotlines bring most complaints.
CHANNELS = [("12369", 32), ("12345", 33), ("online", 10), ("phone", 7), ("visit", 6), ("letter", 4),
            ("mailbox", 3), ("assigned", 4), ("fax", 1)]
ANONYMOUS_CHANNELS = [("12369", 45), ("online", 25), ("letter", 15), ("12345", 10), ("mailbox", 5)]
# Complaints rise in the summer (windows open, noise and odour) and fall over the Spring Festival.
SEASON = {1: 0.7, 2: 0.6, 3: 0.8, 4: 0.9, 5: 1.1, 6: 1.3, 7: 1.45, 8: 1.4, 9: 1.1, 10: 0.9, 11: 0.8, 12: 0.7}
HOURS = [(7, 2), (8, 6), (9, 10), (10, 10), (11, 8), (12, 3), (13, 4), (14, 8), (15, 8), (16, 7), (17, 5),
         (18, 4), (19, 4), (20, 4), (21, 5), (22, 5), (23, 3), (0, 1), (1, 1)]

ROADS = ["人民路", "解放路", "新华路", "中山路", "文化路", "建设路", "青溪大道", "东湖路", "北门街", "南环路",
         "工业路", "滨江路", "开发大道", "创业路", "环城北路", "新安大街", "科技路", "兴业街", "临湖路", "富民路"]
COMMUNITIES = ["阳光花园", "锦绣华庭", "翠苑小区", "滨江花园", "金色家园", "书香门第", "青溪名苑", "东湖嘉园",
               "世纪新城", "桂花园", "和平里小区", "新村小区", "紫荆花园", "碧水湾", "康乐新村", "丽景苑"]
VILLAGES = ["上塘村", "下湾村", "新联村", "红星村", "长乐村", "前进村", "大溪村", "石门村", "白云村", "后山村",
            "枫树村", "黄泥岭村", "双溪村", "徐家村", "方家坞村"]
RIVERS = ["青溪", "白沙溪", "龙泉河", "柳溪", "东湖", "三江口河段", "新塘河", "梅岭水库下游"]
SHOPS = ["老王烧烤", "蜀香火锅店", "湘味小炒", "阿强大排档", "福记小龙虾", "兰州拉面馆", "大众快餐店", "金牌烤鱼",
         "东北饺子馆", "好再来农家乐", "川味麻辣烫", "老街烧饼铺", "明记夜宵店", "渔家小馆"]
NOISY_SHOPS = ["金嗓子KTV", "欢乐迪KTV", "时尚服装店", "好又多超市", "老张手机店", "星光酒吧", "天天鲜水果店"]
PROJECTS = ["{community}三期项目工地", "青溪中学改扩建工程工地", "县人民医院新院区工地", "{road}市政管网改造工程",
            "城东安置房项目工地", "{road}道路拓宽工程", "{brand}府住宅项目工地", "{community}旁商业综合体工地",
            "青溪大桥拓宽工程", "{road}污水管网提升改造工程"]
BRANDS = ["宏达", "恒信", "天成", "新宇", "金鼎", "瑞丰", "万通", "嘉禾", "明珠", "华盛", "德润", "锦程"]
WHEN = ["晚上十点以后", "凌晨一两点", "每天傍晚", "周末夜间", "深夜", "晚上十一点多", "每天清晨五点多"]
SQUARES = ["{community}小区中心广场", "{road}文化广场", "{town}人民广场", "{community}东门空地", "{town}滨河公园"]


@dataclass(frozen=True)
class Matter:
    """A kind of complaint: how residents put it, whom it names, and how the bureau handles it."""

    key: str
    topic: str                                  # how a reply names the problem
    weight: int
    texts: tuple[tuple[str, tuple[str, ...]], ...]  # content templates with their pollution types
    industries: tuple[str, ...] = ()            # enterprises of the register it names
    free: tuple[str, ...] = ()                  # or free-text subjects
    places: tuple[str, ...] = ("{town}{road}{number}号", "{town}{community}附近", "{town}{road}与{road2}交叉口")
    enterprise_share: float = 0.0               # how often it names an enterprise when both are possible
    departments: tuple[str, ...] = ("生态环境监察大队",)
    assisting: tuple[str, ...] = ()
    monitor: str = ""                           # what is measured when monitoring is done
    monitoring: float = 0.0
    transfer: float = 0.0                       # outside the bureau's remit: transferred to…
    transfer_to: tuple[str, ...] = ()
    found: tuple[str, ...] = ("现场检查发现反映的问题确实存在",)
    action: tuple[str, ...] = ("责令其立即整改",)


MATTERS = [
    Matter("cooking", "油烟扰民", 13, (
        ("{loc}的{subj}油烟直排，没有安装油烟净化设施，每天中午和晚上油烟很大，楼上住户家里不敢开窗，请求尽快处理。",
         ("cooking_fumes",)),
        ("{subj}的排烟管道直接对着居民楼窗户，油烟和异味扰民，多次与店主沟通没有结果。", ("cooking_fumes", "odour")),
        ("{subj}{when}在店门口露天烧烤，油烟弥漫，食客喧哗，噪声扰民，影响周边居民休息。",
         ("cooking_fumes", "social_noise")),
        ("{loc}{subj}油烟净化器形同虚设，从来不开，油烟味道熏得人喘不过气。", ("cooking_fumes",))),
        free=("{shop}",), places=("{town}{road}{number}号",), transfer=0.18, transfer_to=("县综合行政执法局",),
        assisting=("环境监测站",),
        monitor="油烟排放浓度", monitoring=0.2,
        found=("油烟净化设施未开启，排烟管道朝向居民住宅", "油烟净化器长期未清洗，油烟排放浓度超标"),
        action=("责令其清洗并正常使用油烟净化设施、规范设置排烟管道", "责令其停止露天烧烤，安装油烟净化设施")),
    Matter("construction", "夜间施工噪声扰民", 13, (
        ("{subj}夜间施工噪声扰民，{when}还在打桩、浇筑混凝土，严重影响周边居民休息，希望依法查处。",
         ("construction_noise",)),
        ("{subj}连续多天通宵施工，混凝土搅拌车进进出出，噪声很大，小孩晚上无法入睡，请求制止夜间施工。",
         ("construction_noise",)),
        ("{subj}没有办理夜间施工证明，{when}仍有切割、敲打的声音，噪声扰民。", ("construction_noise",)),
        ("{subj}施工扬尘严重，渣土车不覆盖、不冲洗，道路上粉尘很大，晚上还夜间施工，噪声扰民。",
         ("construction_noise", "dust"))),
        free=PROJECTS, transfer=0.06, transfer_to=("县住房和城乡建设局",), assisting=("环境监测站",),
        monitor="施工场界噪声", monitoring=0.35,
        found=("该工地存在夜间施工行为，未取得夜间施工证明", "夜间施工场界噪声超过排放标准"),
        action=("责令施工单位立即停止夜间施工，并依法立案查处", "责令施工单位合理安排作业时间，抄告住建部门")),
    Matter("square", "广场舞噪声扰民", 5, (
        ("{subj}每天晚上广场舞音响声音太大，一直跳到九点半以后，噪声扰民，老人小孩无法休息。", ("social_noise",)),
        ("{subj}{when}有人跳广场舞、放音乐，音箱开得很大声，噪声扰民，希望管一管。", ("social_noise",))),
        free=SQUARES, places=("{town}{community}附近", "{town}{road}"), transfer=0.3,
        transfer_to=("县公安局", "县综合行政执法局"), found=("音响音量过大，噪声扰民情况属实",),
        action=("会同社区约谈活动组织者，要求控制音量和活动时间",)),
    Matter("shop_noise", "社会生活噪声扰民", 4, (
        ("{subj}门口用大功率音箱招揽顾客，从早到晚播放音乐，噪声很大，希望管一管。", ("social_noise",)),
        ("{subj}营业到凌晨，唱歌声和喧哗声噪声扰民，多次报警仍未解决。", ("social_noise",))),
        free=("{noisy}",), places=("{town}{road}{number}号",), transfer=0.3,
        transfer_to=("县公安局", "县综合行政执法局"), found=("商家使用高音广播招揽顾客，噪声扰民情况属实",),
        action=("责令商家停止使用高音广播，并抄告市场监管和公安部门",)),
    Matter("odour", "异味扰民", 13, (
        ("{subj}{when}排放刺鼻异味，像烧塑料的味道，周边居民头晕、恶心，怀疑废气没有经过处理直接排放。",
         ("odour", "industrial_gas")),
        ("{subj}烟囱经常冒黄烟，{loc}一带异味很重，尤其是{when}，请环保部门夜间突击检查。",
         ("industrial_gas", "odour")),
        ("{loc}附近经常闻到化工异味，怀疑是{subj}偷排废气，请求监测并公开结果。", ("odour",))),
        industries=("化工", "制药", "印染", "造纸", "危废处置", "污水处理", "新材料", "食品加工"), enterprise_share=1.0,
        assisting=("环境监测站", "大气与水环境科"), monitor="厂界无组织废气", monitoring=0.7,
        found=("废气收集设施破损，车间无组织排放明显", "活性炭吸附装置未按期更换，废气处理效率下降"),
        action=("责令其立即修复废气收集处理设施，并依法立案查处", "责令其限期整改，更换活性炭并建立台账")),
    Matter("wastewater", "偷排废水", 9, (
        ("{subj}夜间通过暗管偷排废水，{river}河水发黑发臭，还有死鱼，请求严肃查处。", ("industrial_water",)),
        ("反映{subj}偷排废水：趁下雨把生产废水排进雨水管网，排口附近水面有泡沫和异味。", ("industrial_water",)),
        ("{subj}废水处理设施不正常运行，外排的水颜色发红，有刺鼻气味，流入{river}。", ("industrial_water", "odour"))),
        industries=("印染", "电镀", "造纸", "化工", "食品加工", "制药"), enterprise_share=1.0,
        departments=("生态环境监察大队", "大气与水环境科"), assisting=("环境监测站",), monitor="外排废水",
        monitoring=0.8,
        found=("雨水排口检出生产废水，存在通过雨水管网排放废水的行为", "污水处理设施未正常运行，外排废水超标"),
        action=("对其涉嫌通过逃避监管方式排放水污染物的行为依法立案查处", "责令其停产整治，封堵违规排口")),
    Matter("sewage", "生活污水直排", 5, (
        ("{loc}的生活污水直排{river}，水面发黑发臭，夏天臭味很大，蚊蝇滋生。", ("domestic_water",)),
        ("{subj}化粪池满溢，污水流到路面和河里，臭味扰民。", ("domestic_water", "odour"))),
        free=("{village}生活污水管网", "{community}小区化粪池", "{village}农家乐"),
        places=("{town}{village}", "{town}{community}"),
        departments=("大气与水环境科", "生态环境监察大队"), transfer=0.15, transfer_to=("县住房和城乡建设局",),
        found=("污水管网破损，部分生活污水未纳管",), action=("函告属地政府和住建部门限期完成管网修复",)),
    Matter("dust", "扬尘污染", 7, (
        ("{subj}扬尘污染严重，石粉漫天，周边房屋和庄稼上全是粉尘，运输车辆也不覆盖。", ("dust",)),
        ("{subj}露天堆放砂石料没有苫盖，刮风时粉尘很大，附近居民不敢晾衣服。", ("dust",))),
        industries=("建材",), free=("{town}{village}石料厂", "{town}商品混凝土搅拌站", "{road}渣土堆场"),
        places=("{town}{village}", "{town}{road}{number}号"),
        enterprise_share=0.5, departments=("生态环境监察大队", "大气与水环境科"),
        found=("物料堆场未苫盖，厂区道路未硬化，扬尘明显",), action=("责令其对堆场全面苫盖，增设喷淋设施，并依法处罚",)),
    Matter("factory_noise", "工业噪声扰民", 6, (
        ("{subj}厂区风机和冷却塔噪声很大，夜间尤其明显，影响附近居民休息。", ("industrial_noise",)),
        ("{subj}{when}还在生产，机器轰鸣，噪声扰民，多次反映没有改善。", ("industrial_noise",))),
        industries=("机械制造", "汽车零部件", "纺织", "建材", "新材料", "电子信息"), enterprise_share=1.0,
        assisting=("环境监测站",), monitor="厂界噪声", monitoring=0.8,
        found=("夜间厂界噪声超过工业企业厂界环境噪声排放标准",), action=("责令其对风机、冷却塔采取隔声降噪措施，限期整改",)),
    Matter("waste", "固体废物违规堆放", 4, (
        ("{subj}把废机油桶、废活性炭等危险废物露天堆放，下雨后污水横流，担心污染地下水。", ("hazardous_waste",)),
        ("{loc}有人偷偷倾倒工业固废，堆了一大片，散发异味。", ("industrial_waste", "odour"))),
        industries=("电镀", "化工", "机械制造", "汽车零部件"), free=("{town}{road}旁空地",), enterprise_share=0.6,
        departments=("固体废物管理科", "生态环境监察大队"),
        found=("危险废物未按规定贮存，贮存场所未设置防渗和标识",), action=("责令其规范贮存危险废物，并依法立案查处",)),
    Matter("garbage", "垃圾中转站臭气", 3, (
        ("{subj}臭气很重，垃圾清运不及时，渗滤液流到路上，周边居民意见很大。", ("household_waste", "odour")),),
        free=("{town}垃圾中转站", "{community}垃圾分类亭"), departments=("固体废物管理科",), transfer=0.25,
        transfer_to=("县综合行政执法局",), found=("中转站除臭设施未开启，渗滤液收集池满溢",),
        action=("督促运营单位开启除臭设施并及时清运",)),
    Matter("livestock", "养殖粪污", 4, (
        ("{subj}粪污未经处理直接排放，臭味很大，附近的小溪都变黑了。", ("odour", "other")),
        ("{subj}养殖规模越来越大，臭味熏天，苍蝇很多，影响村民生活。", ("odour",))),
        free=("{village}{surname}家养猪场", "{village}养鸡场"), places=("{town}{village}",), departments=("生态环境监察大队", "自然生态科"),
        transfer=0.15, transfer_to=("县农业农村局",), found=("粪污处理设施不完善，存在粪水外溢",),
        action=("责令其完善粪污收集处理设施，抄告农业农村部门",)),
    Matter("exhaust", "机动车尾气污染", 2, (
        ("{subj}冒黑烟严重，尾气呛人，希望加强检查。", ("vehicle_exhaust",)),),
        free=("{road}上的渣土车", "{town}物流园柴油货车"), departments=("大气与水环境科",), transfer=0.35,
        transfer_to=("县公安局交通警察大队",), found=("部分车辆尾气排放不达标",),
        action=("会同公安交警部门开展路检路查",)),
    Matter("ecology", "生态破坏", 2, (
        ("{subj}有人非法采砂，河道被挖得坑坑洼洼，河水浑浊，破坏生态。", ("ecology",)),
        ("{loc}有人毁林开垦、倾倒建筑垃圾，破坏山体植被。", ("ecology", "industrial_waste"))),
        free=("{river}{village}段",), places=("{town}{village}", "{town}{village}后山"), departments=("自然生态科",),
        transfer=0.35,
        transfer_to=("县水利局", "县自然资源和规划局"), found=("河道存在采砂痕迹，植被受损",),
        action=("会同属地政府制止违法行为并移送有关部门查处",)),
    Matter("radiation", "电磁辐射", 2, (
        ("{subj}最近新装，居民担心电磁辐射影响健康，要求监测并公开结果。", ("radiation",)),),
        free=("{community}小区楼顶通信基站", "{community}旁变电站"), places=("{town}{community}",), departments=("大气与水环境科",),
        assisting=("环境监测站",), monitor="电磁辐射", monitoring=1.0,
        found=("基站已办理环境影响登记表备案",), action=("督促运营单位公开监测结果并做好解释工作",)),
    Matter("soil", "土壤污染", 1, (
        ("{subj}周边农田庄稼成片枯死，怀疑土壤被企业废水污染，请求检测。", ("soil", "industrial_water")),),
        industries=("电镀", "化工"), enterprise_share=1.0, departments=("固体废物管理科", "自然生态科"),
        assisting=("环境监测站",), monitor="周边农田土壤", monitoring=1.0,
        found=("周边农田土壤个别点位重金属含量偏高",), action=("责令企业开展土壤污染状况调查并落实管控措施",)),
]

NOT_ACCEPTED = [
    "反映事项已通过诉讼途径解决，依法应当通过法定途径办理，不予受理（《信访工作条例》第三十一条）",
    "同一事项已办结并书面答复，信访人未提出新的事实和理由，不再重复受理",
    "反映内容不具体，无法核实，且无法联系信访人补充材料",
]
FOLLOW_UP_NOTES = {
    "satisfied": ["信访人对处理结果表示满意", "信访人表示问题已解决，感谢及时处理", "信访人满意，无其他诉求"],
    "basically": ["信访人表示基本满意，希望加强后续监管", "信访人基本满意，要求定期复查"],
    "dissatisfied": ["信访人对处理结果不满意，认为问题仍未彻底解决，已做好解释工作",
                     "信访人不满意，认为处罚力度不够，已告知可申请复查"],
}
ANONYMOUS_FOLLOW_UP = "匿名信访，回访现场周边群众，反映问题{state}"
EXTENSION_REASONS = ["案情复杂，需委托第三方开展溯源监测，申请延长办理期限",
                     "涉及多个部门职责，需会同属地政府联合调查，申请延长办理期限",
                     "需待企业停产整治完成后开展复查，申请延长办理期限"]
REOPEN_REASON = "信访人对处理结果不满意，反映异味问题在夜间仍然存在，退回承办科室重新调查处理"


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _w in weighted], weights=[w for _v, w in weighted])[0]


class _Steady:
    """The workspace as the use cases see it while the demo fills it: every settings and calendar read is the
    same for the whole step (the demo works on an empty database of its own), so the cheap "has anyone changed
    it?" query before each read (about 35 per complaint step) is asked once instead."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self._values: dict[str, object] = {}

    def __getattr__(self, name: str):
        return getattr(self._ws, name)

    def cached(self, key, stamp, load):
        if key not in self._values:
            self._values[key] = self._ws.cached(key, stamp, load)
        return self._values[key]


@dataclass(slots=True)
class Story:
    """One complaint as planned: what was received, and each later step with its date (cut at today)."""

    received_at: datetime
    channel: str
    receiver: int
    matter: Matter
    anonymous: bool
    name: str
    phone: str
    address: str
    enterprise_id: int | None
    enterprise_name: str
    subject: str
    town_id: int | None
    location: str
    types: tuple[str, ...]
    content: str
    skip_level: bool = False
    key_case: bool = False
    case_leader: int | None = None
    earlier: Story | None = None
    steps: list[tuple[str, date, dict]] = field(default_factory=list)
    special: str = ""           # why it goes through the use cases ("" = an ordinary complaint)
    in_year: bool = False       # one of the year's complaints (else ten-year history of `large`)
    number: str = ""
    id: int | None = None

    @property
    def received(self) -> date:
        return self.received_at.date()

    @property
    def shown_subject(self) -> str:
        return self.enterprise_name or self.subject


@dataclass
class _Env:
    """What the stories are made of: the bureau's people, places, enterprises, rules and calendar."""

    today: date
    towns: list[reference.Town]
    town_weights: list[int]
    town_names: dict[int, str]
    departments: dict[str, int]
    staff_of: dict[str, list[int]]
    leaders: list[int]
    office: list[int]          # the complaints office (信访办): receives, decides, assigns, follows up
    office_head: int
    anyone: list[int]
    enterprises: dict[str, list[tuple[int, str, int | None, str]]]  # industry -> (id, name, town, address)
    rules: dict[str, Any]
    calendar: Any
    max_extension: dict[str, int]
    pattern: str
    names: list[str]
    _due: dict = field(default_factory=dict)
    _workday: dict = field(default_factory=dict)

    @classmethod
    def load(cls, ws, rng: random.Random, today: date, names: int) -> _Env:
        from envdesk.app.demo import person_names

        towns = [t for t in reference.list_towns(ws) if t.active]
        staff = [s for s in reference.list_staff(ws) if s.active]
        staff_of: dict[str, list[int]] = {}
        for person in staff:
            if not person.is_leader:
                staff_of.setdefault(person.department_name, []).append(person.id)
        office = staff_of.get("信访办") or staff_of.get("办公室") or [s.id for s in staff]
        by_industry: dict[str, list] = {}
        with ws.reading() as session:
            for row in session.execute(select(EnterpriseRow.id, EnterpriseRow.name_zh, EnterpriseRow.town_id,
                                              EnterpriseRow.address, EnterpriseRow.industry)
                                       .order_by(EnterpriseRow.id)):
                address = row.address.removeprefix("浙江省").removeprefix("青溪县")
                by_industry.setdefault(row.industry, []).append((row.id, row.name_zh, row.town_id, address))
        # A few enterprises draw most complaints: shuffle each industry once and weight by rank.
        for members in by_industry.values():
            rng.shuffle(members)
        channels = [c.value for c in Channel]
        return cls(
            today=today, towns=towns,
            town_weights=[4 if t.kind == "subdistrict" or t.name_zh == "城关镇" else 1 if t.kind == "township" else 2
                          for t in towns],
            town_names={t.id: t.name_zh for t in towns},
            departments={d.name_zh: d.id for d in reference.list_departments(ws)},
            staff_of=staff_of, leaders=[s.id for s in staff if s.is_leader], office=office, office_head=office[0],
            anyone=[s.id for s in staff if not s.is_leader], enterprises=by_industry,
            rules={channel: complaints._rules(ws, channel) for channel in channels},
            calendar=calendar_app.calendar(ws),
            max_extension={channel: complaints.max_extension(ws, channel) for channel in channels},
            pattern=settings_app.get_value(ws, "complaints/number_format"),
            names=person_names(rng, names, {s.name for s in staff}),
        )

    def due(self, key: str, channel: str, start: date, extension: int = 0) -> date:
        """The due date the register computes (app.complaints._clocks), remembered per start day."""
        memo = (key, channel if key == "handling" else "", start, extension)
        if memo not in self._due:
            rule = self.rules[channel][key]
            self._due[memo] = compute_deadline(start, rule, self.calendar, extension_days=extension).due
        return self._due[memo]

    def workday(self, day: date) -> date:
        """The first working day on or after `day` (staff act on working days)."""
        if day not in self._workday:
            self._workday[day] = self.calendar.next_working_day(day)
        return self._workday[day]

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """`day` at a local time, aware (the register takes the received date in local time)."""
        return datetime.combine(day, time(hour, minute)).astimezone()

    def person(self, rng: random.Random, department: str) -> int:
        return rng.choice(self.staff_of.get(department) or self.anyone)


# --- planning -------------------------------------------------------------------------------------

class _Planner:
    """Makes stories: who complained, about what, and how the bureau handled it, day by day."""

    def __init__(self, rng: random.Random, env: _Env) -> None:
        self.rng, self.env = rng, env
        # Without enterprises in the register, only the matters about free-text subjects can be told.
        self.matters = [m for m in MATTERS if m.free or any(env.enterprises.get(i) for i in m.industries)]
        self.matter_weights = [m.weight for m in self.matters]
        self.channels = [c for c, _w in CHANNELS]
        self.channel_weights = [w for _c, w in CHANNELS]
        self.enterprise_weights = {industry: [1 / (rank + 1) for rank in range(len(members))]
                                   for industry, members in env.enterprises.items()}

    # The days, and how many complaints each brings.
    def days(self, first: date, last: date, count: int) -> Iterator[tuple[date, int]]:
        """`count` complaints spread over first..last by season and weekday (exactly `count`)."""
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weights = [SEASON[d.month] * (1.0 if self.env.calendar.day_info(d)[0] else 0.55) for d in days]
        scale = count / sum(weights)
        shares = [w * scale for w in weights]
        counts = [int(s) for s in shares]
        rest = count - sum(counts)
        for index in sorted(range(len(days)), key=lambda i: (counts[i] - shares[i], i))[:rest]:
            counts[index] += 1
        return zip(days, counts, strict=True)

    def values(self, town: str) -> dict[str, Any]:
        """The words a story's subject, place and content share (one road, one village…)."""
        rng = self.rng
        road, road2 = rng.sample(ROADS, 2)
        return {"town": town, "road": road, "road2": road2, "number": rng.randint(1, 300),
                "community": rng.choice(COMMUNITIES), "village": rng.choice(VILLAGES), "river": rng.choice(RIVERS),
                "shop": rng.choice(SHOPS), "noisy": rng.choice(NOISY_SHOPS), "brand": rng.choice(BRANDS),
                "when": rng.choice(WHEN), "surname": rng.choice("王李张刘陈杨黄赵吴周徐孙"), "subj": "", "loc": ""}

    def complainant(self, anonymous: bool, town: str) -> tuple[str, str, str]:
        from envdesk.app.demo import mobile_number

        rng = self.rng
        if anonymous:
            return "", "", ""
        if rng.random() < 0.75:
            address = f"{town}{rng.choice(COMMUNITIES)}{rng.randint(1, 32)}幢{rng.randint(1, 4)}单元" \
                      f"{rng.randint(1, 26)}0{rng.randint(1, 4)}室"
        else:
            address = f"{town}{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 88)}号"
        return rng.choice(self.env.names), mobile_number(rng), address if rng.random() < 0.9 else ""

    def story(self, day: date, earlier: Story | None = None) -> Story:
        rng, env = self.rng, self.env
        anonymous = rng.random() < 0.1
        skip_level = rng.random() < 0.015
        channel = "assigned" if skip_level else _pick(rng, ANONYMOUS_CHANNELS) if anonymous else \
            rng.choices(self.channels, weights=self.channel_weights)[0]
        hour = rng.choices([h for h, _w in HOURS], weights=[w for _h, w in HOURS])[0] \
            if channel in ("12369", "online", "12345") else rng.randint(8, 16)
        received_at = env.at(day, hour, rng.randint(0, 59))
        receiver = rng.choice(env.office) if channel != "visit" or rng.random() < 0.7 else rng.choice(env.anyone)
        if earlier is not None:
            matter = earlier.matter
            name, phone, address = (earlier.name, earlier.phone, earlier.address) if not earlier.anonymous else \
                self.complainant(anonymous, env.town_names.get(earlier.town_id, ""))
            anonymous = earlier.anonymous and anonymous
            months = "上个月" if (day - earlier.received).days < 45 else f"{earlier.received.month}月份"
            intro = rng.choice([f"本人{months}已反映过{earlier.shown_subject}的问题，至今仍未解决。",
                                f"再次反映：{months}反映的问题没有改善。", "此前多次反映，问题反复出现。"])
            template, types = rng.choice(matter.texts)
            values = self.values(env.town_names.get(earlier.town_id, ""))
            values.update(subj=earlier.shown_subject, loc=earlier.location)
            content = intro + template.format(**values)
            if skip_level:
                content = "（市生态环境局转办）" + content
            return Story(received_at, channel, receiver, matter, anonymous, name, phone, address,
                         earlier.enterprise_id, earlier.enterprise_name, earlier.subject, earlier.town_id,
                         earlier.location, tuple(sorted(set(types))), content, skip_level=skip_level,
                         key_case=earlier.key_case, case_leader=earlier.case_leader, earlier=earlier)
        matter = rng.choices(self.matters, weights=self.matter_weights)[0]
        enterprise_id, enterprise_name, subject = None, "", ""
        industries = [i for i in matter.industries if env.enterprises.get(i)]
        if industries and (not matter.free or rng.random() < matter.enterprise_share):
            industry = rng.choice(industries)
            enterprise_id, enterprise_name, town_id, address = rng.choices(
                env.enterprises[industry], weights=self.enterprise_weights[industry])[0]
            town = env.town_names.get(town_id, "")
            values = self.values(town)
            location = address if rng.random() < 0.6 else "{town}{road}".format(**values)
        else:
            town_row = rng.choices(env.towns, weights=env.town_weights)[0]
            town_id, town = town_row.id, town_row.name_zh
            values = self.values(town)
            subject = rng.choice(matter.free).format(**values)
            location = rng.choice(matter.places).format(**values)
        values.update(subj=enterprise_name or subject, loc=location)
        template, types = rng.choice(matter.texts)
        content = template.format(**values)
        if skip_level:
            content = rng.choice(["（市生态环境局转办）", "（省生态环境厅交办）", "（市信访局转送）"]) + content
        name, phone, address = self.complainant(anonymous, town)
        return Story(received_at, channel, receiver, matter, anonymous, name, phone, address, enterprise_id,
                     enterprise_name, subject, town_id, location, tuple(sorted(set(types))), content,
                     skip_level=skip_level)

    # The bureau's handling, as dated steps.
    def handle(self, s: Story, **options) -> None:
        """Plan the steps after receipt, in date order, and keep those done by today."""
        self._steps(s, **options)
        s.steps.sort(key=lambda step: step[1])  # stable: same-day steps keep their order
        s.steps[:] = [step for step in s.steps if step[1] <= self.env.today]

    def _steps(self, s: Story, *, stuck: str = "", extension: bool = False, reopen: bool = False,
               review: str = "", satisfaction: str | None = None) -> None:
        """The steps after receipt; `stuck` stops the story before 'decide' or 'reply' (it runs late)."""
        rng, env, today = self.rng, self.env, self.env.today
        m, received, steps = s.matter, s.received, s.steps
        if s.special == "flags":
            steps.append(("flags", env.workday(received + timedelta(days=rng.randint(1, 6))), {}))
        if stuck == "decide":
            return
        quick = s.channel == "12345"
        if s.special:
            delay = rng.choice([0, 1, 2])
        elif quick and rng.random() < 0.6:
            delay = 0
        else:  # a few decisions come late (after the 15 days)
            delay = rng.choices([0, 1, 2, 3, 5, 7, 10, 18], weights=[20, 25, 18, 12, 10, 8, 5, 2])[0]
        decided = env.workday(received + timedelta(days=delay))
        office = rng.choice(env.office)
        if rng.random() < m.transfer and not s.special:
            steps.append(("decide", decided, {"decision": "transfer", "to": rng.choice(m.transfer_to),
                                              "reason": "不属于生态环境部门职责，依法转送有权处理的机关办理",
                                              "actor": office}))
            return
        if rng.random() < (0.12 if s.earlier is not None else 0.03) and not s.special:
            reason = NOT_ACCEPTED[1] if s.earlier is not None and rng.random() < 0.7 else rng.choice(NOT_ACCEPTED)
            steps.append(("decide", decided, {"decision": "not_accept", "reason": reason,
                                              "actor": office}))
            return
        steps.append(("decide", decided, {"decision": "accept", "actor": office}))
        department = rng.choice(m.departments)
        person = env.person(rng, department)
        assisting = [env.departments[d] for d in m.assisting if d in env.departments and rng.random() < 0.5]
        assigned = env.workday(decided + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2])))
        steps.append(("assign", assigned, {"department": env.departments.get(department), "person": person,
                                           "assisting": assisting, "actor": office}))
        due = env.due("handling", s.channel, decided)
        outcome = rng.choices(["founded", "partly", "unfounded"], weights=[60, 20, 20])[0]
        # When the written reply goes out: well inside the limit, a few late; 12345 hand-offs within days.
        if quick:
            span = max((due - assigned).days, 1)
            replied = assigned + timedelta(days=rng.randint(1, span))
            if rng.random() < 0.03:
                replied = due + timedelta(days=rng.randint(1, 4))
        elif review == "pending":  # the reply a review was asked for lately
            replied = decided + timedelta(days=rng.randint(40, 48))
        else:
            replied = decided + timedelta(days=rng.randint(10, 50))
            if rng.random() < 0.025 and not s.special:
                replied = due + timedelta(days=rng.randint(1, 12))
        if extension:
            days = rng.randint(15, env.max_extension[s.channel]) if not quick else env.max_extension[s.channel]
            approved = env.workday(due - timedelta(days=rng.randint(6, 14)))
            steps.append(("extend", approved, {"days": days, "reason": rng.choice(EXTENSION_REASONS),
                                               "leader": rng.choice(env.leaders)}))
            replied = due + timedelta(days=rng.randint(3, max(days - 2, 4) if not quick else 5))
        replied = env.workday(max(replied, assigned + timedelta(days=1)))
        # What was done between assignment and reply: a site inspection, monitoring, an enforcement action.
        subject = s.shown_subject
        inspect = assigned + timedelta(days=rng.randint(0, max(min(4, (replied - assigned).days - 1), 0)))
        found = rng.choice(m.found)
        steps.append(("handle", env.workday(inspect), {
            "kind": "site_inspection", "staff": person,
            "text": f"执法人员赴现场检查，{found}。" if outcome != "unfounded" else
                    f"执法人员赴现场检查，未发现反映的问题，{subject}污染防治设施正常运行。"}))
        last = inspect
        if m.monitor and rng.random() < m.monitoring and (replied - last).days > 2:
            last = last + timedelta(days=rng.randint(1, (replied - last).days - 1))
            result = "监测结果超过排放标准" if outcome == "founded" and rng.random() < 0.6 else "监测结果符合排放标准"
            steps.append(("handle", env.workday(last), {
                "kind": "monitoring", "staff": env.person(rng, "环境监测站"),
                "text": f"委托县环境监测站对{m.monitor}开展监测，{result}。"}))
        action = rng.choice(m.action)
        if outcome == "founded" and rng.random() < 0.35 and (replied - last).days > 1:
            last = last + timedelta(days=rng.randint(1, (replied - last).days))
            steps.append(("handle", env.workday(last), {"kind": "enforcement", "staff": person,
                                                        "text": action + "。"}))
        replied = max(replied, env.workday(last))
        if stuck == "reply":
            return
        if outcome == "founded":
            text_ = f"您反映的{subject}{m.topic}问题，经我局执法人员现场核查，情况属实。我局已{action}，并将持续跟踪" \
                    f"整改情况。感谢您对生态环境保护工作的支持。"
        elif outcome == "partly":
            text_ = f"经现场核查和调查走访，您反映的{subject}{m.topic}问题部分属实。我局已责令其加强管理、规范运行，" \
                    f"并将加大巡查频次。"
        else:
            text_ = f"经我局执法人员现场核查，未发现您反映的{m.topic}问题，{subject}污染防治设施运行正常。我局将继续" \
                    f"加强监管，如发现问题欢迎随时反映。"
        steps.append(("reply", replied, {"text": text_, "actor": rng.choice([env.office_head, person])}))
        if satisfaction is None:
            weights = {"founded": (80, 13, 7), "partly": (60, 22, 18), "unfounded": (50, 20, 30)}[outcome]
            satisfaction = rng.choices(["satisfied", "basically", "dissatisfied"], weights=weights)[0]
        followed = env.workday(replied + timedelta(days=rng.randint(2, 10)))
        steps.append(("follow_up", followed, self.follow_up(s, satisfaction)))
        if reopen:
            again = env.workday(followed + timedelta(days=rng.randint(2, 5)))
            steps.append(("reopen", again, {"reason": REOPEN_REASON, "actor": env.office_head}))
            steps.append(("handle", env.workday(again + timedelta(days=2)), {
                "kind": "monitoring", "staff": env.person(rng, "环境监测站"),
                "text": f"组织夜间突击监测，对{m.monitor or '现场'}开展监测，发现夜间存在超标排放。"}))
            steps.append(("handle", env.workday(again + timedelta(days=6)), {
                "kind": "enforcement", "staff": person, "text": action + "，并依法作出行政处罚。"}))
            replied = env.workday(again + timedelta(days=rng.randint(12, 20)))
            steps.append(("reply", replied, {"text": f"经重新调查，{subject}夜间存在超标排放，我局已{action}并依法作出"
                                                     f"行政处罚，后续将开展夜间巡查。", "actor": env.office_head}))
            followed = env.workday(replied + timedelta(days=rng.randint(2, 6)))
            steps.append(("follow_up", followed, self.follow_up(s, "basically")))
        if review != "pending":
            steps.append(("close", env.workday(followed + timedelta(days=rng.randint(0, 4))),
                          {"actor": env.office_head}))
        if review:
            room = min(20, (today - replied).days)  # asked within 30 days of the reply, and by today
            requested = replied + timedelta(days=rng.randint(min(8, room), room) if room > 0 else 0)
            steps.append(("review", requested, {"second": False}))
            if review in ("answered", "second"):
                answered = env.workday(requested + timedelta(days=rng.randint(12, 25)))
                steps.append(("review_answer", answered, {"second": False}))
                if review == "second":
                    asked = answered + timedelta(days=rng.randint(5, 20))
                    steps.append(("second_review", asked, {"second": True}))
                    steps.append(("second_review_answer", env.workday(asked + timedelta(days=rng.randint(10, 25))),
                                  {"second": True}))

    def follow_up(self, s: Story, satisfaction: str) -> dict:
        rng, env = self.rng, self.env
        if s.anonymous:
            state = {"satisfied": "已解决", "basically": "基本解决", "dissatisfied": "仍然存在"}[satisfaction]
            return {"method": "visit", "satisfaction": satisfaction, "actor": rng.choice(env.office),
                    "notes": ANONYMOUS_FOLLOW_UP.format(state=state)}
        return {"method": rng.choices(["phone", "visit", "sms"], weights=[80, 12, 8])[0],
                "satisfaction": satisfaction, "notes": rng.choice(FOLLOW_UP_NOTES[satisfaction]),
                "actor": rng.choice(env.office)}

    # A whole period.
    def period(self, first: date, last: date, count: int, repeat_share: float = 0.07) -> Iterator[Story]:
        """Ordinary complaints over first..last in received order; a share repeat a recent complaint."""
        rng = self.rng
        recent: deque[Story] = deque(maxlen=400)
        for day, n in self.days(first, last, count):
            stories = []
            for _i in range(n):
                earlier = None
                if recent and rng.random() < repeat_share:
                    earlier = recent[rng.randrange(len(recent))]
                    if (day - earlier.received).days > 150:
                        earlier = None
                s = self.story(day, earlier)
                self.handle(s)
                stories.append(s)
            stories.sort(key=lambda s: s.received_at)
            for s in stories:
                if not s.anonymous and s.matter.key not in ("exhaust",):
                    recent.append(s)
                yield s

    def year(self, count: int) -> list[Story]:
        """The year up to today: ordinary complaints with the special cases mixed in, in received order."""
        rng, env, today = self.rng, self.env, self.env.today
        first = today - timedelta(days=364)
        stories: list[Story] = []
        recent: deque[Story] = deque(maxlen=200)
        specials = self.specials(first)
        by_day: dict[date, list[tuple[str, dict]]] = {}
        for day, kind, options in specials:
            by_day.setdefault(day, []).append((kind, options))
        key_threads: list[Story] = []
        for day, n in self.days(first, today, count - len(specials)):
            todays = []
            for kind, options in by_day.pop(day, []):
                options = dict(options)
                channel = options.pop("channel", None)
                if kind == "key_repeat":
                    s = self.story(day, rng.choice(key_threads)) if key_threads else self.named_story(day)
                elif kind in ("key", "flags"):
                    s = self.named_story(day, enterprise=True)
                    s.key_case, s.case_leader = True, rng.choice(env.leaders)
                    key_threads.append(s)
                else:
                    s = self.named_story(day)
                if channel or (s.channel == "12345" and kind not in ("key_repeat", "key", "flags")):
                    s.channel = channel or "12369"  # a hand-off's 5-working-day limit leaves no room for these
                s.special = kind
                self.handle(s, **options)
                todays.append(s)
            for _i in range(n):
                earlier = recent[rng.randrange(len(recent))] if recent and rng.random() < 0.07 else None
                s = self.story(day, earlier)
                if s.skip_level or s.key_case:
                    s.special = "skip_level" if s.skip_level else "key_repeat"
                self.handle(s)
                todays.append(s)
            todays.sort(key=lambda s: s.received_at)
            for s in todays:
                s.in_year = True
                if not s.anonymous:
                    recent.append(s)
            stories.extend(todays)
        return stories

    def named_story(self, day: date, enterprise: bool = False) -> Story:
        """A complaint from someone who gave a name (reviews and reopening need a complainant to ask), about an
        enterprise of the register if `enterprise` (key cases are long-running enterprise matters)."""
        while True:
            s = self.story(day)
            if not s.anonymous and not s.skip_level and (s.enterprise_id is not None or not enterprise
                                                         or not any(self.env.enterprises.values())):
                return s

    def specials(self, first: date) -> list[tuple[date, str, dict]]:
        """The cases the Overview and the leaders watch, at ages that let each reach its state by today."""
        rng, today = self.rng, self.env.today

        def ago(low: int, high: int) -> date:
            return max(today - timedelta(days=rng.randint(low, high)), first)

        specials = [(ago(18, 26), "overdue_acceptance", {"stuck": "decide"}) for _i in range(2)]
        # Handling overdue by a few days to a month: accepted 60 days and that ago, never replied.
        specials += [(ago(66 + extra, 70 + extra), "overdue_handling", {"stuck": "reply"})
                     for extra in (0, 3, 8, 15, 30)]
        specials += [(ago(11, 14), "overdue_handling", {"stuck": "reply", "channel": "12345"})]
        specials += [(ago(80, 330), "extension", {"extension": True}) for _i in range(7)]
        specials += [(ago(60, 75), "extension", {"extension": True, "stuck": "reply"})]  # extended, still running
        specials += [(ago(150, 200), "reopen", {"reopen": True, "satisfaction": "dissatisfied"})]
        specials += [(ago(200, 300), "review", {"review": "second", "satisfaction": "dissatisfied"}),
                     (ago(120, 250), "review", {"review": "answered", "satisfaction": "dissatisfied"}),
                     (ago(70, 80), "review", {"review": "pending", "satisfaction": "dissatisfied"})]
        specials += [(ago(200, 360), "key", {}) for _i in range(4)]
        specials += [(ago(150, 300), "flags", {}) for _i in range(4)]
        specials += [(ago(20, 140), "key_repeat", {}) for _i in range(8)]
        return specials


# --- writing through the use cases ------------------------------------------------------------------

def _replay(ws, env: _Env, s: Story) -> None:
    """Write one story through the register's use cases, step by step."""
    today = env.today
    value, _c = complaints.register(ws, ComplaintInput(
        channel=s.channel, received_at=s.received_at, first_receiver_id=s.receiver, content=s.content,
        pollution_types=s.types, anonymous=s.anonymous, complainant_name=s.name, complainant_phone=s.phone,
        complainant_address=s.address, enterprise_id=s.enterprise_id, subject=s.subject, town_id=s.town_id,
        location=s.location, skip_level=s.skip_level, key_case=s.key_case and s.special != "flags",
        case_leader_id=s.case_leader if s.special != "flags" else None,
        repeats=(s.earlier.id,) if s.earlier is not None and s.earlier.id is not None else (),
        number=s.number), today=today)
    s.id = value.id
    for action, day, o in s.steps:
        if action == "flags":
            complaints.set_flags(ws, s.id, True, s.case_leader, s.skip_level, today=today)
        elif action == "decide":
            complaints.decide(ws, s.id, o["decision"], day, o["actor"], reason=o.get("reason", ""),
                              transferred_to=o.get("to", ""), today=today)
        elif action == "assign":
            complaints.assign(ws, s.id, o["department"], o["person"], day, o["actor"], o["assisting"], today=today)
        elif action == "handle":
            complaints.record_handling(ws, s.id, day, o["kind"], o["staff"], o["text"], today=today)
        elif action == "extend":
            complaints.extend(ws, s.id, o["days"], o["reason"], o["leader"], day, today=today)
        elif action == "reply":
            complaints.reply(ws, s.id, day, o["text"], o["actor"], today=today)
        elif action == "follow_up":
            complaints.follow_up(ws, s.id, day, o["method"], o["satisfaction"], o["notes"], o["actor"], today=today)
        elif action == "close":
            complaints.close(ws, s.id, day, o["actor"], today=today)
        elif action == "reopen":
            complaints.reopen(ws, s.id, day, o["reason"], o["actor"], today=today)
        elif action in ("review", "second_review"):
            complaints.request_review(ws, s.id, day, second=o["second"], today=today)
        elif action in ("review_answer", "second_review_answer"):
            complaints.answer_review(ws, s.id, day, second=o["second"], today=today)
        else:  # pragma: no cover - a planning mistake
            raise AssertionError(action)


# --- writing in bulk --------------------------------------------------------------------------------

_FTS = table("complaint_fts", column("rowid", Integer), column("tokens", Text))
_SEARCH = table("complaint_search", column("complaint_id", Integer), column("tokens", postgresql.ARRAY(Text)))
_STATUS_AFTER = {"assign": Status.ASSIGNED.value, "reply": Status.REPLIED.value,
                 "follow_up": Status.FOLLOWED_UP.value, "close": Status.CLOSED.value}
_DECIDED = {"accept": Status.ACCEPTED.value, "not_accept": Status.NOT_ACCEPTED.value,
            "transfer": Status.TRANSFERRED.value}


class _BulkWriter:
    """Writes stories as rows, a chunk per transaction, with ids given here so events can refer to them."""

    def __init__(self, ws, env: _Env, progress) -> None:
        self.ws, self.env, self.progress = ws, env, progress
        self.sqlite = ws.dialect == "sqlite"
        with ws.reading() as session:
            self.next_id = (session.scalar(select(func.max(ComplaintRow.id))) or 0) + 1
        self.written = 0
        self.late_links: list[tuple[int, Story]] = []  # repeats of complaints the use cases write later
        self._clear()

    def _clear(self) -> None:
        self.complaints: list[dict] = []
        self.pollution: list[dict] = []
        self.links: list[dict] = []
        self.events: list[dict] = []
        self.handlings: list[dict] = []
        self.index: list[dict] = []

    def add(self, s: Story) -> None:
        env, made = self.env, s.received_at
        s.id = complaint_id = self.next_id
        self.next_id += 1
        row = dict(
            id=complaint_id, number=s.number, channel=s.channel, received_at=s.received_at, received_date=s.received,
            first_receiver_id=s.receiver, anonymous=s.anonymous, complainant_name=s.name,
            complainant_phone=s.phone, complainant_address=s.address, enterprise_id=s.enterprise_id,
            subject=s.subject, town_id=s.town_id, location=s.location, pollution_types=list(s.types),
            content=s.content, status=Status.REGISTERED.value, is_repeat=s.earlier is not None,
            skip_level=s.skip_level, key_case=s.key_case, case_leader_id=s.case_leader if s.key_case else None,
            decided_on=None, decision_reason="", transferred_to="", assigned_on=None, lead_department_id=None,
            lead_person_id=None, assisting_departments=[], extension_days=0, extension_reason="",
            extension_approved_by_id=None, extension_approved_on=None, replied_on=None, reply_text="",
            followed_up_on=None, follow_up_method="", satisfaction="", follow_up_notes="", closed_on=None,
            review_requested_on=None, review_answered_on=None, second_review_requested_on=None,
            second_review_answered_on=None, acceptance_due=None, handling_due=None, version=2,
            created_at=made, updated_at=made)
        events = self.events
        events.append(dict(complaint_id=complaint_id, event_date=s.received, recorded_at=s.received_at,
                           action="register", status=row["status"], staff_id=s.receiver, note=""))
        for action, day, o in s.steps:
            staff, note = o.get("actor"), ""
            if action == "decide":
                row["decided_on"], row["status"] = day, _DECIDED[o["decision"]]
                if o["decision"] != "accept":
                    row["decision_reason"] = o.get("reason", "")
                    row["transferred_to"] = o.get("to", "")
                note = row["decision_reason"] or row["transferred_to"]
            elif action == "assign":
                row.update(assigned_on=day, lead_department_id=o["department"], lead_person_id=o["person"],
                           assisting_departments=[d for d in o["assisting"] if d != o["department"]])
            elif action == "handle":
                staff, note = o["staff"], HandlingKind(o["kind"]).msgid
                self.handlings.append(dict(complaint_id=complaint_id, handled_on=day, kind=o["kind"],
                                           staff_id=staff, text=o["text"], version=1,
                                           created_at=env.at(day, 16), updated_at=env.at(day, 16)))
            elif action == "extend":
                staff, note = o["leader"], o["reason"]
                row.update(extension_days=o["days"], extension_reason=note, extension_approved_by_id=staff,
                           extension_approved_on=day)
            elif action == "reply":
                row["replied_on"], row["reply_text"] = day, o["text"]
            elif action == "follow_up":
                row.update(followed_up_on=day, follow_up_method=o["method"], satisfaction=o["satisfaction"],
                           follow_up_notes=o["notes"])
                note = Satisfaction(o["satisfaction"]).msgid
            elif action == "close":
                row["closed_on"] = day
            else:  # reopen, reviews and flags are written through the use cases only
                raise AssertionError(f"{action} is not written in bulk")
            row["status"] = _STATUS_AFTER.get(action, row["status"])
            row["version"] += 1
            row["updated_at"] = env.at(day, 17)
            events.append(dict(complaint_id=complaint_id, event_date=day, recorded_at=env.at(day, 17),
                               action=action, status=row["status"], staff_id=staff, note=note))
        # The stored clocks, as app.complaints._store_dues keeps them. (Registering writes the row twice: the
        # clocks are stored after the insert, so a new complaint is at version 2, as `version=2` above.)
        row["acceptance_due"] = env.due("acceptance", s.channel, s.received)
        if row["decided_on"] and row["status"] not in (Status.NOT_ACCEPTED.value, Status.TRANSFERRED.value):
            row["handling_due"] = env.due("handling", s.channel, row["decided_on"], row["extension_days"])
        self.complaints.append(row)
        self.pollution.extend(dict(complaint_id=complaint_id, pollution_type=t) for t in s.types)
        if s.earlier is not None:
            if s.earlier.id is not None:
                self.links.append(dict(complaint_id=complaint_id, earlier_id=s.earlier.id))
            else:
                self.late_links.append((complaint_id, s.earlier))
        tokens = bigrams(" ".join((s.content, s.shown_subject, s.location)))
        self.index.append(dict(rowid=complaint_id, tokens=tokens) if self.sqlite else
                          dict(complaint_id=complaint_id, tokens=sorted(set(tokens.split()))))
        if len(self.complaints) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.complaints:
            return
        self.progress.check()
        with self.ws.transaction() as session:
            session.execute(insert(ComplaintRow.__table__), self.complaints)
            session.execute(insert(ComplaintPollutionRow.__table__), self.pollution)
            if self.links:
                session.execute(insert(ComplaintLinkRow.__table__), self.links)
            session.execute(insert(ComplaintEventRow.__table__), self.events)
            if self.handlings:
                session.execute(insert(HandlingRow.__table__), self.handlings)
            session.execute(insert(_FTS if self.sqlite else _SEARCH), self.index)
        self.written += len(self.complaints)
        self._clear()

    def finish(self) -> None:
        """Flush, and on PostgreSQL move the id sequence past the ids given here."""
        self.flush()
        if not self.sqlite and self.written:
            with self.ws.transaction() as session:
                session.execute(text("SELECT setval(pg_get_serial_sequence('complaint', 'id'), "
                                     "(SELECT max(id) FROM complaint))"))

    def link_late(self) -> None:
        rows = [dict(complaint_id=later, earlier_id=s.id) for later, s in self.late_links if s.id is not None]
        if rows:
            with self.ws.transaction() as session:
                session.execute(insert(ComplaintLinkRow.__table__), rows)


# --- the step -------------------------------------------------------------------------------------

def complaints_demo(ctx: DemoContext) -> str:
    """The demo's complaints register; returns one line saying what it added."""
    real_ws, rng, today = ctx.ws, ctx.rng, date.today()
    ws = _Steady(real_ws)
    large = ctx.size == "large"
    env = _Env.load(ws, rng, today, 8000 if large else 700)
    planner = _Planner(rng, env)
    year = planner.year(YEAR_COUNT)
    streams: list[Iterator[Story]] = [iter(year)]
    if large:
        start = today - timedelta(days=round(365.25 * LARGE_YEARS) - 1)
        streams.append(planner.period(start, today, LARGE_EXTRA))
    writer = _BulkWriter(ws, env, ctx.progress)
    replayed: list[Story] = []
    seq: dict[int, int] = {}
    for s in heapq.merge(*streams, key=lambda s: s.received_at):
        seq[s.received.year] = seq.get(s.received.year, 0) + 1
        s.number = format_number(env.pattern, s.received.year, seq[s.received.year])
        if s.in_year and (s.special or (today - s.received).days <= RECENT_DAYS):
            replayed.append(s)
        else:
            writer.add(s)
    writer.finish()
    for index, s in enumerate(replayed):
        _replay(ws, env, s)
        if index % 50 == 0:
            ctx.progress.check()
    writer.link_late()
    with real_ws.reading() as session:
        total = session.scalar(select(func.count()).select_from(ComplaintRow))
        open_count = session.scalar(select(func.count()).select_from(ComplaintRow).where(
            ComplaintRow.status.in_([s.value for s in Status if s.is_open])))
    overdue = complaints.count_complaints(real_ws, complaints.ComplaintFilter(overdue=True), today=today)
    return _("{complaints} complaints ({open} open, {overdue} overdue)").format(
        complaints=total, open=open_count, overdue=overdue)
