"""Demo data for the twinning register: enterprises, two years of pairs, monthly contacts, health checks and a
service account with items in every state — all made through the register's own use cases, so it obeys its rules.

Dates are relative to today (the previous and the current year), so the compliance grid and the Overview look
lived-in whenever the demo is made; for the same day and size the data is the same (everything comes from ctx.rng).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from envdesk.app import enterprises, reference, twinning
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.twinning import FindingInput
from envdesk.domain.credit_code import ALPHABET, check_character
from envdesk.domain.twinning import EnterpriseType, Scale
from envdesk.i18n import _

if TYPE_CHECKING:
    from envdesk.app.demo import DemoContext

# 330127 is the administrative-area code (GB/T 2260) the demo county's enterprises are registered under.
AREA_CODE = "330127"
COUNTY, COUNTY_EN = "青溪县", "Qingxi"
FEATURED = 60          # enterprises made one by one through save_enterprise; pairs are chosen among them
LARGE_EXTRA = 3100     # `--size large` adds these through import_enterprises, in one transaction
PAIRS_PER_YEAR = 10

# Brand words (字号) with their pinyin for the English name.
BRANDS = [
    ("宏达", "Hongda"), ("恒信", "Hengxin"), ("天成", "Tiancheng"), ("新宇", "Xinyu"), ("金鼎", "Jinding"),
    ("鑫旺", "Xinwang"), ("永兴", "Yongxing"), ("瑞丰", "Ruifeng"), ("万通", "Wantong"), ("嘉禾", "Jiahe"),
    ("联创", "Lianchuang"), ("远航", "Yuanhang"), ("明珠", "Mingzhu"), ("凯达", "Kaida"), ("华盛", "Huasheng"),
    ("兴隆", "Xinglong"), ("昌盛", "Changsheng"), ("福源", "Fuyuan"), ("广源", "Guangyuan"), ("利民", "Limin"),
    ("德润", "Derun"), ("博远", "Boyuan"), ("锦程", "Jincheng"), ("长青", "Changqing"), ("清源", "Qingyuan"),
    ("碧水", "Bishui"), ("蓝天", "Lantian"), ("绿源", "Lvyuan"), ("青山", "Qingshan"), ("秀水", "Xiushui"),
    ("千岛", "Qiandao"), ("新安", "Xin'an"), ("文昌", "Wenchang"), ("泰和", "Taihe"), ("汇通", "Huitong"),
    ("金桥", "Jinqiao"), ("银河", "Yinhe"), ("百川", "Baichuan"), ("世纪", "Shiji"), ("华宇", "Huayu"),
    ("九鼎", "Jiuding"), ("三元", "Sanyuan"), ("盛达", "Shengda"), ("鸿运", "Hongyun"), ("亿达", "Yida"),
    ("精诚", "Jingcheng"), ("恒远", "Hengyuan"), ("海纳", "Haina"), ("峰源", "Fengyuan"), ("信达", "Xinda"),
    ("和顺", "Heshun"), ("安泰", "Antai"), ("康华", "Kanghua"), ("普瑞", "Purui"), ("科润", "Kerun"),
    ("晶华", "Jinghua"), ("立新", "Lixin"), ("众诚", "Zhongcheng"), ("宝利", "Baoli"), ("佳禾", "Jiahe"),
    ("卓越", "Zhuoyue"), ("聚能", "Juneng"), ("嘉诚", "Jiacheng"), ("龙腾", "Longteng"), ("天润", "Tianrun"),
    ("东升", "Dongsheng"), ("同创", "Tongchuang"), ("振华", "Zhenhua"), ("荣盛", "Rongsheng"), ("富强", "Fuqiang"),
]


@dataclass(frozen=True)
class Industry:
    name: str                      # the enterprise's industry field
    words: tuple[tuple[str, str], ...]  # the industry part of its name, zh and en
    types: tuple[str, ...]         # the kinds it always is
    polluting: bool                # often a key pollutant-discharge unit
    scales: tuple[int, int, int, int]  # weights of large, medium, small, micro


INDUSTRIES = [
    Industry("化工", (("化工", "Chemical"), ("精细化工", "Fine Chemical")), ("traditional",), True, (2, 5, 6, 2)),
    Industry("印染", (("印染", "Printing and Dyeing"), ("染整", "Dyeing and Finishing")), ("traditional",), True,
             (1, 4, 6, 3)),
    Industry("电镀", (("电镀", "Electroplating"), ("表面处理", "Surface Treatment")), ("traditional",), True,
             (0, 2, 6, 5)),
    Industry("造纸", (("纸业", "Paper"), ("造纸", "Paper Making")), ("traditional",), True, (1, 3, 5, 3)),
    Industry("制药", (("制药", "Pharmaceutical"), ("药业", "Pharmaceutical"), ("生物医药", "Biopharmaceutical")),
             ("emerging",), True, (2, 4, 4, 1)),
    Industry("食品加工", (("食品", "Food"), ("食品科技", "Food Technology")), ("traditional",), False, (1, 3, 7, 8)),
    Industry("饮料制造", (("饮品", "Beverage"), ("饮用水", "Drinking Water")), ("traditional",), False, (1, 2, 4, 3)),
    Industry("机械制造", (("机械", "Machinery"), ("机械制造", "Machinery Manufacturing")), ("traditional",), False,
             (1, 4, 8, 8)),
    Industry("汽车零部件", (("汽车零部件", "Auto Parts"), ("汽配", "Auto Parts")), ("traditional",), False, (1, 3, 6, 4)),
    Industry("纺织", (("纺织", "Textile"), ("织造", "Weaving")), ("traditional",), False, (1, 3, 7, 7)),
    Industry("建材", (("建材", "Building Materials"), ("新型建材", "New Building Materials")), ("traditional",), True,
             (1, 3, 6, 4)),
    Industry("新材料", (("新材料科技", "New Material Technology"), ("新材料", "New Materials")), ("emerging",), False,
             (1, 4, 5, 2)),
    Industry("电子信息", (("电子科技", "Electronic Technology"), ("光电科技", "Optoelectronic Technology")), ("emerging",),
             False, (1, 3, 5, 3)),
    Industry("新能源", (("新能源科技", "New Energy Technology"), ("储能科技", "Energy Storage Technology")), ("emerging",),
             False, (1, 3, 4, 2)),
    Industry("污水处理", (("污水处理", "Wastewater Treatment"), ("水务", "Water")), ("third_party",), True, (0, 3, 3, 1)),
    Industry("危废处置", (("固废处置", "Solid Waste Disposal"), ("环境服务", "Environmental Services")), ("third_party",),
             True, (0, 2, 3, 1)),
    Industry("环保服务", (("环保科技", "Environmental Protection Technology"), ("环境工程", "Environmental Engineering")),
             ("third_party",), False, (0, 1, 4, 5)),
]
INDUSTRY_BY_NAME = {industry.name: industry for industry in INDUSTRIES}
SCALES = [Scale.LARGE.value, Scale.MEDIUM.value, Scale.SMALL.value, Scale.MICRO.value]

# The first featured enterprises are fixed kinds, so every year's list can cover every scale and type.
FIXED_KINDS = [("化工", "large"), ("新材料", "medium"), ("污水处理", "medium"), ("印染", "small"),
               ("机械制造", "micro"), ("制药", "large"), ("危废处置", "small"), ("食品加工", "micro"),
               ("电镀", "small"), ("电子信息", "medium"), ("造纸", "large"), ("环保服务", "micro")]

ROADS = ["工业路", "滨江路", "开发大道", "创业路", "环城北路", "新安大街", "科技路", "园区一路", "园区二路", "兴业街",
         "临湖路", "纬三路", "经五路", "富民路"]

CONTACT_SUMMARIES = {
    "visit": ["走访企业，查看污水处理站和废气治理设施运行情况，了解企业生产经营状况",
              "上门服务，现场核对危险废物台账和贮存场所，宣讲固体废物污染环境防治法要求",
              "实地走访，跟进上月反映问题的整改进展，查看整改现场",
              "陪同联系领导走访企业，听取企业负责人对环保服务的意见建议",
              "现场指导企业完善排污许可执行报告和环境管理台账"],
    "video": ["视频连线企业环保负责人，远程查看在线监测数据和治理设施运行记录",
              "视频会商，指导企业修编突发环境事件应急预案",
              "视频连线，解读新发布的行业排放标准和自行监测要求"],
    "phone": ["电话回访，了解上月问题办理情况，企业表示满意",
              "电话联系企业环保专员，提醒按时提交排污许可季度执行报告",
              "电话沟通，告知环保专项资金申报时间和材料要求",
              "电话了解企业近期生产负荷和治理设施运行情况，无异常"],
}

# (problem raised at a contact, category of the service item it becomes)
CONTACT_PROBLEMS = [
    ("排污许可证将于年底到期，企业不清楚延续申请需要哪些材料", "approval"),
    ("新建一条生产线，咨询环评手续如何办理、能否走绿色通道", "approval"),
    ("污水处理站出水总磷偶有超标风险，希望监测站给予技术指导", "technology"),
    ("危废暂存间容量不足，委托处置单位转运不及时", "assistance"),
    ("VOCs废气治理设施选型拿不准，希望推荐成熟工艺", "technology"),
    ("在线监测设备数据传输时有中断，运维单位响应慢", "technology"),
    ("咨询环保税减免和环保专项资金申报政策", "policy"),
    ("希望了解清洁生产审核的奖补政策", "policy"),
    ("周边居民反映厂界有异味，企业希望帮助查找原因", "assistance"),
    ("应急预案到期需要修编，企业缺少专业人员", "assistance"),
    ("雨污分流改造涉及园区管网接口，需要协调园区管委会", "assistance"),
    ("自行监测方案需按新标准调整，请求指导", "technology"),
    ("企业申请纳入监督执法正面清单", "policy"),
    ("咨询碳排放核算和碳配额管理相关要求", "policy"),
]

EXPERT_TEAMS = ["县生态环境局环保体检专家组（组长：{leader}，高级工程师）",
                "省环境科学研究院专家服务团队",
                "县环境监测站与市环境科学研究所联合体检组",
                "县环保产业协会专家服务团（组长：{leader}）"]
CHECK_SCOPES = ["废水、废气、固废、噪声及环境风险全要素体检",
                "污水处理设施运行及排污许可执行情况专项体检",
                "危险废物规范化管理专项体检",
                "挥发性有机物（VOCs）治理专项体检"]

# (finding, severity, suggested treatment, category of the service item it becomes)
FINDINGS = [
    ("危废贮存间防渗层破损，未设置导流沟和渗滤液收集池", "high",
     "按危险废物贮存污染控制标准修复防渗层，增设导流沟和收集池", "technology"),
    ("危险废物管理台账记录不完整，转移联单与台账数量不一致", "medium", "建立电子台账，逐月核对转移联单", "assistance"),
    ("废气收集效率低，车间无组织排放明显", "high", "对产污工位实施密闭收集，提高集气罩风量", "technology"),
    ("活性炭吸附装置未按期更换活性炭，无更换记录", "medium", "按设计参数确定更换周期并建立更换台账", "technology"),
    ("雨水排放口未设置截止阀，存在事故废水外排风险", "high", "雨水排口加装截止阀，完善事故应急池切换设施", "technology"),
    ("突发环境事件应急预案已超过三年未修订", "medium", "委托技术单位修编应急预案并报备", "assistance"),
    ("排污口标识牌缺失或信息不全", "low", "按规范设置排污口标识牌", "other"),
    ("自行监测频次不足，部分因子未按许可证要求监测", "medium", "按排污许可证要求调整自行监测方案", "technology"),
    ("污泥脱水间地面积水，污泥堆放不规范", "low", "规范污泥暂存，及时转运处置", "technology"),
    ("实际生产规模与环评批复不一致，存在未批先建风险", "high", "梳理产能变化，依法办理环评变更手续", "approval"),
    ("厂界噪声夜间接近限值，冷却塔未采取降噪措施", "low", "冷却塔加装消声装置", "technology"),
    ("在线监测设备比对监测未按期开展", "medium", "委托有资质单位开展比对监测", "technology"),
]

# Matters an enterprise brings to the bureau itself (source: enterprise request), and one from elsewhere.
REQUESTS = [
    ("企业申请协调排污权交易指标，用于扩建项目", "policy", "request"),
    ("扩建项目申请环评提前介入服务", "approval", "request"),
    ("申请协调危废处置单位加快转运积存的废活性炭", "assistance", "request"),
    ("申请环保信用修复指导", "policy", "request"),
    ("新上RTO焚烧装置，请求组织专家开展技术评估", "technology", "request"),
    ("法定代表人变更，申请协助办理排污许可证变更", "approval", "request"),
    ("县工商联转来企业诉求：希望简化竣工环保验收资料", "other", "other"),
]

RESOLUTIONS = {
    "approval": ["已指导企业补齐申报材料，审批科受理后按时办结", "已开通绿色通道，环评批复已下达",
                 "排污许可证已完成变更（延续），企业已领取新证"],
    "technology": ["监测站派员现场指导，企业完成设施调整，复测达标", "企业按专家意见完成整改，经现场复核销号",
                   "已组织专家论证，企业按推荐工艺完成改造"],
    "assistance": ["已协调处置单位完成转运，暂存量恢复正常", "已协调园区管委会，管网接口改造完成",
                   "已帮助企业完成应急预案修编并备案"],
    "policy": ["已书面解读政策并指导申报，企业已提交申请", "政策已宣讲到位，企业表示满意",
               "企业已纳入正面清单并告知"],
    "other": ["已答复企业，企业无异议", "已按要求整改到位，现场复核销号"],
}
TRACK_NOTES = ["承办科室已与企业对接，正在制定整改方案", "企业整改完成约一半，预计月底前完成",
               "已现场查看整改进度，督促按期完成", "申报材料已补齐，正在审核中", "已约请专家，定于下周赴企业现场"]
HAND_OVER_NOTES = ["请按职责办理，并及时反馈", "涉及专业技术问题，请监测站协助", "请在期限内办结并书面反馈企业", ""]
CANCEL_REASONS = ["企业已自行完成整改，经核实无需继续跟踪", "企业停产关闭，事项终止"]
END_REASONS = ["企业停产搬迁至外县", "企业被兼并重组，由承接主体另行结对", "企业申请退出结对，转为常规服务"]

# Which department takes over an item of a category.
DEPARTMENT_FOR = {
    "approval": ["行政审批科"],
    "technology": ["环境监测站", "大气与水环境科"],
    "assistance": ["固体废物管理科", "生态环境监察大队", "大气与水环境科"],
    "policy": ["办公室", "宣教法制科"],
    "other": ["办公室"],
}
LIAISON_DEPARTMENTS = ("生态环境监察大队", "行政审批科", "固体废物管理科", "大气与水环境科", "环境监测站", "办公室")


# --- enterprises ----------------------------------------------------------------------------------

def credit_code(rng: random.Random, taken: set[str]) -> str:
    """A valid, unused unified social credit code of an enterprise registered in the demo county."""
    while True:
        # Enterprises registered since 2015 get an organisation part starting "MA"; older ones a converted code.
        body = ("MA" + "".join(rng.choice(ALPHABET) for _i in range(7)) if rng.random() < 0.6
                else "".join(rng.choice(ALPHABET) for _i in range(9)))
        first17 = "91" + AREA_CODE + body
        code = first17 + check_character(first17)
        if code not in taken:
            taken.add(code)
            return code


def _town_short(town: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if town.endswith(suffix) and len(town) > len(suffix) + 1:
            return town[:-len(suffix)]
    return ""


def _enterprise_name(rng: random.Random, industry: Industry, scale: str, town: reference.Town) -> tuple[str, str]:
    brand, brand_en = rng.choice(BRANDS)
    word, word_en = rng.choice(industry.words)
    if scale == "large":
        form, form_en = rng.choice([("股份有限公司", "Co., Ltd."), ("集团有限公司", "Group Co., Ltd."),
                                    ("有限公司", "Co., Ltd.")])
    elif scale == "micro" and rng.random() < 0.4 and industry.name not in ("污水处理", "危废处置"):
        form, form_en = ("厂", "Factory")
    else:
        form, form_en = rng.choice([("有限公司", "Co., Ltd.")] * 4 + [("有限责任公司", "Co., Ltd.")])
    town_short = _town_short(town.name_zh)
    pattern = rng.random()
    if form == "厂" and town_short:
        place, place_en = COUNTY + town_short, f"{COUNTY_EN} {town.name_en.rsplit(' ', 1)[0]}"
    elif pattern < 0.4:
        place, place_en = COUNTY, COUNTY_EN
    elif pattern < 0.6:
        place, place_en = "浙江", "Zhejiang"
    elif pattern < 0.75:
        place, place_en = "浙江青溪", f"Zhejiang {COUNTY_EN}"
    elif pattern < 0.9:
        place, place_en = "青溪", COUNTY_EN
    else:
        place, place_en = "杭州", "Hangzhou"
    return f"{place}{brand}{word}{form}", f"{place_en} {brand_en} {word_en} {form_en}"


def _types(rng: random.Random, industry: Industry, scale: str) -> tuple[str, ...]:
    kinds = set(industry.types)
    if industry.polluting and rng.random() < {"large": 0.9, "medium": 0.6, "small": 0.3, "micro": 0.1}[scale]:
        kinds.add(EnterpriseType.KEY_DISCHARGER.value)
    if industry.name in ("新材料", "电子信息") and rng.random() < 0.2:
        kinds.add(EnterpriseType.TRADITIONAL.value)  # a traditional plant turning to new products
    return tuple(sorted(kinds))


def _enterprise_inputs(rng: random.Random, count: int, towns: list[reference.Town], names: set[str],
                       codes: set[str], people: set[str], fixed: bool = False) -> list[EnterpriseInput]:
    """`count` new enterprises with unused names and codes; with `fixed`, the first ones are FIXED_KINDS."""
    from envdesk.app.demo import mobile_number, person_names

    inputs = []
    # Enterprises cluster in the parks and the bigger towns.
    town_weights = [5 if t.kind == "park" else 1 if t.kind == "township" else 2 for t in towns]
    while len(inputs) < count:
        if fixed and len(inputs) < len(FIXED_KINDS):
            industry_name, scale = FIXED_KINDS[len(inputs)]
            industry = INDUSTRY_BY_NAME[industry_name]
        else:
            industry = rng.choice(INDUSTRIES)
            scale = rng.choices(SCALES, weights=industry.scales)[0]
        town = rng.choices(towns, weights=town_weights)[0]
        name, name_en = _enterprise_name(rng, industry, scale, town)
        if name in names:
            continue
        names.add(name)
        (contact,) = person_names(rng, 1, people)
        inputs.append(EnterpriseInput(
            name_zh=name, name_en=name_en if scale in ("large", "medium") or rng.random() < 0.4 else "",
            credit_code=credit_code(rng, codes), town_id=town.id,
            address=f"浙江省{COUNTY}{town.name_zh}{rng.choice(ROADS)}{rng.randint(1, 388)}号",
            industry=industry.name, scale=scale, types=_types(rng, industry, scale),
            contact_person=contact, contact_phone=mobile_number(rng),
            notes="" if rng.random() < 0.85 else rng.choice(["省级绿色工厂", "市级重点监管单位", "园区入驻企业",
                                                            "拟申报上市", "已通过ISO 14001认证"])))
    return inputs


# --- pairs, contacts, checks and items ------------------------------------------------------------

@dataclass(frozen=True)
class _ToRaise:
    """An item to raise once the story's contacts, checks and requests are in: from what, on which day, by whom."""

    day: date
    kind: str            # contact | finding | request | other
    source_id: int       # the contact, the finding or the enterprise
    category: str
    actor_id: int
    problem: int = 0     # which problem of a contact
    text: str = ""       # what an enterprise asked for


@dataclass
class _Plan:
    """The demo's people, and the items to raise, gathered as the story unfolds."""

    rng: random.Random
    today: date
    liaisons: list[reference.Staff]
    leaders: list[reference.Staff]
    by_department: dict[str, list[reference.Staff]]
    department_ids: dict[str, int]
    liaison_of: dict[int, int] = field(default_factory=dict)  # enterprise id -> liaison id (kept across years)
    raises: list[_ToRaise] = field(default_factory=list)
    contacts: int = 0
    pairs: int = 0

    def liaison_for(self, enterprise_id: int) -> int:
        if enterprise_id not in self.liaison_of:
            self.liaison_of[enterprise_id] = self.rng.choice(self.liaisons).id
        return self.liaison_of[enterprise_id]


def _day_in(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _pick_pairs(rng: random.Random, candidates: list[enterprises.Enterprise], count: int,
                keep: list[enterprises.Enterprise]) -> list[enterprises.Enterprise]:
    """`count` enterprises, starting from `keep`, covering every scale and the main types (DOMAIN.md)."""
    chosen = list(keep)
    wanted = [("scale", s) for s in SCALES] + [("types", t) for t in ("traditional", "emerging", "key_discharger",
                                                                        "third_party")]
    for attribute, value in wanted:
        if any(value == e.scale if attribute == "scale" else value in e.types for e in chosen):
            continue
        fitting = [e for e in candidates if e not in chosen and
                   (value == e.scale if attribute == "scale" else value in e.types)]
        if fitting:
            chosen.append(rng.choice(fitting))
    rest = [e for e in candidates if e not in chosen]
    rng.shuffle(rest)
    return chosen + rest[:max(count - len(chosen), 0)]


def _months(start: date, last: date):
    month = start.replace(day=1)
    while month <= last:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        yield max(month, start), min(following - timedelta(days=1), last)
        month = following


def _log_contacts(ws, plan: _Plan, pair: twinning.Pair, last: date, skip: set[tuple[int, int]]) -> None:
    """Monthly contacts from the pair's start to `last`: most months served, a few missed, none in the future."""
    rng, today = plan.rng, plan.today
    current = (today.year, today.month)
    for first, end in _months(pair.start_date, last):
        key = (first.year, first.month)
        if key in skip:
            continue
        if key == current:
            # Early in the month fewer liaison officers have been out yet.
            if rng.random() > min(0.85, 0.15 + today.day / 31):
                continue
        elif rng.random() < 0.06:
            continue
        days = sorted({_day_in(rng, first, end) for _i in range(2 if rng.random() < 0.15 else 1)})
        for day in days:
            mode = rng.choices(["visit", "phone", "video"], weights=[5, 3, 2])[0]
            staff_id = pair.leader.id if mode == "visit" and rng.random() < 0.15 else pair.liaison.id
            summary = rng.choice(CONTACT_SUMMARIES[mode])
            problems = []
            if rng.random() < 0.2:
                problems = rng.sample(CONTACT_PROBLEMS, 2 if rng.random() < 0.2 else 1)
            contact, _c = twinning.log_contact(ws, pair.id, day, mode, staff_id, summary,
                                               [p for p, _category in problems], today=today)
            plan.contacts += 1
            for index, (_problem, category) in enumerate(problems):
                if rng.random() < 0.85:  # the rest wait for the liaison officer's one click
                    plan.raises.append(_ToRaise(day, "contact", contact.id, category, pair.liaison.id, index))


def _pairs_of_year(ws, plan: _Plan, year: int, chosen: list[enterprises.Enterprise],
                   replacements: list[enterprises.Enterprise]) -> list[twinning.Pair]:
    """A year's pairs, started in a batch after the Spring Festival; two end mid-year and others take over."""
    rng, today = plan.rng, plan.today
    last_day = min(date(year, 12, 31), today)
    leaders = list(plan.leaders)
    rng.shuffle(leaders)
    made: list[tuple[twinning.Pair, date | None]] = []
    launch = min(date(year, 2, 20) + timedelta(days=rng.randint(0, 20)), last_day)

    def pair(enterprise, start):
        leader = leaders[len(made) % len(leaders)]
        value, _c = twinning.pair_enterprise(ws, enterprise.id, year, plan.liaison_for(enterprise.id), leader.id,
                                             start)
        plan.pairs += 1
        return value

    for enterprise in chosen:
        start = min(_day_in(rng, date(year, 1, 1), launch) if rng.random() < 0.3 else launch, last_day)
        made.append((pair(enterprise, start), None))
    # Dynamic management: two pairs end mid-year, and two enterprises are paired in their place.
    if (last_day - launch).days > 120:
        for index, replacement in zip(rng.sample(range(len(made)), 2), replacements, strict=False):
            old, _none = made[index]
            end = _day_in(rng, launch + timedelta(days=60), last_day - timedelta(days=45))
            made[index] = (old, end)
            made.append((pair(replacement, end + timedelta(days=rng.randint(3, 20))), None))
    # Two pairs each miss a past month, so the compliance grid shows red even on a lucky draw.
    missed = {}
    for old, end in rng.sample(made, 2):
        months = list(_months(old.start_date, min(end or last_day, today.replace(day=1) - timedelta(days=1))))
        if len(months) > 2:
            first, _e = rng.choice(months[1:-1])
            missed[old.id] = {(first.year, first.month)}
    # Two current pairs have not been contacted yet this month: the Overview lists them.
    if year == today.year:
        for old, end in rng.sample(made, 2):
            if end is None:
                missed.setdefault(old.id, set()).add((today.year, today.month))
    result = []
    for value, end in made:
        _log_contacts(ws, plan, value, end or last_day, missed.get(value.id, set()))
        if end is not None:
            value, _c = twinning.end_pair(ws, value.id, end, rng.choice(END_REASONS))
        result.append(value)
    return result


def _health_checks(ws, plan: _Plan, pairs: list[twinning.Pair]) -> int:
    """About half of the paired enterprises had a health check, with two to four findings each."""
    from envdesk.app.demo import person_names

    rng, today = plan.rng, plan.today
    by_enterprise: dict[int, twinning.Pair] = {}
    for value in pairs:
        by_enterprise.setdefault(value.enterprise.id, value)
    chosen = rng.sample(sorted(by_enterprise), (len(by_enterprise) + 1) // 2)
    for enterprise_id in chosen:
        value = by_enterprise[enterprise_id]
        last = min(value.end_date or date(value.year, 12, 31), today)
        check_date = _day_in(rng, min(value.start_date + timedelta(days=20), last), last)
        (expert,) = person_names(rng, 1, set())
        findings = rng.sample(FINDINGS, rng.randint(2, 4))
        check, _c = twinning.record_health_check(
            ws, enterprise_id, check_date, rng.choice(EXPERT_TEAMS).format(leader=expert), rng.choice(CHECK_SCOPES),
            [FindingInput(text, severity, treatment) for text, severity, treatment, _category in findings],
            today=today)
        for finding, (_text, _severity, _treatment, category) in zip(check.findings, findings, strict=True):
            if rng.random() < 0.8:
                plan.raises.append(_ToRaise(check_date, "finding", finding.id, category, value.liaison.id))
    return len(chosen)


def _requests(plan: _Plan, pairs: list[twinning.Pair]) -> None:
    rng, today = plan.rng, plan.today
    for text, category, source in REQUESTS:
        value = rng.choice(pairs)
        last = min(value.end_date or date(value.year, 12, 31), today)
        day = _day_in(rng, value.start_date, last)
        plan.raises.append(_ToRaise(day, source, value.enterprise.id, category, value.liaison.id, text=text))


def _target_statuses(rng: random.Random, today: date, days: list[date]) -> list[str]:
    """Where each item's closed loop has got to, by the day it was collected: old ones mostly closed, recent ones
    still moving; one cancelled, a few overdue, and every status present."""
    ages = [(today - day).days for day in days]
    targets = []
    for age in ages:
        if age > 90:
            targets.append(rng.choices(["closed", "tracked"], weights=[9, 1])[0])
        elif age > 30:
            targets.append(rng.choices(["closed", "tracked", "handed_over"], weights=[5, 3, 2])[0])
        else:
            targets.append(rng.choices(["collected", "handed_over", "tracked"], weights=[4, 3, 3])[0])
    overdue_pool = [i for i, age in enumerate(ages) if 45 <= age <= 240]
    for index in rng.sample(overdue_pool, min(3, len(overdue_pool))):
        targets[index] = "overdue"
    cancel_pool = [i for i, age in enumerate(ages) if age > 20 and targets[i] != "overdue"]
    if cancel_pool:
        targets[rng.choice(cancel_pool)] = "cancelled"
    newest_first = sorted(range(len(ages)), key=lambda i: (ages[i], i))
    for status in ("collected", "handed_over", "tracked", "closed"):
        if status in targets:
            continue
        spare = [i for i in newest_first if targets[i] not in ("overdue", "cancelled") and targets.count(targets[i]) > 1]
        if spare:
            targets[spare[-1] if status == "closed" else spare[0]] = status
    return targets


def _raise_items(ws, plan: _Plan) -> list[tuple[twinning.ServiceItem, date, int, str]]:
    """Raise every planned item in date order, so numbers (FW-YYYY-NNNN) follow the calendar."""
    rng, today = plan.rng, plan.today
    planned = sorted(plan.raises, key=lambda r: r.day)  # stable: same-day items keep the order they arose in
    targets = _target_statuses(rng, today, [r.day for r in planned])
    raised = []
    for what, target in zip(planned, targets, strict=True):
        due = what.day + timedelta(days=rng.randint(20, 45))
        if target == "collected":  # not handed over yet, and not overdue either
            due = max(due, today + timedelta(days=rng.randint(3, 30)))
        if what.kind == "contact":
            item, _c = twinning.raise_from_contact(ws, what.source_id, what.problem, what.category, what.actor_id,
                                                   due_date=due, today=today)
        elif what.kind == "finding":
            item, _c = twinning.raise_from_finding(ws, what.source_id, what.category, what.actor_id, due_date=due,
                                                   today=today)
        else:
            item, _c = twinning.create_item(ws, what.source_id, what.kind, what.category, what.text, what.actor_id,
                                            event_date=what.day, due_date=due, today=today)
        raised.append((item, what.day, what.actor_id, target))
    return raised


def _advance(ws, plan: _Plan, item: twinning.ServiceItem, day: date, actor: int, target: str) -> twinning.ServiceItem:
    """Walk one item along collected → handed over → tracked → closed (or cancelled) up to `target`."""
    rng, today = plan.rng, plan.today

    def when(after: date, low: int, high: int) -> date:
        return min(after + timedelta(days=rng.randint(low, high)), today)

    if target == "collected":
        return item
    if target == "cancelled":
        value, _c = twinning.advance_item(ws, item.id, "cancel", actor, event_date=when(day, 3, 20),
                                          reason=rng.choice(CANCEL_REASONS), today=today)
        return value
    department = rng.choice(DEPARTMENT_FOR[item.category.value])
    owner = rng.choice(plan.by_department[department])
    handed = when(day, 1, 6)
    due = handed + timedelta(days=rng.randint(20, 60))
    if target == "overdue":
        due = max(min(due, today - timedelta(days=rng.randint(3, 20))), handed)
    value, _c = twinning.advance_item(ws, item.id, "hand_over", actor, rng.choice(HAND_OVER_NOTES),
                                      event_date=handed, department_id=plan.department_ids[department],
                                      owner_id=owner.id, due_date=due, today=today)
    last = handed
    if target != "handed_over":
        for _step in range(1 if rng.random() < 0.75 else 2):
            last = when(last, 4, 18)
            value, _c = twinning.advance_item(ws, item.id, "track", owner.id, rng.choice(TRACK_NOTES),
                                              event_date=last, today=today)
    if target in ("handed_over", "tracked") and due < today:
        # A long-running matter is passed on (转办) to another department with a new deadline, rather than
        # left overdue: only the few "overdue" items should show red on the Overview.
        others = [d for d in DEPARTMENT_FOR[item.category.value] + ["生态环境监察大队"] if d != department]
        department = rng.choice(others)
        owner = rng.choice(plan.by_department[department])
        last = when(max(last, today - timedelta(days=25)), 0, 10)
        value, _c = twinning.advance_item(ws, item.id, "hand_over", actor, "原承办科室协调未果，转交办理",
                                          event_date=last, department_id=plan.department_ids[department],
                                          owner_id=owner.id,
                                          due_date=max(last, today) + timedelta(days=rng.randint(2, 40)),
                                          today=today)
        if target == "tracked":
            last = when(last, 2, 10)
            value, _c = twinning.advance_item(ws, item.id, "track", owner.id, rng.choice(TRACK_NOTES),
                                              event_date=last, today=today)
    if target in ("handed_over", "tracked", "overdue"):
        return value
    value, _c = twinning.advance_item(ws, item.id, "close", owner.id, event_date=when(last, 3, 25),
                                      resolution=rng.choice(RESOLUTIONS[item.category.value]), today=today)
    return value


def twinning_demo(ctx: DemoContext) -> str:
    """The demo's twinning register; returns one line saying what it added."""
    ws, rng, today = ctx.ws, ctx.rng, date.today()
    towns = [t for t in reference.list_towns(ws) if t.active]
    staff = [s for s in reference.list_staff(ws) if s.active]
    departments = {d.name_zh: d.id for d in reference.list_departments(ws)}
    by_department: dict[str, list[reference.Staff]] = {}
    for person in staff:
        if not person.is_leader:
            by_department.setdefault(person.department_name, []).append(person)
    plan = _Plan(rng, today,
                 liaisons=[s for s in staff if not s.is_leader and s.department_name in LIAISON_DEPARTMENTS],
                 leaders=[s for s in staff if s.is_leader], by_department=by_department, department_ids=departments)

    # Enterprises: the featured ones one by one, the bulk of `large` in one import.
    names: set[str] = set()
    codes: set[str] = set()
    people = {s.name for s in staff}
    featured = []
    for data in _enterprise_inputs(rng, FEATURED, towns, names, codes, people, fixed=True):
        value, _c = enterprises.save_enterprise(ws, None, data)
        featured.append(value)
        ctx.progress.check()
    count = len(featured)
    if ctx.size == "large":
        town_names = {t.id: t.name_zh for t in towns}
        bulk = _enterprise_inputs(rng, LARGE_EXTRA, towns, names, codes, people)
        rows = [(number, {"name_zh": d.name_zh, "name_en": d.name_en, "credit_code": d.credit_code,
                          "town": town_names[d.town_id], "address": d.address, "industry": d.industry,
                          "scale": d.scale, "types": d.types, "contact_person": d.contact_person,
                          "contact_phone": d.contact_phone, "notes": d.notes})
                for number, d in enumerate(bulk, start=2)]
        count += enterprises.import_enterprises(ws, rows).created
        ctx.progress.check()

    # Pairs for the previous and the current year; about half of last year's enterprises stay paired.
    previous_year, year = today.year - 1, today.year
    rng.shuffle(featured)
    chosen_before = _pick_pairs(rng, featured[:40], PAIRS_PER_YEAR, [])
    spare = [e for e in featured if e not in chosen_before]
    before = _pairs_of_year(ws, plan, previous_year, chosen_before, spare[:2])
    ctx.progress.check()
    ended = {p.enterprise.id for p in before if p.end_date is not None}
    staying = [p.enterprise for p in before if p.enterprise.id not in ended][:PAIRS_PER_YEAR // 2]
    fresh = [e for e in featured if e.id not in {p.enterprise.id for p in before}]
    chosen_now = _pick_pairs(rng, fresh[:30], PAIRS_PER_YEAR, staying)
    spare = [e for e in fresh if e not in chosen_now]
    now = _pairs_of_year(ws, plan, year, chosen_now, spare[:2])
    ctx.progress.check()

    checks = _health_checks(ws, plan, before + now)
    _requests(plan, before + now)
    raised = _raise_items(ws, plan)
    ctx.progress.check()
    for item, day, actor, target in raised:
        _advance(ws, plan, item, day, actor, target)
    return _("{enterprises} enterprises, {pairs} pairs, {contacts} contacts, {checks} health checks, "
             "{items} service items").format(enterprises=count, pairs=plan.pairs, contacts=plan.contacts,
                                             checks=checks, items=len(raised))
