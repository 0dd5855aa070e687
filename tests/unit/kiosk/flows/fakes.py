"""A scripted platform and a runner whose jobs finish when the test says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.platform.api import ResidentIdentity, VolunteerIdentity

WANG = ResidentIdentity(
    resident_id=11, name="王秀兰", household_id=3, household_label="1栋1单元101", is_elderly=True
)
ZHANG = ResidentIdentity(
    resident_id=12, name="张桂芳", household_id=4, household_label="3栋2单元501", is_elderly=True
)
CHEN = VolunteerIdentity(volunteer_id=7, name="陈晓燕", role="volunteer")


class ScriptedPlatform:
    """Answers each identification with what the test put in ``answers[method]``: a value to
    return, or an exception to raise. Records the calls (method, args)."""

    def __init__(self) -> None:
        self.answers: dict[str, object] = {}
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def _answer(self, method: str, *args: Any) -> Any:
        self.calls.append((method, args))
        answer = self.answers[method]
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def identify_resident_by_card(self, uid_hash: str) -> ResidentIdentity:
        return self._answer("identify_resident_by_card", uid_hash)  # type: ignore[no-any-return]

    def identify_resident_by_qr(self, token: str) -> ResidentIdentity:
        return self._answer("identify_resident_by_qr", token)  # type: ignore[no-any-return]

    def identify_resident_by_room(
        self, building: str, unit: str, room: str, phone_last4: str
    ) -> ResidentIdentity:
        return self._answer(  # type: ignore[no-any-return]
            "identify_resident_by_room", building, unit, room, phone_last4
        )

    def identify_volunteer_by_card(self, uid_hash: str) -> VolunteerIdentity:
        return self._answer("identify_volunteer_by_card", uid_hash)  # type: ignore[no-any-return]

    def identify_volunteer_by_qr(self, token: str) -> VolunteerIdentity:
        return self._answer("identify_volunteer_by_qr", token)  # type: ignore[no-any-return]

    def verify_volunteer_pin(self, volunteer_id: int, pin: str) -> VolunteerIdentity:
        return self._answer("verify_volunteer_pin", volunteer_id, pin)  # type: ignore[no-any-return]


class HeldRunner:
    """Runs the work at once but holds the answer until :meth:`release` (a slow platform)."""

    def __init__(self) -> None:
        self.held: list[Callable[[], None]] = []

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is not None:
                error_cb, error = on_error, exc
                self.held.append(lambda: error_cb(error))
        else:
            if on_done is not None:
                done_cb = on_done
                self.held.append(lambda: done_cb(result))

    def release(self) -> None:
        held, self.held = self.held, []
        for answer in held:
            answer()
