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

# ---------------------------------------------------------------- visitor check-in
CHECKIN = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Visitor check-in. Hold your pass QR code up to the camera. "
        "If it will not scan, touch Type the code.",
    )
)
CHECKIN_CODE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "Type the 9-digit code printed under the pass QR code, then press OK."
    )
)
CHECKIN_CHECKING = _p(QT_TRANSLATE_NOOP("Prompt", "Checking your pass. One moment please."))
CHECKIN_CONFIRM = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Please check: visitor {name}, visiting {household}, valid until {until}. "
        "If this is right, touch Confirm check-in.",
    )
)
CHECKIN_WELCOME = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Welcome! You are checked in. Please take your slip, and scan its code when you leave.",
    )
)
CHECKIN_SLIP_FAILED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "You are checked in, but the slip could not be printed. Your exit code is {code}. "
        "Please write it down or take a photo of the screen, or ask a volunteer.",
    )
)
PASS_FORGED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This pass could not be verified. Please ask the resident you are visiting to send "
        "the pass again, or call a volunteer.",
    )
)
PASS_UNREADABLE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This code is not a visitor pass of this community. Please show the pass QR code, "
        "or type the code printed under it.",
    )
)
PASS_NEWER_FORMAT = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This pass is of a newer kind that this kiosk cannot read yet. Please call a volunteer.",
    )
)
PASS_EXPIRED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This pass has expired. Please ask the resident you are visiting to send a new pass, "
        "or call a volunteer.",
    )
)
PASS_NOT_YET_VALID = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This pass is not valid yet. Please come back at the time the resident chose, "
        "or ask them to change it.",
    )
)
PASS_ALREADY_USED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This pass has already been used, and each pass works only once. Please ask the "
        "resident for a new pass, or call a volunteer.",
    )
)
PASS_OTHER_COMMUNITY = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This pass is for another community. Please check that this is the right service "
        "station, or call a volunteer.",
    )
)
CODE_WRONG = _p(
    QT_TRANSLATE_NOOP("Prompt", "That number is not right. Please check it and type it again.")
)
CODE_PAUSED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Too many wrong numbers. Please wait {seconds} seconds and try again, or call a volunteer.",
    )
)
PLATFORM_UNAVAILABLE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The community system cannot be reached right now. Please try again in a moment, "
        "or call a volunteer.",
    )
)
CHECKOUT = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Leaving? Hold the QR code on your visitor slip up to the camera, "
        "or type the exit code printed under it.",
    )
)
CHECKOUT_DONE = _p(
    QT_TRANSLATE_NOOP("Prompt", "Goodbye, {name}. Your departure has been recorded.")
)
CHECKOUT_ALREADY = _p(
    QT_TRANSLATE_NOOP("Prompt", "This slip has already been used to sign out. Goodbye!")
)
CHECKOUT_UNKNOWN = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "No visit with this exit code is open here. Please check the number, or call a volunteer.",
    )
)

# ---------------------------------------------------------------- walk-in visitors
WALKIN_HOST = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "Who are you visiting? Choose the building, then the unit, then the room."
    )
)
WALKIN_NAME = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "Please choose your surname, then Mr or Ms. Your full name is not needed."
    )
)
WALKIN_PHONE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "You may leave a mobile number so the resident can reach you, or touch Skip."
    )
)
WALKIN_REASON = _p(QT_TRANSLATE_NOOP("Prompt", "Why are you visiting today? Choose one."))
WALKIN_WAITING = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "We have asked {household} to approve your visit. Please wait here; "
        "this usually takes a minute or two.",
    )
)
WALKIN_NO_ANSWER = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The resident has not answered yet. Please call a volunteer: "
        "a volunteer can approve your visit here.",
    )
)
WALKIN_HOST_UNREACHABLE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This home cannot be asked by phone. Please call a volunteer: "
        "a volunteer can approve your visit here.",
    )
)
WALKIN_REFUSED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Sorry, the resident cannot receive visitors right now. "
        "Please contact them, or ask at the service desk.",
    )
)
WALKIN_REFERRED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt", "Please go to the service desk, where staff will register your visit."
    )
)
WALKIN_OTHER_SURNAME = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "If your surname is not in the list, please call a volunteer, "
        "who will type your name for you.",
    )
)

# ---------------------------------------------------------------- invitations
INVITE_WHEN = _p(
    QT_TRANSLATE_NOOP("Prompt", "When will your visitor come? Choose the day, then the time.")
)
INVITE_NAME = _p(
    QT_TRANSLATE_NOOP("Prompt", "What is your visitor's surname? Choose it, then Mr or Ms.")
)
INVITE_CONFIRM = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Invitation for {name}, {window}. Touch Print invitation to print the pass.",
    )
)
INVITE_DONE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The invitation is printing. Give it to your visitor, or send them a photo of it. "
        "They show the QR code at the service station, or type the code under it.",
    )
)
INVITE_PRINT_FAILED = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The pass is ready, but it could not be printed. Its code is {code}: "
        "please write it down for your visitor, or ask a volunteer.",
    )
)
INVITE_NOT_HERE = _p(
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Invitations cannot be printed at this station. Please ask the station staff.",
    )
)
INVITE_BAD_WINDOW = _p(
    QT_TRANSLATE_NOOP("Prompt", "That time cannot be used. Please choose another day or time.")
)
