"""An optional mainland mobile number on the large keypad, with 跳过 next to it.

The digits are shown as typed, grouped as people say them (``138 1234 5678``). A number is
accepted when it has 11 digits and looks like a mobile number (``1`` then ``3``-``9``);
otherwise the message next to the field says what is wrong and the digits stay. Later
confirmation screens show it masked (``138****5678``, :func:`kiosk.masking.mask_phone`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.masking import mask_phone
from ui.widgets.choice_list import ChoiceButton
from ui.widgets.code_entry import DigitEntry

__all__ = ["PHONE_DIGITS", "PhoneEntry", "is_mobile_number"]

PHONE_DIGITS = 11


def is_mobile_number(digits: str) -> bool:
    """11 ASCII digits, ``1`` then ``3``-``9`` (mainland mobile numbers)."""
    return (
        len(digits) == PHONE_DIGITS
        and digits.isascii()
        and digits.isdigit()
        and digits[0] == "1"
        and digits[1] in "3456789"
    )


class PhoneEntry(DigitEntry):
    """A mobile number the visitor may give or skip.

    Attributes:
        skip_button: 跳过, beside the number (under its message in landscape).

    Signals:
        submitted: OK with a valid number; arg: the 11 digits (kept until ``clear()``).
        skipped: 跳过 was released; the digits typed so far are dropped.
        invalid: OK was refused; arg: the message shown next to the field (to be spoken).
    """

    submitted = Signal(str)
    skipped = Signal()
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(PHONE_DIGITS, (3, 4, 4), parent)
        self.skip_button = ChoiceButton(variant="secondary")
        self.skip_button.setObjectName("skipPhone")
        self.set_aside(self.skip_button)
        self.skip_button.clicked.connect(self._on_skip)
        self.retranslate_ui()

    def phone(self) -> str:
        return self.digits()

    def masked(self) -> str:
        """The number for a confirmation screen: ``138****5678`` ("" when none)."""
        return mask_phone(self.digits()) if self.digits() else ""

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.skip_button.setText(self.tr("Skip"))

    def _on_skip(self) -> None:
        self.clear()
        self.skipped.emit()

    def _accept(self) -> None:
        phone = self.digits()
        if not phone:
            self._refuse(
                lambda: self.tr("Please type your mobile number, or press Skip."),
                self.invalid.emit,
            )
        elif not is_mobile_number(phone):
            self._refuse(
                lambda: self.tr(
                    "A mobile number has 11 digits and starts with 1. Please check it."
                ),
                self.invalid.emit,
            )
        else:
            self._clear_error()
            self.submitted.emit(phone)
