"""The `envdesk` command contract: exit statuses, one-line errors, sub-commands."""

import sqlite3

import pytest

from envdesk import __version__
from envdesk.cli import main


def sign_in_as(monkeypatch, login="admin", password="envdesk-demo"):
    """The demo database has accounts (one per role): commands name their user, as scripts do."""
    monkeypatch.setenv("ENVDESK_USER", login)
    monkeypatch.setenv("ENVDESK_PASSWORD", password)


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"EnvDesk {__version__}"


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "config", "backup", "restore", "screenshot"):
        assert command in out


def test_help_speaks_chinese_when_asked(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "--help"])
    out = capsys.readouterr().out
    assert "演示数据" in out  # the sub-command help is translated
    assert "EnvDesk" in out


def test_unknown_option_is_one_line_and_status_2(capsys):
    status, out, err = run(capsys, "--frobnicate")
    assert status == 2
    assert err.count("\n") == 1 and "--frobnicate" in err


@pytest.mark.parametrize("url", ["nonsense", "sqlite:////no/such/dir/x.sqlite3", "oracle://x/y"])
def test_bad_database_url_is_one_line_and_status_2(capsys, url):
    status, out, err = run(capsys, "--db", url, "config", "get", "bureau/name_zh")
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("envdesk: ")


def test_newer_database_is_refused_and_untouched(capsys, tmp_path):
    path = tmp_path / "newer.sqlite3"
    assert run(capsys, "--db", f"sqlite:///{path}", "config", "set", "bureau/name_zh", "局")[0] == 0
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    status, out, err = run(capsys, "--db", f"sqlite:///{path}", "config", "set", "bureau/name_zh", "新")
    assert status == 2 and "newer EnvDesk" in err
    assert path.read_bytes() == before


def test_config_set_get_and_bad_values(capsys, sqlite_url):
    assert run(capsys, "config", "set", "complaints/handling/limit", "45", "--db", sqlite_url)[0] == 0
    assert run(capsys, "--db", sqlite_url, "config", "get", "complaints/handling/limit")[1].strip() == "45"
    status, out, err = run(capsys, "--db", sqlite_url, "config", "set", "complaints/handling/limit", "lots")
    assert status == 2 and "complaints/handling/limit" in err
    status, out, err = run(capsys, "--db", sqlite_url, "config", "get", "no/such/key")
    assert status == 2 and "unknown setting" in err
    status, out, err = run(capsys, "--db", sqlite_url, "config", "list")
    assert "bureau/name_zh = " in out and "complaints/handling/limit = 45" in out


def test_demo_then_backup_then_restore(capsys, sqlite_url, tmp_path, monkeypatch):
    status, out, err = run(capsys, "--db", sqlite_url, "demo")
    assert status == 0 and "departments" in out
    sign_in_as(monkeypatch)
    assert run(capsys, "--db", sqlite_url, "demo")[0] == 2  # not twice
    target = tmp_path / "copy.sqlite3"
    status, out, err = run(capsys, "--db", sqlite_url, "backup", "-o", str(target))
    assert status == 0 and target.exists()
    run(capsys, "--db", sqlite_url, "config", "set", "bureau/name_zh", "改过的名字")
    status, out, err = run(capsys, "--db", sqlite_url, "restore", str(target))
    assert status == 0 and "previous database was kept" in out
    assert run(capsys, "--db", sqlite_url, "config", "get", "bureau/name_zh")[1].strip() == "青溪县生态环境局"


def test_restore_refuses_a_stranger(capsys, sqlite_url, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    status, out, err = run(capsys, "--db", sqlite_url, "restore", str(bogus))
    assert status == 2 and "not an EnvDesk backup" in err


def test_calendar_import_and_list(capsys, sqlite_url, tmp_path):
    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,kind\n2027-01-01,rest\n2027-02-06,rest\n2027-02-07,work\n", encoding="utf-8")
    status, out, err = run(capsys, "--db", sqlite_url, "calendar", "import", str(schedule))
    assert status == 0 and out.startswith("2027:")
    out = run(capsys, "--db", sqlite_url, "calendar", "list")[1]
    assert [line.split("\t")[0] for line in out.splitlines()] == ["2025", "2026", "2027"]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind\n2027-13-01,rest\n", encoding="utf-8")
    status, out, err = run(capsys, "--db", sqlite_url, "calendar", "import", str(bad))
    assert status == 2 and "bad.csv" in err and "2" in err


def test_db_from_environment(capsys, tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("ENVDESK_DB", f"sqlite:///{path}")
    assert run(capsys, "config", "set", "bureau/name_zh", "青溪县生态环境局")[0] == 0
    assert path.exists()


def test_screenshot_of_each_tab(capsys, sqlite_url, tmp_path, qapp, monkeypatch):
    run(capsys, "--db", sqlite_url, "demo")
    sign_in_as(monkeypatch)
    for tab in ("overview", "complaints"):
        target = tmp_path / f"{tab}.png"
        status, out, err = run(capsys, "--db", sqlite_url, "--lang", "zh_CN", "screenshot", "--tab", tab,
                               "-o", str(target))
        assert status == 0, err
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    status, out, err = run(capsys, "--db", sqlite_url, "screenshot", "--size", "big", "-o", str(tmp_path / "x.png"))
    assert status == 2 and "--size" in err


def test_export_then_import_reference_data(capsys, sqlite_url, tmp_path, monkeypatch):
    run(capsys, "--db", sqlite_url, "demo")
    sign_in_as(monkeypatch)
    target = tmp_path / "staff.xlsx"
    status, out, err = run(capsys, "--db", sqlite_url, "export", "staff", "-o", str(target))
    assert status == 0 and target.exists()
    status, out, err = run(capsys, "--db", sqlite_url, "import", "staff", str(target))
    assert status == 0 and "0 added" in out


def test_import_with_errors_lists_every_row_and_writes_nothing(capsys, sqlite_url, tmp_path, monkeypatch):
    run(capsys, "--db", sqlite_url, "demo")
    sign_in_as(monkeypatch)
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,部门\n新人甲,办公室\n新人乙,不存在科\n,办公室\n", encoding="utf-8")
    status, out, err = run(capsys, "--db", sqlite_url, "import", "staff", str(bad))
    assert status == 2
    assert "bad.csv" in err and "row 3" in err and "row 4" in err
    export = tmp_path / "after.csv"
    run(capsys, "--db", sqlite_url, "export", "staff", "-o", str(export))
    assert "新人甲" not in export.read_text(encoding="utf-8-sig")


def test_unknown_register_is_refused(capsys, sqlite_url, tmp_path):
    status, out, err = run(capsys, "--db", sqlite_url, "import", "spaceships", str(tmp_path / "x.csv"))
    assert status == 2 and "spaceships" in err


def test_print_commitment_letter_with_live_settings_and_escaped_bureau_name(capsys, sqlite_url, tmp_path):
    import shutil
    import subprocess

    run(capsys, "--db", sqlite_url, "config", "set", "bureau/name_zh", '环保<b>局 & "Co"')
    run(capsys, "--db", sqlite_url, "config", "set", "approvals/promised/report_book/limit", "12")
    target = tmp_path / "c.pdf"
    status, out, err = run(capsys, "--db", sqlite_url, "print", "commitment-letter", "--lang", "bilingual",
                           "--number", "青环〔2026〕3号", "-o", str(target))
    assert status == 0, err
    assert target.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert '环保<b>局 & "Co"' in text
    assert "12 个工作日" in text and "12 working days" in text
    assert "公开承诺书" in text and "Public Service Commitment Letter" in text


def test_print_refuses_bad_input(capsys, sqlite_url, tmp_path):
    status, out, err = run(capsys, "--db", sqlite_url, "print", "commitment-letter", "-o", str(tmp_path / "x.txt"))
    assert status == 2 and ".pdf" in err
    status, out, err = run(capsys, "--db", sqlite_url, "print", "commitment-letter", "--date", "soon",
                           "-o", str(tmp_path / "x.pdf"))
    assert status == 2 and "--date" in err
    status, out, err = run(capsys, "--db", sqlite_url, "print", "no-such-document", "-o", str(tmp_path / "x.pdf"))
    assert status == 2


def test_a_bad_database_url_setting_is_refused_and_stays_fixable(capsys, sqlite_url):
    status, out, err = run(capsys, "config", "set", "db/url", "nonsense")
    assert status == 2 and "db/url" in err
    # Even a URL that parses but cannot be opened can be set back without opening it.
    assert run(capsys, "config", "set", "db/url", "sqlite:////no/such/dir/x.sqlite3")[0] == 0
    assert run(capsys, "config", "get", "bureau/name_zh")[0] == 2
    assert run(capsys, "config", "set", "db/url", "")[0] == 0
    assert run(capsys, "config", "get", "db/url")[1].strip() == ""


def test_complaints_print_import_export(capsys, sqlite_url, tmp_path, cli_user):
    cli_user()  # a clerk with every role: the commands below are the registers' own
    import shutil
    import subprocess

    ledger = tmp_path / "ledger.csv"
    ledger.write_text("编号,来源渠道,收到日期,反映人,联系电话,被反映对象,污染类型,反映内容,受理日期,答复日期\n"
                      "XF-2026-0101,12345,2026-03-02,张伟,13812345678,某餐馆,油烟,餐馆油烟扰民,2026-03-03,2026-03-20\n"
                      "XF-2026-0102,来信,2026-03-05,匿名,,某工地,噪声,夜间施工噪声,,\n", encoding="utf-8")
    run(capsys, "--db", sqlite_url, "config", "set", "bureau/name_zh", "青溪县生态环境局")
    status, out, err = run(capsys, "--db", sqlite_url, "import", "complaints", str(ledger))
    assert status == 0, err
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,来源渠道,收到日期,被反映对象,污染类型,反映内容\nXF-2026-0200,飞鸽传书,2026-03-02,某厂,噪声,x\n",
                   encoding="utf-8")
    status, out, err = run(capsys, "--db", sqlite_url, "import", "complaints", str(bad))
    assert status == 2 and "飞鸽传书" in err and "row 2" in err
    export = tmp_path / "out.xlsx"
    status, out, err = run(capsys, "--db", sqlite_url, "export", "complaints", "--from", "2026-01-01",
                           "-o", str(export))
    assert status == 0 and export.exists()
    for document in ("complaint-form", "complaint-notice", "complaints-statistics"):
        target = tmp_path / f"{document}.pdf"
        status, out, err = run(capsys, "--db", sqlite_url, "print", document, "--number", "XF-2026-0101",
                               "--lang", "bilingual", "-o", str(target))
        assert status == 0, (document, err)
    # The ledger gave a reply date but not the reply's text: a clear refusal, not a blank letter.
    status, out, err = run(capsys, "--db", sqlite_url, "print", "complaint-reply", "--number", "XF-2026-0101",
                           "-o", str(tmp_path / "none.pdf"))
    assert status == 2 and "no written reply" in err
    target = tmp_path / "ledger.pdf"
    status, out, err = run(capsys, "--db", sqlite_url, "print", "complaints-ledger", "--from", "2026-03-01",
                           "--to", "2026-03-31", "-o", str(target))
    assert status == 0, err
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
        assert "XF-2026-0101" in text and "13812345678" not in text  # the ledger masks identities


def test_tasks_import_into_a_new_plan_and_export(capsys, sqlite_url, tmp_path, cli_user):
    cli_user()  # a clerk with every role: the commands below are the registers' own
    table = tmp_path / "任务分解表.csv"
    table.write_text("序号,活动内容,责任部门,责任领导,责任人,备注\n"
                     "1,召开动员大会,办公室,王局长,李主任,\n"
                     "2,开展执法检查,监察大队、监测站,王局长,赵队长,每周报送\n", encoding="utf-8-sig")
    code, out, err = run(capsys, "--db", sqlite_url, "import", "tasks", str(table), "--plan", "专项行动")
    assert code == 2 and "责任部门" in err and "--create-missing" not in out
    code, out, err = run(capsys, "--db", sqlite_url, "export", "tasks", "--plan", "专项行动", "-o",
                         str(tmp_path / "x.xlsx"))
    assert code == 2 and "专项行动" in err  # the failed import left no plan behind
    code, out, err = run(capsys, "--db", sqlite_url, "import", "tasks", str(table), "--plan", "专项行动",
                         "--create-missing")
    assert code == 0, err
    assert "2 added" in out and "办公室" in out and "王局长" in out
    code, out, err = run(capsys, "--db", sqlite_url, "export", "tasks", "--plan", "专项行动", "-o",
                         str(tmp_path / "tasks.xlsx"))
    assert code == 0 and (tmp_path / "tasks.xlsx").exists()
    code, out, err = run(capsys, "--db", sqlite_url, "import", "tasks", str(table))
    assert code == 2 and "--plan" in err


def test_a_damaged_database_points_at_the_latest_automatic_backup(capsys, tmp_path, monkeypatch):
    from datetime import datetime

    from envdesk.app import backup, reference
    from envdesk.app.access import Principal
    from envdesk.app.workspace import Workspace

    path = tmp_path / "office.sqlite3"
    ws = Workspace(f"sqlite:///{path}", user=Principal.trusted("setup"))
    reference.save_department(ws, None, "办公室")
    saved = backup.automatic_backup(ws, now=datetime(2026, 11, 24, 9))
    ws.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 400 + data[len(data) // 2:])
    status, out, err = run(capsys, "--db", f"sqlite:///{path}", "config", "list")
    assert status == 2 and err.count("\n") == 1
    assert f"envdesk restore {saved}" in err
    status, out, err = run(capsys, "--db", f"sqlite:///{path}", "restore", str(saved))
    assert status == 0, err
    assert run(capsys, "--db", f"sqlite:///{path}", "config", "list")[0] == 0
