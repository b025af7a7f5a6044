"""Signing in, accounts and the audit trail as users meet them: first run, log-in, passwords, roles, sessions."""

from contextlib import contextmanager

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QPushButton

from envdesk import settings as decl
from envdesk.app import audit, reference, users
from envdesk.app.access import Principal
from envdesk.app.errors import NotSignedIn
from envdesk.app.users import UserInput
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Role
from envdesk.ui.application import ensure_application, sign_in_at_start
from envdesk.ui.dialogs.first_run import FirstRunDialog
from envdesk.ui.dialogs.login import ChangePasswordDialog, LoginDialog
from envdesk.ui.main_window import MainWindow

PASSWORD = "correct-horse-1"
ACCEPTED = QDialog.DialogCode.Accepted


@pytest.fixture(autouse=True)
def qt_application():
    ensure_application()


def account(ws, login, roles, password=PASSWORD, must_change=False):
    """An account made with the tests' cheap password hashing (the demo's own accounts hash at full cost)."""
    return users.create_user(ws, UserInput(login, login.title(), tuple(roles)), password, must_change=must_change)


@contextmanager
def elsewhere(ws, user=None):
    """The same database opened at another workstation (by EnvDesk itself unless `user` is given)."""
    other = Workspace(ws.url, user=user if user is not None else Principal.trusted("elsewhere"))
    try:
        yield other
    finally:
        other.close()


def signed_in(ws, login, roles):
    account(ws, login, roles)
    users.log_in(ws, login, PASSWORD)
    return ws


def logging_in(login, password=PASSWORD, seen=None):
    """A stand-in for LoginDialog.exec: types the name and password and presses Log in; `seen` collects what
    each dialog showed (the dialog itself is deleted once closed)."""
    def run(dialog):
        if seen is not None:
            seen.append({"title": dialog.windowTitle(), "user": dialog.user_name.text(),
                         "fixed": dialog.user_name.isReadOnly(), "notice": dialog._notice.text()})
        if not dialog.user_name.isReadOnly():
            dialog.user_name.setText(login)
        dialog.password.setText(password)
        dialog.accept()
        return dialog.result()
    return run


def test_first_run_creates_the_administrator_and_signs_in(qtbot, ws, monkeypatch):
    ws.user = None
    shown = {}

    def fill(dialog):
        assert dialog.asks_account and dialog.asks_bureau
        dialog.login.setText("chief")
        dialog.display_name.setText("张局长")
        dialog.password.setText(PASSWORD)
        dialog.repeat.setText("something-else")
        dialog.accept()
        shown["mismatch"] = dialog._error.text()
        dialog.repeat.setText(PASSWORD)
        dialog.accept()  # the account is made, the bureau name is missing
        shown["bureau"] = dialog._error.text()
        assert not dialog.login.isEnabled()
        dialog.name_zh.setText("青溪县生态环境局")
        dialog.accept()  # the account is not created a second time
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", fill)
    assert sign_in_at_start(ws)
    assert shown == {"mismatch": "Repeat password: does not match the password",
                     "bureau": "Bureau name (Chinese): is required"}
    assert ws.user.login == "chief" and ws.user.display_name == "张局长"
    assert Role.ADMINISTRATOR in ws.user.roles and ws.user.session_token
    assert reference.get_bureau(ws).name_zh == "青溪县生态环境局"
    assert [u.login for u in users.list_users(ws)] == ["chief"]
    assert "login" in [entry.action for entry in audit.entries(ws)]


def test_first_run_cancelled_opens_nothing(qtbot, ws, monkeypatch):
    ws.user = None
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert not sign_in_at_start(ws)
    assert ws.user is None and not users.has_users(ws)


def test_accounts_without_a_bureau_sign_in_first_then_ask_for_the_bureau(qtbot, ws, monkeypatch):
    ws.user = None
    users.create_first_administrator(ws, UserInput("chief"), PASSWORD)
    users.log_out(ws)
    asked = []

    def bureau_only(dialog):
        asked.append((ws.user.login, dialog.asks_account, dialog.asks_bureau, dialog._account_box.isVisibleTo(dialog)))
        dialog.name_zh.setText("青溪县生态环境局")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", logging_in("chief"))
    monkeypatch.setattr(FirstRunDialog, "exec", bureau_only)
    assert sign_in_at_start(ws)
    assert asked == [("chief", False, True, False)]
    assert reference.is_set_up(ws)


def test_run_signs_in_opens_the_window_and_logs_out_at_the_end(qtbot, demo_ws, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from envdesk.ui import application

    account(demo_ws, "boss", [Role.ADMINISTRATOR])
    seen = {}

    def event_loop():
        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible())
        seen["user"] = window.ws.user.login
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(LoginDialog, "exec", logging_in("boss"))
    monkeypatch.setattr(QApplication, "exec", staticmethod(event_loop))
    assert application.run(demo_ws.url) == 0
    assert seen == {"user": "boss"}
    assert users.find_user(demo_ws, "boss").open_sessions == 0
    assert audit.entries(demo_ws, limit=1)[0].action == "logout"


def test_the_main_window_needs_someone_signed_in(qtbot, ws):
    ws.user = None
    with pytest.raises(NotSignedIn):
        MainWindow(ws)


def test_login_refuses_a_wrong_password_and_says_why(qtbot, ws):
    account(ws, "clerk", [Role.COMPLAINTS_CLERK])
    ws.user = None
    dialog = LoginDialog(ws)
    qtbot.addWidget(dialog)
    dialog.user_name.setText("clerk")
    dialog.password.setText("wrong-password")
    dialog.accept()
    assert dialog.result() != ACCEPTED and ws.user is None
    assert dialog.error.text().startswith("Wrong password for “clerk”.")
    assert dialog.password.text() == ""
    dialog.user_name.setText("nobody")
    dialog.password.setText(PASSWORD)
    dialog.accept()
    assert dialog.error.text().startswith("There is no user “nobody”.")
    dialog.user_name.setText("")
    dialog.accept()
    assert dialog.error.text() == "User name: is required"
    dialog.user_name.setText("clerk")
    dialog.password.setText(PASSWORD)
    dialog.accept()
    assert dialog.result() == ACCEPTED
    assert ws.user.login == "clerk"


def test_a_temporary_password_is_replaced_before_the_window_opens(qtbot, ws, monkeypatch):
    reference.save_bureau(ws, "青溪县生态环境局")
    account(ws, "clerk", [Role.COMPLAINTS_CLERK], must_change=True)
    ws.user = None
    shown = {}

    def change(dialog):
        shown["forced"] = dialog._notice.isVisibleTo(dialog)
        dialog.current.setText(PASSWORD)
        dialog.new.setText("brand-new-pass")
        dialog.repeat.setText("brand-new-typo")
        dialog.accept()
        shown["mismatch"] = dialog.error.text()
        dialog.repeat.setText("brand-new-pass")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", logging_in("clerk"))
    monkeypatch.setattr(ChangePasswordDialog, "exec", change)
    assert sign_in_at_start(ws)
    assert shown == {"forced": True, "mismatch": "Repeat new password: does not match the new password"}
    assert ws.user.login == "clerk" and not ws.user.must_change_password
    users.log_out(ws)
    users.log_in(ws, "clerk", "brand-new-pass")
    assert not ws.user.must_change_password


def test_declining_to_replace_a_temporary_password_signs_out(qtbot, ws, monkeypatch):
    reference.save_bureau(ws, "青溪县生态环境局")
    account(ws, "clerk", [Role.COMPLAINTS_CLERK], must_change=True)
    ws.user = None
    monkeypatch.setattr(LoginDialog, "exec", logging_in("clerk"))
    monkeypatch.setattr(ChangePasswordDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert not sign_in_at_start(ws)
    assert ws.user is None


def test_a_single_user_workstation_signs_in_without_a_password(qtbot, ws, monkeypatch):
    reference.save_bureau(ws, "青溪县生态环境局")
    account(ws, "desk", [Role.OFFICE])
    ws.user = None
    decl.set_local_value(decl.SINGLE_USER, "desk")

    def unexpected(dialog):
        raise AssertionError("no log-in dialog on a single-user workstation")

    monkeypatch.setattr(LoginDialog, "exec", unexpected)
    assert sign_in_at_start(ws)
    assert ws.user.login == "desk"
    with elsewhere(ws) as other:
        newest = audit.entries(other, limit=1)[0]
    assert (newest.action, newest.detail) == ("login", "single-user workstation")


def test_a_single_user_workstation_naming_no_account_asks_for_a_password(qtbot, ws, monkeypatch):
    reference.save_bureau(ws, "青溪县生态环境局")
    account(ws, "desk", [Role.OFFICE])
    ws.user = None
    decl.set_local_value(decl.SINGLE_USER, "ghost")
    seen = []
    monkeypatch.setattr(LoginDialog, "exec", logging_in("desk", seen=seen))
    assert sign_in_at_start(ws)
    assert "“ghost”" in seen[0]["notice"] and ws.user.login == "desk"


def test_a_read_only_user_is_offered_no_administration(qtbot, demo_ws):
    signed_in(demo_ws, "reader", [Role.READ_ONLY])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.menu_file.aboutToShow.emit()
    for act in (window.act_users, window.act_audit):
        assert not act.isEnabled() and not act.isVisible()
    assert not window.act_settings.isEnabled() and not window.act_backup.isEnabled()
    assert window.act_change_password.isEnabled() and window.act_log_out.isEnabled()
    status = window.findChild(QLabel, "status_user").text()
    assert "Reader (reader)" in status and "Read-only" in status


def test_an_administrator_is_offered_users_and_the_audit_trail(qtbot, demo_ws):
    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    for act in (window.act_users, window.act_audit, window.act_settings, window.act_backup):
        assert act.isEnabled() and act.isVisible()
    assert "Administrator" in window.findChild(QLabel, "status_user").text()


def test_the_users_dialog_creates_a_user_resets_a_password_and_sets_this_workstation(qtbot, demo_ws, monkeypatch):
    from envdesk.ui.users.users_dialog import ResetPasswordDialog, UserForm, UsersDialog

    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    dialog = UsersDialog(demo_ws)
    qtbot.addWidget(dialog)
    shown = {}

    def fill(form):
        form.login.setText("newclerk")
        form.display_name.setText("新科员")
        form.password.setText("temporary-1")
        form.accept()
        shown["no role"] = form.error.text()
        form.role_boxes[Role.APPROVAL_CLERK].setChecked(True)
        form.staff.setCurrentIndex(1)
        form.accept()
        return form.result()

    monkeypatch.setattr(UserForm, "exec", fill)
    dialog.new_button.click()
    assert shown["no role"] == "Roles: choose at least one role"
    created = users.find_user(demo_ws, "newclerk")
    assert created.roles == (Role.APPROVAL_CLERK,) and created.must_change_password and created.staff_id
    assert dialog.selected().login == "newclerk"
    assert dialog.message.text() == "newclerk was created."

    # The new clerk signs in elsewhere; the administrator resets the password, which ends that session.
    def reset(form):
        form.password.setText("temporary-2")
        form.accept()
        return form.result()

    with elsewhere(demo_ws) as other:
        users.log_in(other, "newclerk", "temporary-1")
        monkeypatch.setattr(ResetPasswordDialog, "exec", reset)
        dialog.reset_button.click()
        assert "was reset" in dialog.message.text()
        record = users.find_user(demo_ws, "newclerk")
        assert record.must_change_password and record.open_sessions == 0
        users.log_in(other, "newclerk", "temporary-2")

    dialog.single_user.setCurrentIndex(dialog.single_user.findData("newclerk"))
    dialog.apply_workstation.click()
    assert decl.local_value(decl.SINGLE_USER) == "newclerk"
    assert dialog.message.text() == "Saved for this workstation."


def test_the_last_administrator_keeps_the_role(qtbot, ws, monkeypatch):
    from envdesk.ui.users.users_dialog import UserForm, UsersDialog

    ws.user = None
    users.create_first_administrator(ws, UserInput("chief", "张局长"), PASSWORD)
    dialog = UsersDialog(ws)
    qtbot.addWidget(dialog)
    dialog.view.selectRow(0)
    shown = {}

    def demote(form):
        form.role_boxes[Role.ADMINISTRATOR].setChecked(False)
        form.role_boxes[Role.LEADER].setChecked(True)
        form.accept()
        shown["error"] = form.error.text()
        return form.result()

    monkeypatch.setattr(UserForm, "exec", demote)
    dialog.edit_button.click()
    assert "last active administrator" in shown["error"]
    assert users.find_user(ws, "chief").roles == (Role.ADMINISTRATOR,)


def test_the_audit_window_lists_filters_verifies_and_exports(qtbot, demo_ws, monkeypatch, tmp_path):
    from envdesk.ui.users.audit_window import AuditWindow

    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    window = AuditWindow(demo_ws)
    qtbot.addWidget(window)
    total = audit.count(demo_ws)
    assert window.model.total == total and window.model.rowCount() == min(total, 200)
    newest = window.model.row_value(0)
    assert newest.action == "login" and "boss" in newest.user_name  # newest first
    assert window.model.index(0, 4).data() == "Logged in"

    window.action.setCurrentIndex(window.action.findData("create"))
    window.entity.setCurrentIndex(window.entity.findData("app_user"))
    rows = [window.model.row_value(r) for r in range(window.model.rowCount())]
    assert rows and all(e.action == "create" and e.entity == "app_user" for e in rows)
    assert "boss" in [e.label for e in rows]
    window.clear_filters()
    assert window.model.total == total

    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: messages.append(text))
    window.verify()
    # Every entry of the chain is checked, those the views leave out (a step's version moves) included.
    assert messages == [f"The audit trail is intact: {audit.verify(demo_ws).entries} entries checked."]
    assert audit.verify(demo_ws).entries > total

    target = tmp_path / "audit.csv"
    window.user.setText("boss")
    window.refresh()
    assert window.export(str(target)) == str(target)
    text = target.read_text(encoding="utf-8-sig")
    assert "Logged in" in text or "登录" in text
    newest = audit.entries(demo_ws, limit=1)[0]
    assert (newest.action, newest.entity, newest.label) == ("export", "audit_log", "audit.csv")


def test_history_lists_a_record_and_its_parts(qtbot, demo_ws):
    from envdesk.ui.users.history import HistoryDialog

    entries = audit.history(demo_ws, "plan", 2)
    assert any(e.entity != "plan" for e in entries)  # its tasks and letters too
    dialog = HistoryDialog(demo_ws, "plan", 2, "Plan 2")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == len(entries)
    child = next(r for r in range(len(entries)) if entries[r].entity == "letter")
    assert dialog.model.index(child, 3).data().startswith("Letter #")
    assert "→" in dialog.details.toPlainText()


def test_a_session_ended_by_an_administrator_offers_to_log_in_again(qtbot, demo_ws, monkeypatch, tmp_path):
    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    boss = demo_ws.user
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    # Another administrator, at another workstation, signs boss out everywhere.
    account(demo_ws, "deputy", [Role.ADMINISTRATOR])
    with elsewhere(demo_ws, user=None) as other:
        users.log_in(other, "deputy", PASSWORD)
        users.end_sessions(other, boss.user_id)
    warnings, dialogs = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "b.sqlite3"), ""))
    monkeypatch.setattr(LoginDialog, "exec", logging_in("boss", seen=dialogs))
    window.act_backup.trigger()  # the use case finds the session ended, in its worker thread
    assert warnings and warnings[0].startswith("Your session has ended (an administrator ended it).")
    assert not (tmp_path / "b.sqlite3").exists()
    qtbot.waitUntil(lambda: demo_ws.user is not None, timeout=5000)
    assert dialogs[0]["user"] == "boss" and dialogs[0]["fixed"]
    assert "an administrator ended it" in dialogs[0]["notice"]
    assert demo_ws.user.login == "boss" and demo_ws.user.session_token != boss.session_token
    assert window.centralWidget().currentWidget() is window.tabs
    window.act_backup.trigger()  # and now the retry works
    assert (tmp_path / "b.sqlite3").exists()


def test_declining_to_log_in_again_returns_to_the_log_in_screen(qtbot, demo_ws, monkeypatch):
    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    with elsewhere(demo_ws) as other:
        users.end_sessions(other, demo_ws.user.user_id)
    dialogs = []

    def cancel(dialog):
        dialogs.append(dialog.user_name.isReadOnly())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", cancel)
    with pytest.raises(NotSignedIn, match="Your session has ended"):
        reference.save_department(demo_ws, None, "法规科")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert dialogs == [True, False]  # log in again as boss, then anyone: both cancelled, EnvDesk closes


def test_switch_user_rebuilds_the_window_for_the_new_user(qtbot, demo_ws, monkeypatch):
    account(demo_ws, "reader", [Role.READ_ONLY])
    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    old_tab = window.tab("complaints")
    received = []
    window.changed.connect(received.append)
    dialogs = []
    monkeypatch.setattr(LoginDialog, "exec", logging_in("reader", seen=dialogs))
    window.act_switch_user.trigger()
    assert dialogs[0]["title"] == "Switch user"
    assert demo_ws.user.login == "reader"
    assert window.tab("complaints") is not old_tab
    assert not window.act_users.isVisible() and not window.act_settings.isEnabled()
    assert received and received[-1].concerns("user")
    assert "Reader (reader)" in window.findChild(QLabel, "status_user").text()
    with elsewhere(demo_ws) as other:
        boss = users.find_user(other, "boss")
    assert boss.open_sessions == 0  # the administrator's sign-in ended with the switch


def test_log_out_covers_the_window_until_someone_signs_in(qtbot, demo_ws, monkeypatch):
    account(demo_ws, "reader", [Role.READ_ONLY])
    signed_in(demo_ws, "boss", [Role.ADMINISTRATOR])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    covered = []

    def log_in_as_reader(dialog):
        covered.append(window.centralWidget().currentWidget().objectName())
        return logging_in("reader")(dialog)

    monkeypatch.setattr(LoginDialog, "exec", log_in_as_reader)
    window.act_log_out.trigger()
    assert covered == ["signed_out_page"]
    assert demo_ws.user.login == "reader" and window.centralWidget().currentWidget() is window.tabs


def test_the_window_notices_changed_roles_and_an_ended_session_without_a_click(qtbot, demo_ws, monkeypatch):
    signed_in(demo_ws, "newcomer", [Role.READ_ONLY])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    register = window.findChild(QPushButton, "register_complaint")
    assert not register.isEnabled()
    me = demo_ws.user.user_id
    with elsewhere(demo_ws) as other:  # an administrator makes the newcomer a complaints clerk
        record = users.get_user(other, me)
        users.update_user(other, me, UserInput(record.login, record.display_name, (Role.COMPLAINTS_CLERK,)),
                          expected_version=record.version)
    window.check_session()  # what the window's timer does every minute
    assert Role.COMPLAINTS_CLERK in demo_ws.user.roles and register.isEnabled()
    with elsewhere(demo_ws) as other:
        users.end_sessions(other, me)
    shown = []
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: shown.append(dialog) or QDialog.DialogCode.Rejected)
    window.check_session()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert demo_ws.user is None and window.centralWidget().currentWidget() is not window.tabs


def test_changes_made_at_another_workstation_show_without_a_restart(qtbot, demo_ws):
    from envdesk.app import reference

    signed_in(demo_ws, "watcher", [Role.READ_ONLY])
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show()
    seen = []
    window.changed.connect(seen.append)
    window.refresh_if_changed()
    assert seen == []  # nothing new: no refresh, no query of any register
    with elsewhere(demo_ws) as other:
        reference.save_department(other, None, "另一台电脑上新设的科室")
    window.refresh_if_changed()  # what the timer (and coming back to the front) does
    assert len(seen) == 1 and seen[0].concerns("department")
    window.refresh_if_changed()
    assert len(seen) == 1
