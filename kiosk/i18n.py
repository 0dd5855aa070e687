"""Language of the visit: swaps the application's QTranslator at run time.

Source strings are English. Chinese (zh_CN) is the default; translations are compiled from
``i18n/*.ts`` to ``.qm`` during set-up. Installing a translator makes Qt send a
``LanguageChange`` event to every widget, and screens re-label themselves on it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTranslator, Signal

log = logging.getLogger(__name__)

LANGUAGES: dict[str, QLocale] = {
    "zh_CN": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


class TranslationMissingError(RuntimeError):
    """A compiled translation file is missing: run the set-up (``make demo`` / ``make test``)."""


class LanguageService(QObject):
    """Owns the current language.

    Signals:
        language_changed: The language switched; arg: the language code ("zh_CN" or "en").
    """

    language_changed = Signal(str)

    def __init__(
        self, default: str = "zh_CN", *, qm_dir: Path = I18N_DIR, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        if default not in LANGUAGES:
            raise ValueError(f"unsupported language {default!r}")
        self._default = default
        self._qm_dir = qm_dir
        self._current = ""
        self._translator: QTranslator | None = None
        self.set_language(default)

    @property
    def current(self) -> str:
        return self._current

    @property
    def default(self) -> str:
        return self._default

    def locale(self) -> QLocale:
        return LANGUAGES[self._current]

    def qm_path(self, code: str) -> Path:
        return self._qm_dir / f"kiosk_{code}.qm"

    def set_language(self, code: str) -> None:
        if code not in LANGUAGES:
            raise ValueError(f"unsupported language {code!r}")
        if code == self._current:
            return
        translator = QTranslator(self)
        path = self.qm_path(code)
        if not translator.load(str(path)):
            raise TranslationMissingError(
                f"translation {path} is missing or unreadable; build it with installer/setup.sh"
            )
        # Language and locale first: widgets re-labelling themselves on LanguageChange read
        # them (dates are formatted with the default QLocale).
        self._current = code
        QLocale.setDefault(LANGUAGES[code])
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            QCoreApplication.removeTranslator(self._translator)
        if app is not None:
            QCoreApplication.installTranslator(translator)
            # Installing a translator posts LanguageChange to every top-level window; deliver
            # those now so every widget is re-labelled before anyone reads or speaks its text.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self._translator = translator
        log.info("language set to %s", code)
        self.language_changed.emit(code)

    def toggle(self) -> None:
        self.set_language("en" if self._current == "zh_CN" else "zh_CN")

    def reset(self) -> None:
        self.set_language(self._default)

    def uninstall(self) -> None:
        """Take this service's translator out of the application (shut-down; tests that
        build several kiosks in one process). The language is forgotten: the next
        ``set_language`` installs a translator again."""
        if self._translator is not None and QCoreApplication.instance() is not None:
            QCoreApplication.removeTranslator(self._translator)
        self._translator = None
        self._current = ""
