"""Visitor check-in and sign-out on the kiosk side of the platform boundary.

The kiosk verifies a pass *offline*, by its signature, before it asks the platform for
anything (ARCHITECTURE §6): a forged or expired code is refused in a fraction of a
millisecond, even when the platform is unreachable. Then two platform questions make the
confirmation screen honest: which household the pass names (its label on screen), and
whether the pass is used up already (so the visitor hears "already used" on the first
screen, not after tapping 确认登记). The use itself is redeemed in the *same transaction*
as the visit (``CheckInRequest.redeem_uses_allowed``), so a pass is never used up without
a visit, and two kiosks racing for the last use cannot both admit.

A short code typed on the keypad finds the pass's token at the platform; the token is then
checked exactly like a scanned one.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk.masking import mask_name
from kiosk.platform.api import (
    EXIT_TOKEN_PREFIX,
    Actor,
    CheckInRequest,
    HouseholdNotFoundError,
    HouseholdSummary,
    PassAlreadyUsedError,
    PassNotFoundError,
    Platform,
    Visit,
    VisitNotFoundError,
)
from kiosk.security.passes import (
    PassRejectedError,
    PassRejection,
    PassVerifier,
    VerifiedPass,
)
from kiosk.security.short_codes import is_valid_code, normalize_code

if TYPE_CHECKING:
    from kiosk.services.audit import AuditLog

__all__ = [
    "PassPreview",
    "VisitorService",
    "WrongCodeError",
]

log = logging.getLogger(__name__)


class WrongCodeError(Exception):
    """A typed short code fails its check digit or finds nothing. Not a pass rejection:
    the visitor probably mistyped."""


@dataclass(frozen=True, slots=True, repr=False)
class PassPreview:
    """A verified pass, ready for the confirmation screen; not redeemed yet.

    Attributes:
        verified: The pass as verified.
        household: The host household it names.
        uses_so_far: Uses redeemed before this one.
    """

    token: str
    verified: VerifiedPass
    household: HouseholdSummary
    uses_so_far: int
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def masked_visitor(self) -> str:
        return mask_name(self.verified.visitor_name)

    @property
    def valid_until(self) -> datetime:
        return self.verified.valid_until

    def __repr__(self) -> str:
        return (
            f"PassPreview(pass_id={self.verified.pass_id.hex()}, "
            f"household_id={self.household.household_id})"
        )


class VisitorService:
    """Pass preview, check-in and sign-out for the kiosk's flows. Methods block.

    Args:
        platform: The community platform.
        verifier: Checks pass signatures; ``None`` when no pass key is configured (every
            pass is then refused as ``WRONG_KEY``: the kiosk cannot trust any).
        audit: The station's audit log: every refused pass and wrong code is recorded
            (reason and kiosk only, never the token or a name).
        kiosk_id: This kiosk, for the audit entries.
        clock: Aware current time.
    """

    def __init__(
        self,
        platform: Platform,
        verifier: PassVerifier | None,
        *,
        audit: AuditLog | None = None,
        kiosk_id: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._platform = platform
        self._verifier = verifier
        self._audit = audit
        self._kiosk_id = kiosk_id
        self._clock = clock

    def _record(self, event: str, actor: Actor, detail: dict[str, str]) -> None:
        if self._audit is None:
            return
        detail = {"kiosk": self._kiosk_id, **detail}
        try:
            self._audit.append(
                event,
                actor_kind=actor.kind,
                actor_id=actor.id,
                on_behalf_of=actor.on_behalf_of,
                detail=detail,
            )
        except Exception as exc:
            # The refusal itself must still reach the visitor.
            log.error("audit entry %s could not be written: %s", event, type(exc).__name__)

    @property
    def platform(self) -> Platform:
        return self._platform

    def preview_token(self, token: str, *, actor: Actor, via: str = "scan") -> PassPreview:
        """Verify a scanned pass and look up what the confirmation screen shows.

        Raises:
            PassRejectedError: Refused (signature, community, time, used up...). A pass
                naming a household this community does not have is ``MALFORMED``: it was
                signed by our key, so this means a platform data error, not a forgery.
            PlatformUnavailableError: The platform cannot be asked.
        """
        try:
            return self._preview(token)
        except PassRejectedError as exc:
            self._record("pass.rejected", actor, {"reason": exc.reason.value, "via": via})
            raise

    def _preview(self, token: str) -> PassPreview:
        if self._verifier is None:
            raise PassRejectedError(PassRejection.WRONG_KEY)
        now = self._clock()
        verified = self._verifier.verify(token, now=now)
        try:
            household = self._platform.household_by_code(verified.household)
        except HouseholdNotFoundError:
            log.warning("a verified pass names an unknown household")
            raise PassRejectedError(PassRejection.MALFORMED) from None
        uses = self._platform.pass_uses(verified.pass_id)
        if uses >= verified.uses_allowed:
            raise PassRejectedError(PassRejection.ALREADY_USED)
        return PassPreview(
            token=token, verified=verified, household=household, uses_so_far=uses, checked_at=now
        )

    def preview_short_code(self, code: str, *, actor: Actor) -> PassPreview:
        """Find the pass issued with a typed short code, then as :meth:`preview_token`.

        Raises:
            WrongCodeError: The check digit fails or no pass has this code.
            PassRejectedError, PlatformUnavailableError: As :meth:`preview_token`.
        """
        code = normalize_code(code)
        if not is_valid_code(code):
            self._record("pass.code_wrong", actor, {"via": "code"})
            raise WrongCodeError()
        try:
            token = self._platform.pass_by_short_code(code)
        except PassNotFoundError:
            self._record("pass.code_wrong", actor, {"via": "code"})
            raise WrongCodeError() from None
        return self.preview_token(token, actor=actor, via="code")

    def check_in(self, preview: PassPreview, *, actor: Actor, visit_id: str) -> Visit:
        """Admit the visitor: redeem one use and record the visit, atomically.

        ``visit_id`` is chosen by the caller once per confirmation, so a retried tap (or a
        retry after a lost answer) records one visit.

        Raises:
            PassRejectedError: ``ALREADY_USED`` (another kiosk took the last use meanwhile)
                or the pass expired while the visitor was reading the confirmation.
        """
        if self._verifier is None:
            raise PassRejectedError(PassRejection.WRONG_KEY)
        # The confirmation may have waited a while: the time window is checked again.
        try:
            verified = self._verifier.verify(preview.token, now=self._clock())
        except PassRejectedError as exc:
            self._record("pass.rejected", actor, {"reason": exc.reason.value, "via": "confirm"})
            raise
        request = CheckInRequest(
            visitor_name=verified.visitor_name,
            host_household_id=preview.household.household_id,
            visit_id=visit_id,
            pass_id=verified.pass_id,
            redeem_uses_allowed=verified.uses_allowed,
            kind="pass",
        )
        try:
            return self._platform.check_in(request, actor=actor)
        except PassAlreadyUsedError:
            raise PassRejectedError(PassRejection.ALREADY_USED) from None

    def check_out_scanned(self, text: str, *, actor: Actor) -> Visit:
        """Sign out with a slip's exit QR code.

        Raises:
            VisitNotFoundError: Not an exit code of this station.
            VisitAlreadyClosedError: Signed out already.
        """
        if not text.startswith(EXIT_TOKEN_PREFIX):
            raise VisitNotFoundError()
        visit_id = text[len(EXIT_TOKEN_PREFIX) :]
        if len(visit_id) != 36:
            raise VisitNotFoundError()
        return self._platform.check_out(visit_id, actor=actor)

    def check_out_code(self, code: str, *, actor: Actor) -> Visit:
        """Sign out with the exit code typed from the slip.

        Raises:
            WrongCodeError: The check digit fails or no visit inside has this code.
            VisitAlreadyClosedError: Signed out already.
        """
        code = normalize_code(code)
        if not is_valid_code(code):
            raise WrongCodeError()
        try:
            return self._platform.check_out_by_code(code, actor=actor)
        except VisitNotFoundError:
            raise WrongCodeError() from None
