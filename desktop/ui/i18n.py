"""The interface language: Qt Linguist translators, the saved choice, and core messages to match.

Source strings are Simplified Chinese; `resources/i18n/shebao_en.qm` carries the English. Switching
installs or removes translators, which makes Qt send LanguageChange to every widget, whose
`changeEvent` calls its `retranslate()`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

from desktop.core.errors import ShebaoError
from desktop.core.paths import resources_dir

LANGUAGES: dict[str, str] = {"zh": "简体中文", "en": "English"}
DEFAULT = "zh"

_state: dict[str, object] = {"lang": DEFAULT, "translators": []}


def settings() -> QSettings:
    """The application's settings (an INI file in the user's configuration folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ShebaoDesk",
                     "ShebaoDesk")


def i18n_dir() -> Path:
    """Where the compiled translations live."""
    return resources_dir() / "i18n"


def lang() -> str:
    """The current interface language: 'zh' or 'en'."""
    return str(_state["lang"])


def saved_language() -> str:
    """The language chosen last time, or Chinese."""
    value = str(settings().value("ui/language", DEFAULT))
    return value if value in LANGUAGES else DEFAULT


def apply(language: str, remember: bool = True) -> str:
    """Switch the interface language now; visible widgets retranslate themselves."""
    app = QCoreApplication.instance()
    language = language if language in LANGUAGES else DEFAULT
    if app is None:
        _state["lang"] = language
        return language
    old: list[QTranslator] = _state["translators"]  # type: ignore[assignment]
    _state["lang"] = language
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    wanted: list[tuple[str, str]] = []
    if language == "zh":
        wanted.append((qt_dir, "qtbase_zh_CN"))
    else:
        wanted.append((str(i18n_dir()), "shebao_en"))
    new: list[QTranslator] = []
    for folder, name in wanted:
        translator = QTranslator(app)
        if translator.load(name, folder):
            new.append(translator)
    for translator in old:
        app.removeTranslator(translator)
    for translator in new:
        app.installTranslator(translator)
    _state["translators"] = new
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China)
                       if language == "zh" else QLocale(QLocale.Language.English))
    if remember:
        settings().setValue("ui/language", language)
    if not new and not old:
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    return language


def message(error: BaseException) -> str:
    """What to show the clerk for an error, in the interface language."""
    if isinstance(error, ShebaoError):
        return error.message(lang())
    return QCoreApplication.translate("Errors", "意外错误：{error}").format(
        error=f"{type(error).__name__}: {error}")
