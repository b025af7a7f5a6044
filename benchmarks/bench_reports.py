"""Benchmark: pages per second of a 200-page ledger, EnvDesk's engine against bare ReportLab."""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle

from envdesk.domain.reference import Bureau
from envdesk.i18n import N_
from envdesk.reports import LEDGER, Column, DocumentSpec, fonts, render

COLUMNS = (
    Column(N_("No."), 0.5, "center"),
    Column(N_("Project"), 3.6),
    Column(N_("Builder"), 2.0),
    Column(N_("Credit code"), 1.9),
    Column(N_("Town"), 1.0),
    Column(N_("Date received"), 1.3),
    Column(N_("Document type"), 1.0),
)
TOWNS = ("城关镇", "青溪街道", "白沙乡", "工业园区", "石门镇", "龙潭乡")
WHAT = ("年产5万吨饲料生产线", "污水处理厂提标改造", "110kV输变电工程", "汽车零部件加工", "光伏发电项目", "印染废水回用")
KINDS = ("报告书", "报告表", "登记表")


def rows(count: int, seed: int = 7) -> list[list[object]]:
    """Realistic approval-ledger rows, each short enough to print on one line in both builds."""
    rng = random.Random(seed)
    start = date(2026, 1, 5)
    return [
        [
            n,
            f"青溪县{rng.choice(WHAT)}项目（{rng.choice('一二三')}期）",
            f"青溪{rng.choice(('恒达', '绿源', '华盛', '新材'))}科技有限公司",
            f"91331122{rng.randrange(10**9):09d}{rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}",
            rng.choice(TOWNS),
            start + timedelta(days=rng.randrange(300)),
            rng.choice(KINDS),
        ]
        for n in range(1, count + 1)
    ]


def engine_pdf(data: list[list[object]]) -> bytes:
    bureau = Bureau("青溪县生态环境局", "Qingxi County Ecology and Environment Bureau")
    spec = DocumentSpec(title="台账", language="zh_CN", bureau=bureau, layout=LEDGER,
                        write=lambda w: w.ledger(COLUMNS, data))
    return render(spec)


def bare_pdf(data: list[list[object]]) -> bytes:
    """The yardstick: one LongTable of plain strings in the same Song font, no escaping, no fallback."""
    fonts.register_fonts()
    total = sum(c.width for c in COLUMNS)
    widths = [LEDGER.frame_width * c.width / total for c in COLUMNS]
    table = [[c.header for c in COLUMNS]] + [[str(v) for v in row] for row in data]
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.SONG, 10.5, 14),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LEDGER.pagesize, topMargin=LEDGER.top, bottomMargin=LEDGER.bottom,
                            leftMargin=LEDGER.left, rightMargin=LEDGER.right, initialFontName=fonts.SONG)
    doc.build([LongTable(table, colWidths=widths, repeatRows=1, style=style)])
    return buffer.getvalue()


def pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type /Page")


def measure(build, data, repeat: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        pdf = build(data)
        best = min(best, time.perf_counter() - started)
        count = pages(pdf)
    return count, best


def figures(pages: int, seconds: float) -> dict[str, float]:
    return {"pages": pages, "seconds": round(seconds, 3), "pages_per_second": round(pages / seconds, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200, help="about how many pages the ledger has")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build; the best counts")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    fonts.register_fonts()
    engine_pdf(rows(50))  # warm up: font loading and caches are paid once per process
    per_page = 22  # one-line rows on a landscape page: the ledger has about --pages pages
    data = rows(args.pages * per_page)
    engine_pages, engine_s = measure(engine_pdf, data, args.repeat)
    bare_pages, bare_s = measure(bare_pdf, data, args.repeat)
    engine, bare = figures(engine_pages, engine_s), figures(bare_pages, bare_s)
    result = {"benchmark": "reports.ledger", "rows": len(data), "engine": engine, "bare_reportlab": bare,
              "ratio": round(bare["pages_per_second"] / engine["pages_per_second"], 2)}
    print(f"engine:         {engine_pages} pages in {engine_s:.2f} s = {engine['pages_per_second']} pages/s")
    print(f"bare ReportLab: {bare_pages} pages in {bare_s:.2f} s = {bare['pages_per_second']} pages/s")
    print(f"ratio (bare / engine, pages per second): {result['ratio']} (aim: at most 2)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
