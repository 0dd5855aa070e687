"""The error every user-facing failure is turned into, once, with a translatable message."""

from __future__ import annotations

from kiosk.prompts import Prompt


class KioskError(Exception):
    """A failure the user is told about.

    Attributes:
        user_message: What to show and speak, in the user's language.
        params: Values for the message's ``{placeholders}``.
    """

    def __init__(self, user_message: Prompt, **params: object) -> None:
        super().__init__(user_message.source)
        self.user_message = user_message
        self.params = params

    def text(self) -> str:
        return self.user_message.text(**self.params)
