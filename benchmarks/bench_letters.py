"""Benchmark: 500 bilingual responsibility letters printed in one batch (one PDF, each letter from a new page),
EnvDesk's engine against the same pages in bare ReportLab."""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from envdesk.app.responsibility import DEFAULT_TEXTS, Letter
from envdesk.domain.reference import Bureau
from envdesk.domain.responsibility import LETTER_SECTIONS, LetterKind, LetterStatus
from envdesk.i18n import gettext_for
from envdesk.reports import OFFICIAL, fonts, render_batch
from envdesk.reports.responsibility import letters_batch_specs

BUREAU = Bureau("青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")
DEPARTMENTS = (("局办公室", "General Office"), ("环境监察大队", "Environmental Inspection Brigade"),
               ("污染防治股", "Pollution Prevention Section"), ("法规宣教股", "Law and Publicity Section"),
               ("生态保护股", "Ecological Protection Section"), ("环评审批股", "EIA Approval Section"),
               ("环境监测站", "Environmental Monitoring Station"), ("行政审批服务科", "Administrative Approval Office"))
VERBS = ("开展", "推进", "完成", "组织", "落实", "督促")
WHAT = ("重点排污单位执法检查", "饮用水水源地环境问题排查整治", "挥发性有机物综合治理", "“六五”环境日主题宣传活动",
        "建设项目环评文件审批", "入河排污口排查整治", "秸秆禁烧巡查", "餐饮油烟专项整治", "危险废物规范化管理考核",
        "生态环境信访积案化解", "污染源自动监控设施运维监管", "中央环保督察反馈问题整改")
DETAIL = ("，建立问题清单、责任清单和整改清单，实行销号管理", "，每月报送工作进展", "", "，确保按期完成",
          "，形成长效机制")
REMARKS = ("", "", "", "每周报送进展", "会同乡镇", "纳入年度考核")
LEADERS = (("王建国", "党组书记、局长"), ("李明华", "党组成员、副局长"), ("周晓东", "副局长"))
# The sections' Chinese wording as a snapshot holds it (the catalog may not have it yet: a snapshot is data).
ZH_TEXTS = {
    LetterKind.TARGET: {
        "duties": "乙方牵头负责目标任务表所列本部门任务，将每项任务落实到责任人，每周向领导小组办公室报送工作进展，按时限、"
                  "按标准完成各项任务。",
        "assessment": "目标任务实行百分制考核，其中平时检查占40分，年终考核占60分。未按时限完成的任务不得分，事先经批准延期"
                      "的除外。",
        "rewards": "考核得分90分以上的部门予以通报表扬；得分低于60分的部门予以通报批评，部门负责人向甲方作出书面说明。考核"
                   "结果纳入部门及其工作人员年度绩效考核。",
        "term": "本责任书自签订之日起至计划结束时止有效。本责任书一式两份，甲乙双方各执一份。",
    },
    LetterKind.CLEAN_GOVERNMENT: {
        "duties": "乙方对本部门党风廉政建设负主体责任，以身作则，严格遵守中央八项规定精神，加强对本部门工作人员在执法、审批"
                  "和资金使用等方面的监督，发现问题及时报告。",
        "assessment": "本责任书履行情况与年度工作目标一并实行百分制考核，通过日常监督和年终考核进行。",
        "rewards": "部门发生严重违纪违法问题的，依照问责有关规定追究乙方责任，该部门当年不得评为先进。",
        "term": "本责任书自签订之日起至当年年底有效。本责任书一式两份，甲乙双方各执一份。",
    },
}
HEADS = (("张伟", "主任"), ("陈刚", "大队长"), ("刘芳", "股长"), ("赵敏", "股长"), ("孙磊", "站长"))


def snapshots(count: int, seed: int = 11) -> list[Letter]:
    """`count` letters as generate_letters makes them, with 8–12 realistic targets each; no database."""
    rng = random.Random(seed)
    letters = []
    for n in range(1, count + 1):
        kind = LetterKind.TARGET if n % 2 else LetterKind.CLEAN_GOVERNMENT
        zh, en = DEPARTMENTS[n % len(DEPARTMENTS)]
        leader, leader_title = rng.choice(LEADERS)
        head, head_title = rng.choice(HEADS)
        start = date(2026, 1, 1)
        targets = [{"number": str(i), "section": "", "role": "lead" if rng.random() < 0.7 else "assisting",
                    "content": f"{rng.choice(VERBS)}{rng.choice(WHAT)}{rng.choice(DETAIL)}",
                    "deadline": (start + timedelta(days=rng.randrange(30, 360))).isoformat(),
                    "remarks": rng.choice(REMARKS)} for i in range(1, rng.randint(8, 12) + 1)]
        content = {
            "plan_title_zh": "2026年度生态环境保护重点工作", "plan_title_en": "Key environmental work of 2026",
            "year": 2026, "start_on": "2026-01-01", "end_on": "2026-12-31", "department_zh": zh,
            "department_en": en, "party_a": leader, "party_a_title": leader_title, "party_b": head,
            "party_b_title": f"{zh}{head_title}", "targets": targets,
            "sections": {section: {"zh_CN": ZH_TEXTS[kind][section], "en": gettext_for("en", DEFAULT_TEXTS[kind][section])}
                         for section in LETTER_SECTIONS},
        }
        number = f"{'MB' if kind is LetterKind.TARGET else 'LZ'}-2026-{n:03d}"
        letters.append(Letter(
            id=n, plan_id=1, kind=kind, number=number, revision=1, supersedes_id=None, department_id=n,
            department=zh, party_a_id=1, party_a=leader, party_b_id=2, party_b=head, status=LetterStatus.DRAFT,
            content=content, printed_on=None, signed_on=None, archived_on=None, scan_file_name="", scan_sha256="",
            outdated=False, version=1))
    return letters


def engine_pdf(letters: list[Letter], target: Path) -> bytes:
    render_batch(letters_batch_specs(BUREAU, letters, "bilingual", date(2026, 1, 5)), target, one_file=True)
    return target.read_bytes()


def bare_pdf(letters: list[Letter], target: Path) -> bytes:
    """The yardstick: the same blocks as plain Paragraphs and Tables in the same fonts: no escaping, no font
    fallback, no page 'N of M'."""
    fonts.register_fonts()
    song = dict(fontName=fonts.SONG, wordWrap="CJK")
    body = ParagraphStyle("b", fontSize=12, leading=22, firstLineIndent=24, **song)
    second = ParagraphStyle("s", fontSize=10, leading=14, spaceAfter=8, **song)
    title = ParagraphStyle("t", fontName=fonts.HEI, fontSize=22, leading=32, alignment=TA_CENTER)
    title2 = ParagraphStyle("t2", fontName=fonts.HEI, fontSize=15, leading=22, alignment=TA_CENTER)
    sub = ParagraphStyle("u", fontSize=15, leading=24, alignment=TA_CENTER, **song)
    right = ParagraphStyle("r", fontSize=11, leading=16, alignment=TA_RIGHT, **song)
    heading = ParagraphStyle("h", fontName=fonts.HEI, fontSize=14, leading=22, spaceBefore=10, spaceAfter=4)
    cell = ParagraphStyle("c", fontSize=10.5, leading=14, **song)
    party = ParagraphStyle("p", fontSize=13, leading=22, **song)
    grid = TableStyle([("FONT", (0, 0), (-1, -1), fonts.SONG, 10.5, 14), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (-1, 0), "#e8e8e8")])
    width = OFFICIAL.frame_width
    widths = [30, width - 30 - 60 - 90 - 70, 60, 90, 70]
    story = []
    for index, letter in enumerate(letters):
        c = letter.content
        if index:
            story.append(PageBreak())
        kind_zh, kind_en = ("目标责任书", "Target responsibility letter") if letter.kind is LetterKind.TARGET else \
            ("党风廉政建设责任书", "Clean-government responsibility letter")
        story += [Paragraph(f"编号 Letter No.：{letter.number}", right), Spacer(1, 18), Paragraph(kind_zh, title),
                  Paragraph(kind_en, title2), Paragraph(c["plan_title_zh"], sub), Paragraph(c["plan_title_en"], second),
                  Paragraph(f"甲方 Party A：{BUREAU.name_zh}　{c['party_a']}（{c['party_a_title']}）", party),
                  Paragraph(f"乙方 Party B：{c['department_zh']}　{c['party_b']}（{c['party_b_title']}）", party),
                  Paragraph("为全面完成2026年度各项目标任务，明确工作责任，确保任务落实，经甲乙双方协商，签订本责任书。", body),
                  Paragraph("To accomplish the targets of the year, Party A and Party B have agreed on this letter.",
                            second), CondPageBreak(85), Paragraph("一、目标任务 Targets", heading)]
        rows = [["序号\nNo.", "活动内容\nTask", "责任方式\nRole", "完成时限\nDeadline", "备注\nRemarks"]]
        rows += [[t["number"], Paragraph(t["content"], cell), "牵头\nLead" if t["role"] == "lead" else "配合\nAssisting",
                  t["deadline"], Paragraph(t["remarks"], cell)] for t in c["targets"]]
        story.append(LongTable(rows, colWidths=widths, repeatRows=1, style=grid))
        for number, section in zip("二三四五", LETTER_SECTIONS, strict=True):
            block = [CondPageBreak(85), Paragraph(f"{number}、{section}", heading),
                     Paragraph(c["sections"][section]["zh_CN"], body), Paragraph(c["sections"][section]["en"], second)]
            story += block
        story.append(KeepTogether([Spacer(1, 18), Table(
            [["甲方（签字）\nParty A (signature)：", "", "乙方（签字）\nParty B (signature)：", ""],
             ["日期 Date：", "年　月　日", "日期 Date：", "年　月　日"]], colWidths=[width / 4] * 4,
            style=TableStyle([("FONT", (0, 0), (-1, -1), fonts.SONG, 11, 16)]))]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=OFFICIAL.pagesize, topMargin=OFFICIAL.top, bottomMargin=OFFICIAL.bottom,
                            leftMargin=OFFICIAL.left, rightMargin=OFFICIAL.right, initialFontName=fonts.SONG)
    doc.build(story)
    target.write_bytes(buffer.getvalue())
    return target.read_bytes()


def pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type /Page")


def measure(build, letters: list[Letter], target: Path, repeat: int) -> tuple[int, float]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        pdf = build(letters, target)
        best = min(best, time.perf_counter() - started)
        count = pages(pdf)
    return count, best


def run(letters: int = 500, repeat: int = 3) -> dict[str, float]:
    """The figures `python -m benchmarks` reports."""
    fonts.register_fonts()
    data = snapshots(letters)
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        folder = Path(tmp)
        engine_pdf(data[:10], folder / "warm.pdf")  # font loading and caches are paid once per process
        engine_pages, engine_s = measure(engine_pdf, data, folder / "engine.pdf", repeat)
        bare_pages, bare_s = measure(bare_pdf, data, folder / "bare.pdf", repeat)
    return {"print_500_letters_s": round(engine_s, 3), "print_raw_reportlab_s": round(bare_s, 3),
            "print_letters_pages": engine_pages, "print_letters_raw_pages": bare_pages,
            "print_letters_ratio": round(engine_s / bare_s, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; the best counts")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.letters, args.repeat)
    print(f"engine:         {args.letters} bilingual letters, {result['print_letters_pages']} pages in "
          f"{result['print_500_letters_s']:.2f} s (aim: at most 10 s)")
    print(f"bare ReportLab: {result['print_letters_raw_pages']} pages in {result['print_raw_reportlab_s']:.2f} s")
    print(f"ratio (engine / bare, seconds): {result['print_letters_ratio']} (aim: at most 2)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
