"""The `envdesk` command: the main window by default, sub-commands for the same use cases."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from envdesk import __version__, i18n, settings
from envdesk.domain.users import Role
from envdesk.i18n import _

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_CHECK_FAILED = 3  # `envdesk audit verify` found the trail altered

AUDIT_ACTIONS = ("create", "update", "transition", "delete", "print", "export", "import", "login", "login_failed",
                 "logout", "view_identity", "password")

TABS = ("overview", "twinning", "complaints", "approvals", "responsibility")


class UsageError(Exception):
    """Bad command-line input; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line instead of argparse's usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _common_options(with_language: bool = True) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help=_("database URL, e.g. sqlite:///FILE or postgresql+psycopg://user@host/db "
                               "(default: ENVDESK_DB, the configured one, or the embedded database)"))
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                        help=_("sign in as this user (default: ENVDESK_USER, or this workstation's service user); "
                               "the password comes from ENVDESK_PASSWORD or is asked for"))
    if with_language:
        common.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, choices=i18n.LANGUAGES,
                            help=_("interface language: zh_CN or en"))
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = _Parser(prog="envdesk", parents=[common],
                     description=_("EnvDesk, the workbench of a county Ecology & Environment Bureau. "
                                   "Without a command it opens the main window."))
    parser.add_argument("--version", action="version", version=f"EnvDesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", parents=[common], help=_("fill an empty database with realistic demo data"))
    demo.add_argument("--size", choices=("small", "large"), default="small")

    config = commands.add_parser("config", parents=[common], help=_("read or change settings and bureau data"))
    config_commands = config.add_subparsers(dest="config_command", metavar="ACTION", required=True,
                                            parser_class=_Parser)
    config_commands.add_parser("list", parents=[common], help=_("every setting with its value"))
    get = config_commands.add_parser("get", parents=[common], help=_("print one setting's value"))
    get.add_argument("key")
    put = config_commands.add_parser("set", parents=[common], help=_("change one setting"))
    put.add_argument("key")
    put.add_argument("value")

    backup = commands.add_parser("backup", parents=[common], help=_("write a consistent copy of the database"))
    backup.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    restore = commands.add_parser("restore", parents=[common], help=_("replace the database with a backup"))
    restore.add_argument("file", type=Path)

    cal = commands.add_parser("calendar", parents=[common], help=_("the working-day calendar"))
    cal_commands = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True,
                                      parser_class=_Parser)
    cal_commands.add_parser("list", parents=[common], help=_("the years the calendar knows"))
    cal_import = cal_commands.add_parser("import", parents=[common],
                                         help=_("import a year's holidays and working weekend days (.csv or .json)"))
    cal_import.add_argument("file", type=Path)

    importing = commands.add_parser("import", parents=[common],
                                    help=_("import a register from .xlsx or .csv (all rows or none)"))
    importing.add_argument("register", choices=sorted(EXCHANGE_REGISTERS), metavar="REGISTER",
                           help=_("one of: {choices}").format(choices=", ".join(sorted(EXCHANGE_REGISTERS))))
    importing.add_argument("file", type=Path)
    importing.add_argument("--plan", metavar="TITLE",
                           help=_("for tasks: the plan the tasks belong to (created when no plan has this title)"))
    importing.add_argument("--create-missing", action="store_true",
                           help=_("for tasks: add departments and people the register does not know yet, instead of "
                                  "reporting them"))
    exporting = commands.add_parser("export", parents=[common], help=_("export a register to .xlsx or .csv"))
    exporting.add_argument("register", choices=sorted(EXCHANGE_REGISTERS), metavar="REGISTER",
                           help=_("one of: {choices}").format(choices=", ".join(sorted(EXCHANGE_REGISTERS))))
    exporting.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    exporting.add_argument("--plan", metavar="TITLE", help=_("for tasks: the plan whose task table is exported"))
    exporting.add_argument("--year", type=int, default=None, help=_("for twinning: the year (default: this year); for approvals: "
                                                                       "received that year (default: every year)"))
    exporting.add_argument("--from", dest="from_date", metavar="YYYY-MM-DD", help=_("for complaints: received from"))
    exporting.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD", help=_("for complaints: received up to"))
    exporting.add_argument("--include-identity", action="store_true",
                           help=_("for complaints: include complainants' names, phones and addresses "
                                  "(confidential: for complaints clerks and leaders; the export is audited)"))

    printing = commands.add_parser("print", parents=[_common_options(with_language=False)],
                                   help=_("print a document to PDF"))
    printing.add_argument("document", choices=DOCUMENTS, metavar="DOCUMENT",
                          help=_("one of: {choices}").format(choices=", ".join(DOCUMENTS)))
    printing.add_argument("--lang", choices=i18n.DOCUMENT_LANGUAGES, default=argparse.SUPPRESS,
                          help=_("document language: zh_CN, en or bilingual (default: the interface language)"))
    printing.add_argument("--number", default=None,
                          help=_("commitment-letter: the document number, e.g. 〔2026〕3号; complaint-form, "
                                 "complaint-notice, complaint-reply: the complaint's number, e.g. XF-2026-0001"))
    printing.add_argument("--date", default=None, metavar="YYYY-MM-DD", help=_("date printed on the document"))
    printing.add_argument("--year", type=int, default=None,
                          help=_("for twinning-list: the year (default: this year); for service-account: "
                                 "every enterprise paired that year; for approvals-ledger and approvals-summary: "
                                 "the projects that entered the register that year"))
    printing.add_argument("--enterprise", default=None, metavar="CODE_OR_NAME",
                          help=_("for service-account and health-check: the enterprise's credit code or name"))
    printing.add_argument("--from", dest="from_date", metavar="YYYY-MM-DD",
                          help=_("for complaints-ledger and complaints-statistics: received from; for "
                                 "approvals-ledger and approvals-summary: entered the register from (default: "
                                 "1 January)"))
    printing.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD",
                          help=_("for complaints-ledger and complaints-statistics: received up to; for "
                                 "approvals-ledger and approvals-summary: entered the register up to (default: "
                                 "the document's date)"))
    printing.add_argument("--key-cases", action="store_true", help=_("for complaints-ledger: key cases only"))
    printing.add_argument("--project", default=None, metavar="NUMBER_OR_ID",
                          help=_("for acceptance-notice, missing-materials and pause-notice: the approval case's "
                                 "number, e.g. SP-2026-0001, or its id"))
    printing.add_argument("--key-projects", action="store_true",
                          help=_("for approvals-ledger and approvals-summary: key projects only"))
    printing.add_argument("--plan", default=None, metavar="TITLE",
                          help=_("for task-table and letters: the plan's title (Chinese or English)"))
    printing.add_argument("--kind", choices=LETTER_KINDS, default=None,
                          help=_("for letters: target or clean-government (default: both); the plan's latest "
                                 "letters, made first if it has none"))
    printing.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf|FOLDER",
                          help=_("a .pdf file for one PDF; a folder for one PDF per document"))

    accounts = commands.add_parser("users", parents=[common], help=_("user accounts and roles"))
    account_commands = accounts.add_subparsers(dest="users_command", metavar="ACTION", required=True,
                                               parser_class=_Parser)
    account_commands.add_parser("list", parents=[common], help=_("every account with its roles"))
    role_help = _("a role, repeatable: {choices}").format(choices=", ".join(role.value for role in Role))
    add = account_commands.add_parser(
        "add", parents=[common],
        help=_("add an account (the first account is the administrator); the password comes from "
               "ENVDESK_NEW_PASSWORD or is asked for"))
    add.add_argument("login")
    add.add_argument("--name", default="", help=_("the user's name as shown"))
    add.add_argument("--role", action="append", default=[], choices=[role.value for role in Role], metavar="ROLE",
                     help=role_help)
    add.add_argument("--staff", default=None, metavar="NAME", help=_("the staff member this account belongs to"))
    change = account_commands.add_parser("set", parents=[common], help=_("change an account's name, roles or state"))
    change.add_argument("login")
    change.add_argument("--name", default=None)
    change.add_argument("--role", action="append", default=None, choices=[role.value for role in Role],
                        metavar="ROLE", help=_("{roles} (replaces the account's roles)").format(roles=role_help))
    change.add_argument("--staff", default=None, metavar="NAME")
    change.add_argument("--active", choices=("yes", "no"), default=None, help=_("enable or disable the account"))
    reset = account_commands.add_parser(
        "reset-password", parents=[common],
        help=_("give an account a temporary password (from ENVDESK_NEW_PASSWORD or asked for), to be changed at "
               "the next log-in"))
    reset.add_argument("login")
    for name, text in (("unlock", _("unlock an account locked by wrong passwords")),
                       ("end-sessions", _("sign an account out on every workstation"))):
        account_commands.add_parser(name, parents=[common], help=text).add_argument("login")
    account_commands.add_parser("password", parents=[common],
                                help=_("change your own password (the new one from ENVDESK_NEW_PASSWORD or asked "
                                       "for)"))
    station = account_commands.add_parser(
        "workstation", parents=[common],
        help=_("this workstation's single-user sign-in and the command's service user (embedded database only)"))
    station.add_argument("--single-user", default=None, metavar="LOGIN",
                         help=_("open the main window as this user without a password; \"\" turns it off"))
    station.add_argument("--service-user", default=None, metavar="LOGIN",
                         help=_("run envdesk commands as this user when no --user is given; \"\" turns it off"))

    database = commands.add_parser("db", parents=[common], help=_("the database itself: check, create, copy"))
    database_commands = database.add_subparsers(dest="db_command", metavar="ACTION", required=True,
                                                parser_class=_Parser)
    database_commands.add_parser("check", parents=[common],
                                 help=_("connect to the database and say whether EnvDesk can use it; changes nothing"))
    database_commands.add_parser("init", parents=[common],
                                 help=_("create EnvDesk's schema in an empty database (or bring it up to date)"))
    copying = database_commands.add_parser(
        "copy", parents=[common],
        help=_("copy everything into another, empty database (e.g. this workstation's data to the office server, "
               "or back), then verify the copy"))
    copying.add_argument("--to", required=True, metavar="URL", help=_("the empty database to copy into"))

    trail = commands.add_parser("audit", parents=[common], help=_("the audit trail: who did what, when"))
    trail_commands = trail.add_subparsers(dest="audit_command", metavar="ACTION", required=True,
                                          parser_class=_Parser)
    trail_commands.add_parser("verify", parents=[common],
                              help=_("check that no entry was changed, added or removed outside EnvDesk "
                                     "(exit status 3 when one was)"))
    shown = trail_commands.add_parser("list", parents=[common], help=_("entries, newest first"))
    saved = trail_commands.add_parser("export", parents=[common], help=_("entries to .xlsx or .csv, oldest first"))
    saved.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    for sub in (shown, saved):
        sub.add_argument("--user-name", dest="audit_user", default="", metavar="NAME", help=_("entries by this user"))
        sub.add_argument("--action", default="", choices=["", *AUDIT_ACTIONS], metavar="ACTION",
                         help=_("one of: {choices}").format(choices=", ".join(AUDIT_ACTIONS)))
        sub.add_argument("--record", default=None, metavar="KIND[:ID]",
                         help=_("one kind of record (complaint, approval, letter…), or one record with its id"))
        sub.add_argument("--text", default="", help=_("text in the record's label, the user or the detail"))
        sub.add_argument("--from", dest="from_date", metavar="YYYY-MM-DD")
        sub.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD")
    shown.add_argument("--limit", type=int, default=50)

    shot = commands.add_parser("screenshot", parents=[common], help=_("render the main window offscreen to a PNG"))
    shot.add_argument("--tab", choices=TABS, default="overview")
    shot.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.png")
    shot.add_argument("--size", default="1280x800", metavar="WxH")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        _set_language(_early_language(argv))  # before the parser, so --help speaks it too
        args = build_parser().parse_args(argv)
        handler = HANDLERS.get(args.command or "gui")
        return handler(args)
    except UsageError as error:
        print(f"envdesk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("envdesk: " + _("cancelled"), file=sys.stderr)
        return 130
    except Exception as error:  # the user gets a message, never a traceback
        from envdesk.app.errors import AppError
        from envdesk.exchange import ExchangeError

        if isinstance(error, (AppError, ExchangeError)):
            print(f"envdesk: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        _log_crash(error)
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        message = _("unexpected error: {error} (details in {file})").format(error=first_line, file=_log_file())
        print("envdesk: " + message, file=sys.stderr)
        return 1


def _log_file():
    from envdesk import paths

    return paths.log_dir() / "envdesk.log"


def _log_crash(error: BaseException) -> None:
    import logging
    import traceback

    try:
        with _log_file().open("a", encoding="utf-8") as f:
            f.write("".join(traceback.format_exception(error)))
    except OSError:
        logging.exception("cannot write the log")


def _early_language(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1] if argv[index + 1] in i18n.LANGUAGES else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in i18n.LANGUAGES else None
    return None


def _set_language(explicit: str | None) -> None:
    i18n.set_language(explicit or settings.local_value(settings.LANGUAGE))


def _workspace(args):
    """The database, with the command's user signed in (see _sign_in)."""
    from envdesk.app.errors import DatabaseUnavailable
    from envdesk.app.workspace import open_workspace

    try:
        ws = open_workspace(getattr(args, "db", None))
    except DatabaseUnavailable as error:
        raise DatabaseUnavailable(str(error) if error.fault else _with_restore_hint(str(error), args),
                                  error.fault) from None
    try:
        _sign_in(ws, args)
    except BaseException:
        ws.close()
        raise
    return _SignedIn(ws)


def _with_restore_hint(message: str, args) -> str:
    """A database that cannot be opened: point at the latest automatic backup of the embedded one, if any."""
    from envdesk.app import backup
    from envdesk.store import db

    url = db.resolve_url(getattr(args, "db", None), settings.local_value(settings.DATABASE_URL))
    try:
        embedded = db.sqlite_path(db.parse_url(url)) is not None
    except db.DatabaseUrlError:
        embedded = False
    latest = backup.automatic_backups()[-1:] if embedded else []
    if not latest:
        return message
    return message + " " + _("The latest automatic backup is {file}; to go back to it: envdesk restore {file}").format(
        file=latest[0])


class _SignedIn:
    """A workspace used by one command: signed out (its session ended) when the command is done."""

    def __init__(self, ws) -> None:
        self.ws = ws

    def __enter__(self):
        return self.ws

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        from envdesk.app import users

        try:
            users.log_out(self.ws)
        finally:
            self.ws.close()


def _password(prompt: str, variable: str, option: str) -> str:
    """A password from the environment, or asked for on a terminal (never an option: it would show in `ps`)."""
    import getpass
    import os

    value = os.environ.get(variable)
    if value is not None:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise UsageError(_("{option}: no password given: set {variable}, or run in a terminal to be asked").format(
        option=option, variable=variable))


def _sign_in(ws, args) -> None:
    """Who runs the command: --user (or ENVDESK_USER) with a password; else this workstation's service user
    (set by an administrator; without a password on the embedded database only). A database without any
    account yet runs commands as its set-up, with an administrator's rights only, until the first account exists
    (the first run, or `envdesk users add`, creates the administrator)."""
    import os

    from envdesk.app import users
    from envdesk.app.access import Principal
    from envdesk.i18n import N_

    name = getattr(args, "user", None) or os.environ.get("ENVDESK_USER")
    if name:
        users.log_in(ws, name, _password(_("Password for {user}: ").format(user=name), "ENVDESK_PASSWORD", "--user"))
        return
    service = str(settings.local_value(settings.SERVICE_USER) or "").strip()
    if service:
        if users.passwordless_allowed(ws):
            users.log_in_configured(ws, settings.SERVICE_USER, N_("service user"))
        else:
            users.log_in(ws, service, _password(_("Password for {user}: ").format(user=service), "ENVDESK_PASSWORD",
                                                settings.SERVICE_USER.key))
        return
    if not users.has_users(ws):
        # Setting a new database up: an administrator's work (bureau, reference data, settings, the first account,
        # demo data), never the registers nor complainants' identities, which wait for a real account.
        ws.user = Principal.trusted("setup", roles=(Role.ADMINISTRATOR,))
        return
    raise UsageError(_("who is running this? Give --user NAME (the password from ENVDESK_PASSWORD or asked for), "
                       "or have an administrator set this workstation's service user"))


def _progress_line(label: str) -> Callable[[int, int, str], None]:
    """A progress line on stderr, rewritten in place when stderr is a terminal."""
    tty = sys.stderr.isatty()
    state = {"last": -1}

    def report(done: int, total: int, text: str) -> None:
        percent = int(done * 100 / total) if total else 0
        if percent == state["last"]:
            return
        state["last"] = percent
        if not total:
            return
        line = f"{label}: {percent}% ({done}/{total})"
        if tty:
            print(f"\r{line}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        elif done >= total:
            print(line, file=sys.stderr)

    return report


# --- handlers -----------------------------------------------------------------------------------

def _gui(args) -> int:
    from envdesk.ui.application import run

    return run(db_url=getattr(args, "db", None), language=getattr(args, "lang", None))


def _demo(args) -> int:
    from envdesk.app import demo
    from envdesk.domain.progress import Progress

    with _workspace(args) as ws:
        for line in demo.fill(ws, args.size, Progress(_progress_line(_("Demo data")))):
            print(line)
    return EXIT_OK


def _config(args) -> int:
    from envdesk.app import settings as settings_app

    if args.config_command in ("get", "set"):
        _known_setting(args.key)
        if settings.SETTINGS[args.key].scope is settings.Scope.LOCAL:
            # This workstation's own settings never need the database (a bad db/url must stay fixable).
            if args.config_command == "set":
                settings_app.set_workstation_value(args.key, args.value)
            else:
                print(_format_value(settings.local_value(settings.SETTINGS[args.key])))
            return EXIT_OK
    signed_in = _workspace(args)
    ws = signed_in.ws
    try:
        if args.config_command == "list":
            for setting, value in settings_app.all_values(ws):
                print(f"{setting.key} = {_format_value(value)}")
        elif args.config_command == "get":
            print(_format_value(settings_app.get_value(ws, args.key)))
        else:
            settings_app.set_value(ws, args.key, args.value)
    finally:
        signed_in.close()
    return EXIT_OK


def _known_setting(key: str) -> None:
    if key not in settings.SETTINGS:
        raise UsageError(_("unknown setting {key}; 'envdesk config list' shows them all").format(key=key))


def _format_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _backup(args) -> int:
    from envdesk.app import backup
    from envdesk.domain.progress import Progress

    with _workspace(args) as ws:
        path = backup.backup(ws, args.output, Progress(_progress_line(_("Backup"))))
        print(_("Backup written to {file}").format(file=path))
    return EXIT_OK


def _restore(args) -> int:
    from envdesk.app import backup
    from envdesk.app.errors import DatabaseUnavailable
    from envdesk.store.db import resolve_url

    url = resolve_url(getattr(args, "db", None), settings.local_value(settings.DATABASE_URL))
    try:
        signed_in = _workspace(args)
    except DatabaseUnavailable:
        signed_in = None  # a damaged database: restoring it is what the backup is for
    try:
        if signed_in is not None:
            signed_in.ws.engine.dispose()  # keep the sign-in for the check; let go of the file
        kept = backup.restore(url, args.file, signed_in.ws if signed_in else None)
    finally:
        if signed_in is not None:
            signed_in.ws.user = None  # the restored database does not know this sign-in
            signed_in.close()
    print(_("Restored from {file}; the previous database was kept as {kept}").format(file=args.file, kept=kept))
    return EXIT_OK


def _calendar(args) -> int:
    from envdesk.app import calendar as calendar_app

    with _workspace(args) as ws:
        if args.calendar_command == "import":
            schedules, _changes = calendar_app.import_file(ws, args.file)
            for schedule in schedules:
                print(_("{year}: {holidays} rest days, {workdays} working weekend days").format(
                    year=schedule.year, holidays=len(schedule.holidays), workdays=len(schedule.working_weekends)))
            return EXIT_OK
        for info in calendar_app.years(ws):
            origin = _("entered here") if info.entered else _("shipped with EnvDesk")
            print(f"{info.year}\t{info.holidays}\t{info.working_weekends}\t{origin}\t{info.source}")
    return EXIT_OK


# Registers that move in and out of spreadsheets: name -> (layout, import use case, export rows).
EXCHANGE_REGISTERS = ("approvals", "complaints", "departments", "enterprises", "staff", "tasks", "towns", "twinning")


def _exchange_register(name: str):
    """(layout, import use case, export rows(ws, language, args)) of a register."""
    from datetime import date

    from envdesk.app import approvals_exchange, complaints_exchange, enterprises, reference, tasks_exchange, twinning
    from envdesk.exchange import approvals as approval_layouts
    from envdesk.exchange import complaints as complaint_layouts
    from envdesk.exchange import reference as layouts
    from envdesk.exchange import responsibility as task_layouts
    from envdesk.exchange import twinning as twinning_layouts

    return {
        "departments": (layouts.DEPARTMENTS, reference.import_departments,
                        lambda ws, lang, args: reference.department_rows(ws, lang)),
        "staff": (layouts.STAFF, reference.import_staff, lambda ws, lang, args: reference.staff_rows(ws, lang)),
        "towns": (layouts.TOWNS, reference.import_towns, lambda ws, lang, args: reference.town_rows(ws, lang)),
        "enterprises": (twinning_layouts.ENTERPRISES, enterprises.import_enterprises,
                        lambda ws, lang, args: enterprises.enterprise_rows(ws, lang)),
        "twinning": (twinning_layouts.PAIRS, twinning.import_pairs,
                     lambda ws, lang, args: twinning.pair_rows(ws, args.year or date.today().year, lang)),
        "complaints": (complaint_layouts.COMPLAINTS, complaints_exchange.import_complaints,
                       lambda ws, lang, args: complaints_exchange.ledger(
                           ws, _day(args.from_date, "--from"), _day(args.to_date, "--to"), lang,
                           include_identity=args.include_identity)),
        "approvals": (approval_layouts.APPROVALS, approvals_exchange.import_approvals,
                      lambda ws, lang, args: approvals_exchange.approval_rows(ws, args.year, lang)),
        "tasks": (task_layouts.TASKS, None,
                  lambda ws, lang, args: tasks_exchange.task_rows(ws, _plan_id(ws, args), lang)),
    }[name]


def _plan_id(ws, args) -> int:
    from envdesk.app import responsibility

    if not args.plan:
        raise UsageError(_("--plan is required: the title of the plan, e.g. “2026年度生态环境保护重点工作任务分解”"))
    plan_id = responsibility.find_plan(ws, args.plan)
    if plan_id is None:
        raise UsageError(_("No plan has the title {title}").format(title=args.plan))
    return plan_id


def _import_tasks(ws, args, rows, check_only):
    """Tasks go into the plan --plan names; a new plan is made in the import's own transaction (none is left
    behind when the import fails)."""
    from envdesk.app import responsibility, tasks_exchange

    if not args.plan:
        raise UsageError(_("--plan is required: the title of the plan the tasks belong to"))
    plan = responsibility.find_plan(ws, args.plan) or tasks_exchange.new_plan(args.plan)
    return tasks_exchange.import_tasks(ws, rows, plan, check_only=check_only, create_missing=args.create_missing)


def _day(text: str | None, option: str):
    from datetime import date

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("{option} must be a date like 2026-03-02, got {value}").format(
            option=option, value=text)) from None


def _import(args) -> int:
    from envdesk.app import outputs
    from envdesk.domain.progress import Progress
    from envdesk.exchange import import_file

    layout, importer, _rows = _exchange_register(args.register)
    with _workspace(args) as ws:
        if args.register == "tasks":
            def use_case(rows, check_only):
                return _import_tasks(ws, args, rows, check_only)
        else:
            def use_case(rows, check_only):
                return importer(ws, rows, check_only)
        summary, result = import_file(args.file, layout, use_case, Progress(_progress_line(_("Reading"))))
        outputs.imported(ws, args.register, args.file, summary.created + summary.updated)
        for warning in result.warnings:
            print(f"envdesk: {warning}", file=sys.stderr)
        print(_("{file}: {created} added, {updated} updated").format(
            file=args.file.name, created=summary.created, updated=summary.updated))
        if getattr(summary, "skipped", ()):
            print(_("{count} rows already in the database were left as they are").format(count=len(summary.skipped)))
        for names, message in ((getattr(summary, "new_departments", ()), _("Departments added: {names}")),
                               (getattr(summary, "new_staff", ()), _("Staff added: {names}"))):
            if names:
                print(message.format(names="、".join(names)))
        if getattr(summary, "new_enterprises", ()):
            print(_("{count} enterprises added to the register: {names}").format(
                count=len(summary.new_enterprises), names="、".join(summary.new_enterprises[:10])
                + ("…" if len(summary.new_enterprises) > 10 else "")))
    return EXIT_OK


def _export(args) -> int:
    from envdesk.app import outputs
    from envdesk.domain.progress import Progress
    from envdesk.exchange import write_table

    layout, _importer, rows = _exchange_register(args.register)
    with _workspace(args) as ws:
        count = write_table(args.output, layout, rows(ws, i18n.current_language(), args), language=i18n.current_language(),
                            progress=Progress(_progress_line(_("Writing"))))
        outputs.exported(ws, args.register, args.output, count,
                         identity=args.register == "complaints" and args.include_identity)
        print(_("{count} rows written to {file}").format(count=count, file=args.output))
    return EXIT_OK


def _commitment_letter(ws, args, language, issued):
    from envdesk.app import reference
    from envdesk.app import settings as settings_app
    from envdesk.reports import commitment_letter_spec

    return [commitment_letter_spec(reference.get_bureau(ws), settings_app.rules(ws), language, issued, args.number,
                                   settings_app.get_value(ws, "documents/supervision_phone"))]


def _twinning_list(ws, args, language, issued):
    from envdesk.app import reference, twinning
    from envdesk.reports.twinning import twinning_list_spec

    year = args.year or issued.year
    return [twinning_list_spec(reference.get_bureau(ws), year, twinning.year_list(ws, year), language, issued)]


def _enterprise_for(ws, args):
    from envdesk.app import enterprises

    found = enterprises.find_enterprise(ws, args.enterprise)
    if found is None:
        raise UsageError(_("No single enterprise has the credit code or name {value!r}").format(value=args.enterprise))
    return found


def _service_account(ws, args, language, issued):
    """One enterprise's account (--enterprise), or every enterprise paired in --year, as a batch."""
    from envdesk.app import reference, twinning
    from envdesk.reports.twinning import service_account_spec

    if args.enterprise:
        chosen = [_enterprise_for(ws, args)]
    elif args.year:
        chosen = list({p.enterprise.id: p.enterprise for p in twinning.year_list(ws, args.year)}.values())
        if not chosen:
            raise UsageError(_("No enterprise is paired in {year}").format(year=args.year))
    else:
        raise UsageError(_("--enterprise CODE_OR_NAME, or --year Y for every enterprise paired that year"))
    bureau = reference.get_bureau(ws)
    all_pairs = [p for year in twinning.years(ws) for p in twinning.year_list(ws, year)]
    return [service_account_spec(bureau, e, twinning.items(ws, e.id, with_events=True), twinning.health_checks(ws, e.id),
                                 [p for p in all_pairs if p.enterprise.id == e.id], language, issued) for e in chosen]


def _health_check(ws, args, language, issued):
    from envdesk.app import reference, twinning
    from envdesk.reports.twinning import health_check_report_spec

    if not args.enterprise:
        raise UsageError(_("--enterprise is required: the enterprise's credit code or name"))
    enterprise = _enterprise_for(ws, args)
    checks = twinning.health_checks(ws, enterprise.id)
    if not checks:
        raise UsageError(_("{name} has had no health check").format(name=enterprise.name_zh))
    return [health_check_report_spec(reference.get_bureau(ws), enterprise, checks[0], language, issued)]


def _complaint(which: str):
    def build(ws, args, language, issued):
        from envdesk.app import complaints, reference
        from envdesk.app import settings as settings_app
        from envdesk.reports import complaints as documents

        number = args.number
        if not number:
            raise UsageError(_("--number is required: the complaint's number, e.g. XF-2026-0001"))
        complaint_id = complaints.find_by_number(ws, number)
        if complaint_id is None:
            raise UsageError(_("No complaint has the number {number}").format(number=number))
        # These go to the complainant (or stay in the file): they carry the complainant's identity, for those
        # who may see it; anyone else prints them masked.
        complaint = complaints.as_reader_may_see(ws, complaint_id)
        bureau = reference.get_bureau(ws)
        try:
            if which == "form":
                specs = [documents.registration_form_spec(bureau, complaint, language, issued)]
            elif which == "notice":
                specs = [documents.acceptance_notice_spec(bureau, complaint, language, issued)]
            else:
                specs = [documents.reply_letter_spec(bureau, complaint, language, issued,
                                                     settings_app.rule(ws, "complaints/review"))]
        except ValueError as error:  # e.g. no decision yet for a notice, no reply yet for a letter
            raise UsageError(str(error)) from None
        return _Printout(specs, records=[("complaint", complaint.id, complaint.number)])
    return build


def _complaints_ledger(ws, args, language, issued):
    from envdesk.app import complaints, reference
    from envdesk.reports import complaints as documents

    start, end = _day(args.from_date, "--from"), _day(args.to_date, "--to")
    f = complaints.ComplaintFilter(received_from=start, received_to=end, key_case=args.key_cases)
    rows = complaints.list_complaints(ws, f, 0, 1_000_000, "received", False)
    title = documents.KEY_CASES_TITLE if args.key_cases else None
    first = start or (rows[0].received_date if rows else issued)
    last = end or (rows[-1].received_date if rows else issued)
    return [documents.ledger_spec(reference.get_bureau(ws), rows, first, last, language, issued, title)]


def _complaints_statistics(ws, args, language, issued):
    from envdesk.app import complaints, reference
    from envdesk.reports import statistics_spec

    start = _day(args.from_date, "--from") or issued.replace(month=1, day=1)
    end = _day(args.to_date, "--to") or issued
    return [statistics_spec(reference.get_bureau(ws), complaints.statistics(ws, start, end), language, issued)]


def _approval_case(ws, args, issued):
    """The case --project names (its number or id), as it stood on the document's date."""
    from envdesk.app import approvals
    from envdesk.app.errors import NotFound

    if not args.project:
        raise UsageError(_("--project is required: the approval case's number, e.g. SP-2026-0001, or its id"))
    try:
        case_id = approvals.find_case(ws, args.project)
    except NotFound as error:
        raise UsageError(str(error)) from None
    return approvals.get_case(ws, case_id, today=issued)


def _approval_notice(which: str):
    def build(ws, args, language, issued):
        from envdesk.app import reference
        from envdesk.reports import approvals as documents

        make = {"acceptance": documents.acceptance_notice_spec, "materials": documents.missing_materials_spec,
                "pause": documents.pause_notice_spec}[which]
        case = _approval_case(ws, args, issued)
        try:
            specs = [make(reference.get_bureau(ws), case, language, issued)]
        except ValueError as error:  # e.g. not accepted yet, no notification, no pause
            raise UsageError(str(error)) from None
        return _Printout(specs, records=[("approval", case.id, case.number)])
    return build


def _approvals_period(args, issued):
    """--year, or --from and --to (by default from 1 January up to the document's date)."""
    from datetime import date

    start, end = _day(args.from_date, "--from"), _day(args.to_date, "--to")
    if args.year is not None:
        if start or end:
            raise UsageError(_("give --year, or --from and --to, not both"))
        if not 1900 <= args.year <= 9999:
            raise UsageError(_("--year must be a year like 2026, got {value}").format(value=args.year))
        return date(args.year, 1, 1), date(args.year, 12, 31)
    end = end or issued
    start = start or end.replace(month=1, day=1)
    if end < start:
        raise UsageError(_("the period ends ({end}) before it starts ({start})").format(
            end=end.isoformat(), start=start.isoformat()))
    return start, end


def _approvals_ledger(ws, args, language, issued):
    from envdesk.app import approvals, reference
    from envdesk.reports import approvals as documents

    start, end = _approvals_period(args, issued)
    cases = approvals.ledger(ws, start, end, key_only=args.key_projects)
    return [documents.approvals_ledger_spec(reference.get_bureau(ws), cases, start, end, language, issued,
                                            key_only=args.key_projects)]


def _approvals_summary(ws, args, language, issued):
    from envdesk.app import approvals, reference
    from envdesk.reports import approvals as documents

    start, end = _approvals_period(args, issued)
    figures = approvals.summary(ws, start, end, key_only=args.key_projects, today=issued)
    return [documents.approvals_summary_spec(reference.get_bureau(ws), figures, language, issued)]


# `--kind` of `envdesk print letters` → LetterKind values.
LETTER_KINDS = {"target": "target", "clean-government": "clean_government"}


class _Printout:
    """What a DOCUMENTS builder may return instead of a list of documents: with a step to take once they are
    printed, and whether they are a batch (one per file with -o FOLDER, even when there is only one)."""

    def __init__(self, specs: list, printed: Callable[[], object] | None = None, batch: bool = False,
                 records: Sequence[tuple[str, int, str]] = ()) -> None:
        self.specs = specs
        self.printed = printed
        self.batch = batch
        self.records = list(records)  # (entity, id, label) of what is printed, for the audit trail


def _task_table(ws, args, language, issued):
    from envdesk.app import reference, responsibility
    from envdesk.reports.responsibility import task_table_spec

    plan_id = _plan_id(ws, args)
    return [task_table_spec(reference.get_bureau(ws), responsibility.get_plan(ws, plan_id),
                            responsibility.list_tasks(ws, plan_id, today=issued), language, issued)]


def _letters(ws, args, language, issued):
    """The plan's latest letters of --kind (both kinds by default), each from a new page; when the plan has none
    yet they are made first, between the default parties. Drafts are marked printed once the PDF is written."""
    from datetime import date

    from envdesk.app import reference, responsibility
    from envdesk.app.access import can
    from envdesk.app.errors import ValidationError
    from envdesk.domain.responsibility import LetterStatus
    from envdesk.domain.users import Permission
    from envdesk.reports.responsibility import letters_batch_specs

    plan_id = _plan_id(ws, args)
    kinds = [LETTER_KINDS[args.kind]] if args.kind else list(LETTER_KINDS.values())
    letters = [letter for kind in kinds for letter in responsibility.list_letters(ws, plan_id, kind)]
    if not letters:
        try:
            for kind in kinds:
                responsibility.generate_letters(ws, plan_id, kind)
        except ValidationError as error:  # e.g. no signatories for a department, no task with a department
            raise UsageError(str(error)) from None
        letters = [letter for kind in kinds for letter in responsibility.list_letters(ws, plan_id, kind)]
    drafts = [letter.id for letter in letters if letter.status is LetterStatus.DRAFT]

    def printed() -> None:
        # The day they came out of the printer, whatever date --date puts on paper; a reader who may not manage
        # letters prints copies, which leave the letters' state alone.
        if drafts and can(ws, Permission.PLANS_EDIT):
            responsibility.mark_printed(ws, drafts, date.today())

    specs = letters_batch_specs(reference.get_bureau(ws), letters, language, issued)
    return _Printout(specs, printed, batch=True, records=[("letter", letter.id, letter.number) for letter in letters])


DOCUMENTS = {
    "complaints-statistics": _complaints_statistics,
    "complaint-form": _complaint("form"),
    "complaint-notice": _complaint("notice"),
    "complaint-reply": _complaint("reply"),
    "complaints-ledger": _complaints_ledger,
    "commitment-letter": _commitment_letter,
    "twinning-list": _twinning_list,
    "service-account": _service_account,
    "health-check": _health_check,
    "acceptance-notice": _approval_notice("acceptance"),
    "missing-materials": _approval_notice("materials"),
    "pause-notice": _approval_notice("pause"),
    "approvals-ledger": _approvals_ledger,
    "approvals-summary": _approvals_summary,
    "task-table": _task_table,
    "letters": _letters,
}


def _print(args) -> int:
    """One PDF (-o FILE.pdf, every document from a new page) or one PDF per document (-o FOLDER)."""
    from datetime import date

    from envdesk.app import outputs
    from envdesk.domain.progress import Progress
    from envdesk.reports import render_batch

    try:
        issued = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        raise UsageError(_("--date must be a date like 2026-03-02, got {value}").format(value=args.date)) from None
    language = getattr(args, "lang", None) or i18n.current_language()
    one_file = args.output.suffix.lower() == ".pdf"
    with _workspace(args) as ws:
        built = DOCUMENTS[args.document](ws, args, language, issued)
        printout = built if isinstance(built, _Printout) else _Printout(built)
        if not one_file and len(printout.specs) == 1 and not printout.batch:
            raise UsageError(_("-o must name a .pdf file, got {file}").format(file=args.output))
        try:
            paths = render_batch(printout.specs, args.output, one_file=one_file,
                                 progress=Progress(_progress_line(_("Printing"))))
        except OSError as error:
            raise UsageError(_("Cannot write {file}: {reason}").format(file=args.output, reason=error)) from None
        if printout.printed is not None:
            printout.printed()
        outputs.printed(ws, args.document, printout.records, file=args.output, language=language)
    for path in paths:
        print(path)
    return EXIT_OK


def _screenshot(args) -> int:
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(_("--size must look like 1280x800, got {value}").format(value=args.size)) from None
    from envdesk.ui.screenshot import take

    take(db_url=getattr(args, "db", None), tab=args.tab, language=i18n.current_language(),
         output=args.output, size=(width, height), sign_in=lambda ws: _sign_in(ws, args))
    print(args.output)
    return EXIT_OK


def _staff_id(ws, name: str | None) -> int | None:
    from envdesk.app import reference

    if not name:
        return None
    found = reference.find_staff(ws, name)
    if found is None:
        raise UsageError(_("--staff: no staff member is called {name}").format(name=name))
    return found.id


def _new_password(option: str) -> str:
    import os

    value = os.environ.get("ENVDESK_NEW_PASSWORD")
    if value is not None:
        return value
    first = _password(_("New password: "), "ENVDESK_NEW_PASSWORD", option)
    if _password(_("Repeat the new password: "), "ENVDESK_NEW_PASSWORD", option) != first:
        raise UsageError(_("the two passwords differ"))
    return first


def _users(args) -> int:
    from envdesk.app import users

    command = args.users_command
    with _workspace(args) as ws:
        if command == "list":
            for record in users.list_users(ws):
                state = [] if record.active else [_("disabled")]
                if record.locked():
                    state.append(_("locked"))
                if record.must_change_password:
                    state.append(_("must change password"))
                print("\t".join((record.login, record.display_name, record.roles_label, record.staff_name,
                                 _(", ").join(state))))
        elif command == "add":
            data = users.UserInput(args.login, args.name, tuple(Role(r) for r in args.role),
                                   _staff_id(ws, args.staff))
            password = _new_password(args.login)
            if users.has_users(ws):
                users.create_user(ws, data, password)
            else:
                ws.user = None  # the set-up ends with the first account: the administrator, signed in
                users.create_first_administrator(ws, data, password)
            print(_("Account {login} added").format(login=args.login))
        elif command == "set":
            current = users.find_user(ws, args.login)
            data = users.UserInput(
                current.login, current.display_name if args.name is None else args.name,
                current.roles if args.role is None else tuple(Role(r) for r in args.role),
                current.staff_id if args.staff is None else _staff_id(ws, args.staff),
                current.active if args.active is None else args.active == "yes")
            users.update_user(ws, current.id, data, expected_version=current.version)
        elif command == "reset-password":
            users.reset_password(ws, users.find_user(ws, args.login).id, _new_password(args.login))
        elif command == "unlock":
            users.unlock(ws, users.find_user(ws, args.login).id)
        elif command == "end-sessions":
            ended = users.end_sessions(ws, users.find_user(ws, args.login).id)
            print(_("{count} sign-ins ended").format(count=ended))
        elif command == "password":
            users.change_password(ws, _password(_("Current password: "), "ENVDESK_PASSWORD", "password"),
                                  _new_password("password"))
        elif command == "workstation":
            if args.single_user is None and args.service_user is None:
                print(f"{settings.SINGLE_USER.key} = {settings.local_value(settings.SINGLE_USER)}")
                print(f"{settings.SERVICE_USER.key} = {settings.local_value(settings.SERVICE_USER)}")
            if args.single_user is not None:
                users.set_workstation_user(ws, settings.SINGLE_USER, args.single_user)
            if args.service_user is not None:
                users.set_workstation_user(ws, settings.SERVICE_USER, args.service_user)
    return EXIT_OK


def _audit_filter(args):
    from envdesk.app.audit import AuditFilter

    entity, record_id = (args.record or ""), None
    if ":" in entity:
        entity, _sep, number = entity.partition(":")
        try:
            record_id = int(number)
        except ValueError:
            raise UsageError(_("--record must look like complaint:12, got {value}").format(value=args.record)) \
                from None
    return AuditFilter(text=args.text, user=args.audit_user, action=args.action, entity=entity,
                       since=_day(args.from_date, "--from"), until=_day(args.to_date, "--to")), record_id


def _audit(args) -> int:
    from envdesk.app import audit, outputs

    with _workspace(args) as ws:
        if args.audit_command == "verify":
            result = audit.verify(ws)
            if result.ok:
                print(_("{count} entries checked: the audit trail is intact").format(count=result.entries))
                return EXIT_OK
            print(_("The audit trail was altered outside EnvDesk ({count} entries checked):").format(
                count=result.entries), file=sys.stderr)
            for problem in result.problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_CHECK_FAILED
        f, record_id = _audit_filter(args)
        if args.audit_command == "list":
            if record_id is not None:
                found = list(reversed(audit.history(ws, f.entity, record_id)))[:args.limit]
            else:
                found = audit.entries(ws, f, limit=args.limit)
            for entry in found:
                print("\t".join((str(entry.seq), entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                                 entry.user_name, entry.action_label,
                                 f"{audit.entity_label(entry.entity)} {entry.record_id}" if entry.record_id
                                 else audit.entity_label(entry.entity),
                                 entry.label, entry.describe_changes().replace("\n", "; "), entry.detail_text)))
            return EXIT_OK
        from envdesk.domain.progress import Progress
        from envdesk.exchange import write_table
        from envdesk.exchange.audit import AUDIT

        if record_id is not None:
            raise UsageError(_("--record KIND:ID lists one record's history; export takes a kind only"))
        count = write_table(args.output, AUDIT, audit.export_rows(ws, f), language=i18n.current_language(),
                            progress=Progress(_progress_line(_("Writing"))))
        outputs.exported(ws, "audit_log", args.output, count)
        print(_("{count} rows written to {file}").format(count=count, file=args.output))
    return EXIT_OK


def _db(args) -> int:
    from envdesk.app import database
    from envdesk.app.workspace import open_workspace
    from envdesk.domain.progress import Progress
    from envdesk.store import db

    if args.db_command == "check":
        probe = database.probe(db.resolve_url(getattr(args, "db", None), settings.local_value(settings.DATABASE_URL)))
        print(probe.message, file=sys.stdout if probe.ok else sys.stderr)
        return EXIT_OK if probe.ok else EXIT_BAD_INPUT
    if args.db_command == "init":
        with open_workspace(getattr(args, "db", None)) as ws:
            done = ws.migration
            print(_("{db}: EnvDesk schema {revision}").format(db=ws.label, revision=done.to_revision if done else "?"))
        return EXIT_OK
    with _workspace(args) as ws:
        report = database.copy_to(ws, args.to, Progress(_progress_line(_("Copying"))))
    print(_("{rows} rows in {tables} tables copied from {source} to {target}, and verified").format(
        rows=report.rows, tables=len(report.tables), source=report.source, target=report.target))
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "db": _db,
    "users": _users,
    "audit": _audit,
    "gui": _gui,
    "demo": _demo,
    "config": _config,
    "backup": _backup,
    "restore": _restore,
    "calendar": _calendar,
    "import": _import,
    "export": _export,
    "print": _print,
    "screenshot": _screenshot,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
