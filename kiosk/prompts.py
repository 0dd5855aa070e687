"""Catalogue of translatable messages that are not owned by one widget.

Source strings are English; every one is translated in ``i18n/kiosk_zh_CN.ts`` and Chinese is
the default language. Strings are marked with ``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate``
finds them and translated when shown or spoken, so a language switch mid-visit takes effect.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context``; returns it unchanged.

    PySide6's own QT_TRANSLATE_NOOP is typed as returning ``object``; this one keeps ``str``.
    pyside6-lupdate recognises the call by its name.
    """
    del context
    return source


class Prompt(NamedTuple):
    """A message in the catalogue: translation context plus English source text.

    ``text(**kw)`` translates into the current language and fills ``{placeholders}``.
    """

    context: str
    source: str

    def text(self, **kw: object) -> str:
        translated = QCoreApplication.translate(self.context, self.source)
        return translated.format(**kw) if kw else translated


def _p(source: str) -> Prompt:
    return Prompt("Prompt", source)


# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
ATTRACT = _p(QT_TRANSLATE_NOOP("Prompt", "Welcome. Touch the screen to begin."))
HOME = _p(QT_TRANSLATE_NOOP("Prompt", "Please choose a service. Touch a large button to continue."))
GLOBAL_BAR = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Elderly mode is on. Text is larger and every screen is read aloud. "
        "At the bottom of the screen: {controls}. At the top: {top}.",
    )
)
ELDERLY_OFF = _p(QT_TRANSLATE_NOOP("Prompt", "Elderly mode is off."))
HELP_SENT = _p(
    QT_TRANSLATE_NOOP("Prompt", "A volunteer has been called and is on the way. Please wait here.")
)
HELP_FAILED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The call for help could not be recorded. Please ask at the service desk.",
    )
)
IDLE_WARNING = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Are you still there? This visit will end in {seconds} seconds. "
        "Touch Continue to keep going.",
    )
)
VOLUME_LEVEL = _p(QT_TRANSLATE_NOOP("Prompt", "Volume {level}."))
TEXT_SIZE_LEVEL = _p(QT_TRANSLATE_NOOP("Prompt", "Text size {level}."))
NOTICES = _p(
    QT_TRANSLATE_NOOP("Prompt", "Community notices. Use Previous and Next to read each notice.")
)
NOTICE_READ = _p(QT_TRANSLATE_NOOP("Prompt", "Notice {index} of {count}: {title}. {body}"))
NO_NOTICES = _p(QT_TRANSLATE_NOOP("Prompt", "There are no notices at the moment."))
ADMIN_PIN = _p(QT_TRANSLATE_NOOP("Prompt", "Staff only. Enter the administrator PIN."))
ADMIN_SET_PIN = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "First start. Choose an administrator PIN of 6 to 12 digits, then enter it again."
    )
)
ADMIN_WRONG_PIN = _p(
    QT_TRANSLATE_NOOP("Prompt", "Wrong PIN. {left} attempts left before the lock.")
)
ADMIN_LOCKED = _p(QT_TRANSLATE_NOOP("Prompt", "Too many wrong PINs. Locked for {minutes} minutes."))
ADMIN_PIN_MISMATCH = _p(
    QT_TRANSLATE_NOOP("Prompt", "The two PINs differ. Please enter the new PIN again.")
)
ADMIN_PIN_WEAK = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This PIN is too easy to guess. Use 6 to 12 digits, not all the same and not in a row.",
    )
)
ADMIN = _p(QT_TRANSLATE_NOOP("Prompt", "Administration. Device states and station settings."))
VOICE_TEST = _p(
    QT_TRANSLATE_NOOP("Prompt", "This is a voice test of the community service station.")
)
TASK_FAILED = _p(
    QT_TRANSLATE_NOOP("Prompt", "Something went wrong. Please try again or call a volunteer.")
)
VOLUNTEER_PIN = _p(QT_TRANSLATE_NOOP("Prompt", "Please enter your volunteer PIN, then press OK."))
VOLUNTEER_LOCKED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "Too many wrong PINs. Volunteer sign-in is locked for {minutes} minutes."
    )
)
VOLUNTEER_NO_PIN = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "This volunteer has no PIN yet. Please ask the station staff to set one."
    )
)
VOLUNTEER_SIGNED_IN = _p(
    QT_TRANSLATE_NOOP("Prompt", "Volunteer {name} is signed in. Assisted mode is on.")
)
