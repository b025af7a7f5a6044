"""The twinning register at benchmark size (`envdesk demo --size large`): opening the tab and filtering."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.large import large_database, median_ms
from envdesk.app.access import Principal

TESTER = Principal.trusted("tester")

RUNS = 5


def _median_ms(function, runs: int = RUNS) -> float:
    return median_ms(function, runs, warm=False)


def run(home: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ENVDESK_HOME"] = str(home)
    url = large_database(home)
    from envdesk.app import enterprises, twinning
    from envdesk.app.workspace import Workspace
    from envdesk.ui.application import ensure_application
    from envdesk.ui.twinning.enterprises import EnterpriseBrowser
    from envdesk.ui.twinning.tab import TwinningTab

    ensure_application()
    ws = Workspace(url, user=TESTER)
    try:
        count = enterprises.count_enterprises(ws)
        tabs = []
        results = {
            "twinning_enterprises": count,
            "twinning_tab_open_ms": _median_ms(lambda: tabs.append(TwinningTab(ws))),
        }
        tab = tabs[-1]
        tab._search.setText("化工")
        results["twinning_filter_ms"] = _median_ms(tab.refresh)
        browser = EnterpriseBrowser(ws)

        def search(text: str):
            def go():
                browser.search.setText(text)
                browser.reload()
            return go

        results["enterprise_search_2char_ms"] = _median_ms(search("化工"))
        results["enterprise_search_code_ms"] = _median_ms(search("913301"))
        results["enterprise_list_open_ms"] = _median_ms(lambda: EnterpriseBrowser(ws))
        results["twinning_year_list_ms"] = _median_ms(lambda: twinning.year_list(ws, tab.year))
    finally:
        ws.close()
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for key, value in run(Path(tmp)).items():
            print(f"{key:32s} {value}")
