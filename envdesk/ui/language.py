"""Run-time language switching for Qt: our catalogs through envdesk.i18n, Qt's own through QTranslator."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from envdesk import i18n


class LanguageManager(QObject):
    """Emits language_changed after every switch; widgets connect their retranslate_ui to it."""

    language_changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._qt_translators: list[QTranslator] = []
        i18n.on_language_changed(self._on_changed)
        self._install_qt_catalogs(i18n.current_language())

    def set_language(self, language: str) -> None:
        i18n.set_language(language)

    def _on_changed(self, language: str) -> None:
        self._install_qt_catalogs(language)
        self.language_changed.emit(language)

    def _install_qt_catalogs(self, language: str) -> None:
        for translator in self._qt_translators:
            self._app.removeTranslator(translator)
        self._qt_translators.clear()
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh_CN"
                           else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        if language == "en":
            return
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for catalog in ("qtbase", "qt"):
            translator = QTranslator(self._app)
            if translator.load(f"{catalog}_{language}", folder):
                self._app.installTranslator(translator)
                self._qt_translators.append(translator)
                break  # qt_zh_CN includes qtbase; one is enough

    def detach(self) -> None:
        i18n.remove_language_listener(self._on_changed)


_manager: LanguageManager | None = None


def manager() -> LanguageManager:
    global _manager
    if _manager is None:
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        _manager = LanguageManager(app)
        app.aboutToQuit.connect(_reset)
    return _manager


def _reset() -> None:
    global _manager
    if _manager is not None:
        _manager.detach()
    _manager = None
