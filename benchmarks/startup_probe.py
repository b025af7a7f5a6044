"""Child process for the start-up benchmark: open EnvDesk's main window (or a bare one) and say when shown."""

import sys


def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if mode == "bare":
        from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        tabs = QTabWidget()
        for name in ("Overview", "Twinning", "Complaints", "Approvals", "Responsibility"):
            tabs.addTab(QWidget(), name)
        window.setCentralWidget(tabs)
    else:
        from envdesk import i18n
        from envdesk.app.access import Principal
        from envdesk.app.workspace import open_workspace
        from envdesk.ui.application import ensure_application
        from envdesk.ui.main_window import MainWindow

        i18n.set_language("zh_CN")
        app = ensure_application()
        # The log-in dialog waits for a person; what is measured is the main window once someone is signed in.
        window = MainWindow(open_workspace(url, user=Principal.trusted("bench")))
    window.resize(1280, 800)
    window.show()

    def shown() -> None:
        print("shown", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)  # after the first pass of the event loop: the window is on screen
    app.exec()


if __name__ == "__main__":
    main()
