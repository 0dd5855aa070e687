"""Typing a short numeric code on the large keypad, with the digits shown as typed.

:class:`DigitEntry` is the shared part (display, message line, keypad); :class:`CodeEntry`
takes the 9-digit short codes of :mod:`kiosk.security.short_codes` (printed under a pass QR
code and on a visitor slip). These codes are not secret: the digits are shown, grouped by
three (``123 456 789``), and blanks show how many are still to come.

A wrong entry is refused next to the field with a message that says how to fix it, the
digits stay for correcting (ACCESSIBILITY.md item 21), and ``invalid`` hands the message to
the screen so it can be spoken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.security.short_codes import CODE_DIGITS, is_valid_code
from ui.screen import plain_label
from ui.widgets.keypad import Keypad

if TYPE_CHECKING:
    from ui.theme import Theme

__all__ = ["PLACEHOLDER", "CodeEntry", "DigitEntry", "group_digits"]

#: Stands for a digit still to be typed.
PLACEHOLDER = "-"


def group_digits(digits: str, groups: Sequence[int], *, pad: bool = True) -> str:
    """``"1234"`` with groups (3, 3, 3) → ``"123 4-- ---"`` (or ``"123 4"`` without ``pad``)."""
    total = sum(groups)
    text = digits + PLACEHOLDER * (total - len(digits)) if pad else digits
    parts: list[str] = []
    start = 0
    for size in groups:
        part = text[start : start + size]
        if part:
            parts.append(part)
        start += size
    if text[start:]:
        parts.append(text[start:])
    return " ".join(parts)


class DigitEntry(QWidget):
    """Digits typed on the keypad, shown grouped, with a message line under them.

    Subclasses decide what OK does (``_accept``) and own every text (``tr`` takes its
    context from the runtime class).

    Attributes:
        display: The digits typed so far, grouped, blanks for the rest.
        status: The message next to the field (empty when all is well).
        keypad: The large keypad (数字, 删除, 确定).
        field_layout: Display and message.
    """

    def __init__(
        self, max_digits: int, groups: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if max_digits < 1 or sum(groups) != max_digits:
            raise ValueError("the groups must add up to max_digits")
        self._max = max_digits
        self._groups = tuple(groups)
        self._digits = ""
        self._error: Callable[[], str] | None = None
        # Display and message above the keypad, or beside it when the widget is wide enough
        # (landscape): four rows of keys plus the field would not fit under a title there.
        self._box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._field = QWidget()
        self.field_layout = QVBoxLayout(self._field)
        self.field_layout.setContentsMargins(0, 0, 0, 0)
        self.display = plain_label(role="keypad", wrap=False)
        self.display.setProperty("data_text", True)  # the visitor's digits, not UI text
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = plain_label(role="status-error")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setProperty("kiosk_status", True)
        self.keypad = Keypad()
        self._top_row = QHBoxLayout()
        self._top_row.setContentsMargins(0, 0, 0, 0)
        self._top_row.addWidget(self.display, 1)
        self.field_layout.addLayout(self._top_row)
        self.field_layout.addWidget(self.status)
        self._aside: QWidget | None = None
        self._box.addStretch(0)
        self._box.addWidget(self._field)
        self._box.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        self._box.addStretch(1)
        self._gap = 0
        self._keypad_width = 0
        self._direction: QBoxLayout.Direction | None = None
        self.keypad.digit.connect(self._on_digit)
        self.keypad.erased.connect(self._on_erase)
        self.keypad.accepted.connect(self._accept)
        self._render()

    # ---------------------------------------------------------------- public
    def digits(self) -> str:
        """The digits typed so far."""
        return self._digits

    def set_digits(self, text: str) -> None:
        """Pre-fill (ACCESSIBILITY.md item 22); non-digits are dropped, the rest cut to size."""
        self._digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())[: self._max]
        self._clear_error()
        self._render()

    def clear(self) -> None:
        """Forget the digits and the message."""
        self._digits = ""
        self._clear_error()
        self._render()

    def show_error(self, text: str) -> None:
        """Show ``text`` (plain, already translated) next to the field; the digits stay."""
        self._set_error(lambda: text)

    def error_text(self) -> str:
        return self.status.text()

    def apply_theme(self, theme: Theme) -> None:
        """Spacing from the theme; keys one tile wide, so the keypad stays within reach."""
        self._gap = theme.gap_px()
        self.field_layout.setSpacing(self._gap)
        self._top_row.setSpacing(self._gap * 2)
        self.keypad.set_spacing(self._gap)
        self._keypad_width = theme.tile_px() * 3 + self._gap * 2
        # One line is kept for the message, so showing it does not move the keypad.
        self.status.setMinimumHeight(round(theme.text_px("body") * 1.5))
        self._direction = None
        self._place()

    def set_spacing(self, px: int) -> None:
        """Spacing only, for screens that pass the gap alone (as with ``PinPad``); prefer
        ``apply_theme``, which also sizes the keys from the tile token."""
        self._gap = px
        self.field_layout.setSpacing(px)
        self._top_row.setSpacing(px * 2)
        self.keypad.set_spacing(px)
        self._direction = None
        self._place()

    def side_by_side(self) -> bool:
        """Whether the field sits beside the keypad (wide widget) rather than above it."""
        return self._box.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def changeEvent(self, event: QEvent) -> None:
        t = event.type()
        if t == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
        if t in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._direction = None
            self._place()

    def retranslate_ui(self) -> None:
        if self._error is not None:
            self.status.setText(self._error())

    def _place(self) -> None:
        """Stack or place side by side; keep the field as wide as its longest number."""
        self._fit_keypad()
        self.display.ensurePolished()
        widest = group_digits("8" * self._max, self._groups)
        display = self.display.fontMetrics().horizontalAdvance(widest) + self._gap * 2
        field = max(display, self.keypad.minimumWidth())
        wide = self.width() >= field + self.keypad.minimumWidth() + self._gap * 4
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if direction == self._direction and self.display.minimumWidth() == display:
            return
        self._direction = direction
        self.display.setMinimumWidth(display)
        self._box.setDirection(direction)
        self._box.setSpacing(self._gap * (4 if wide else 2))
        # Side by side, the pair is centred; stacked, it starts at the top.
        self._box.setStretch(0, 1 if wide else 0)
        self._field.setMinimumWidth(field if wide else 0)
        top, centre = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignHCenter
        self._box.setAlignment(self._field, top if wide else Qt.AlignmentFlag(0))
        self._box.setAlignment(self.keypad, top if wide else centre)
        if self._aside is not None:
            # Under the message beside the keypad; stacked, beside the number, away from keys.
            self._top_row.removeWidget(self._aside)
            self.field_layout.removeWidget(self._aside)
            if wide:
                self.field_layout.addWidget(self._aside, 0, centre)
            else:
                self._top_row.addWidget(self._aside, 0, Qt.AlignmentFlag.AlignVCenter)

    def _fit_keypad(self) -> None:
        """Keys one tile wide (within reach, not stretched across a landscape panel), and
        never squeezed below what their labels need at the larger text steps."""
        k = self.keypad.keys
        columns = [
            [k["1"], k["4"], k["7"], self.keypad.delete_key],
            [k["2"], k["5"], k["8"], k["0"]],
            [k["3"], k["6"], k["9"], self.keypad.ok_key],
        ]
        for column in columns:
            for key in column:
                key.ensurePolished()
        spacing = max(0, self._gap)
        needed = sum(max(key.sizeHint().width() for key in column) for column in columns)
        width = max(self._keypad_width, needed + spacing * 2)
        key_h = max(key.sizeHint().height() for column in columns for key in column)
        height = key_h * 4 + spacing * 3
        if self.keypad.minimumWidth() != width or self.keypad.minimumHeight() != height:
            self.keypad.setMinimumSize(width, height)
            self.keypad.setMaximumWidth(width)

    def set_aside(self, widget: QWidget) -> None:
        """A button that goes with the field (跳过): under the message when the field is beside
        the keypad, at the end of the number's row when it is above it."""
        self._aside = widget
        self._top_row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        self._direction = None
        self._place()

    # ---------------------------------------------------------------- internals
    def _render(self) -> None:
        self.display.setText(group_digits(self._digits, self._groups))
        self.display.setAccessibleName(group_digits(self._digits, self._groups, pad=False))

    def _set_error(self, message: Callable[[], str]) -> None:
        self._error = message
        self.status.setText(message())

    def _clear_error(self) -> None:
        self._error = None
        self.status.clear()

    def _on_digit(self, digit: str) -> None:
        if len(self._digits) < self._max:
            self._digits += digit
            self._clear_error()
            self._render()

    def _on_erase(self) -> None:
        self._digits = self._digits[:-1]
        self._clear_error()
        self._render()

    def _accept(self) -> None:
        raise NotImplementedError

    def _refuse(self, message: Callable[[], str], signal: Callable[[str], None]) -> None:
        """Show the message next to the field (again after a language change) and report it."""
        self._set_error(message)
        signal(self.status.text())


class CodeEntry(DigitEntry):
    """A 9-digit short code (pass code or exit code), checked before it is sent.

    Args:
        validator: True for a well-formed code; the screen passes
            ``kiosk.security.short_codes.is_valid_code`` (the default).
        digits: Length of a code.

    Signals:
        submitted: OK with a complete, valid code; arg: the digits (kept on screen).
        invalid: OK was refused; arg: the message shown next to the field (to be spoken).
    """

    submitted = Signal(str)
    invalid = Signal(str)

    def __init__(
        self,
        validator: Callable[[str], bool] = is_valid_code,
        *,
        digits: int = CODE_DIGITS,
        parent: QWidget | None = None,
    ) -> None:
        groups = [3] * (digits // 3) + ([digits % 3] if digits % 3 else [])
        super().__init__(digits, groups, parent)
        self._validator = validator

    def code(self) -> str:
        return self.digits()

    def _accept(self) -> None:
        code = self.digits()
        if len(code) < self._max:
            total, missing = self._max, self._max - len(code)
            self._refuse(
                lambda: self.tr("The number has {total} digits; {missing} more to type.").format(
                    total=total, missing=missing
                ),
                self.invalid.emit,
            )
        elif not self._validator(code):
            self._refuse(
                lambda: self.tr("The number is not right. Please check it and type it again."),
                self.invalid.emit,
            )
        else:
            self._clear_error()
            self.submitted.emit(code)
