"""The visit's people: the identified resident, the volunteer, who acts (``actor()``), and
assisted mode's own limits (IdleWatcher with an injected clock)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.config import SessionConfig
from kiosk.platform.api import Actor, ResidentIdentity
from kiosk.session import EndReason, IdleWatcher, Mode, Resident, VisitorSession, Volunteer
from tests.helpers.fixtures import FakeClock

WANG = ResidentIdentity(
    resident_id=11, name="王秀兰", household_id=3, household_label="1栋1单元101", is_elderly=True
)
VOLUNTEER = Volunteer(volunteer_id=7, name="陈晓燕")
CFG = SessionConfig(idle_standard_s=60, idle_elderly_s=120, warning_s=25)


@pytest.fixture
def session(qtbot: QtBot) -> VisitorSession:
    return VisitorSession()


def _recorder(signal: object) -> list[object]:
    seen: list[object] = []
    signal.connect(lambda *args: seen.append(args[0] if args else None))  # type: ignore[attr-defined]
    return seen


# ---------------------------------------------------------------- resident


def test_identifying_keeps_only_the_masked_name(session: VisitorSession) -> None:
    changes = _recorder(session.resident_changed)
    resident = session.identify_resident(WANG, via="card")
    assert session.active, "identifying starts the visit"
    assert session.resident == resident
    assert resident == Resident(11, 3, "王*兰", "1栋1单元101", "card", None)
    assert changes == [resident]
    assert "王" not in repr(resident)
    assert "101" not in repr(resident)


def test_the_visit_end_forgets_the_resident_before_ended(session: VisitorSession) -> None:
    order: list[str] = []
    session.resident_changed.connect(lambda r: order.append(f"resident {r}"))
    session.ended.connect(lambda _r: order.append("ended"))
    session.identify_resident(WANG, via="qr")
    order.clear()
    session.end(EndReason.FINISHED)
    assert session.resident is None
    assert order == ["resident None", "ended"]


def test_sign_out_resident(session: VisitorSession) -> None:
    session.identify_resident(WANG, via="room")
    session.sign_out_resident()
    assert session.resident is None
    assert session.active


# ---------------------------------------------------------------- actor


def test_actor_follows_who_is_there(session: VisitorSession) -> None:
    assert session.actor() == Actor.system("kiosk")
    session.identify_resident(WANG, via="card")
    assert session.actor() == Actor.resident(11)
    session.sign_in_volunteer(VOLUNTEER)
    actor = session.actor()
    assert actor == Actor.volunteer(7, for_resident=11)
    assert (actor.volunteer_id, actor.resident_id) == (7, 11)
    session.enter_admin()
    assert session.actor() == Actor.admin()
    session.leave_admin()
    session.sign_out_volunteer()
    assert session.actor() == Actor.resident(11), "identified before the volunteer: stays"


def test_volunteer_alone_acts_for_nobody(session: VisitorSession) -> None:
    session.sign_in_volunteer(VOLUNTEER)
    assert session.actor() == Actor.volunteer(7)


def test_a_resident_identified_in_assisted_mode_leaves_with_the_volunteer(
    session: VisitorSession,
) -> None:
    session.sign_in_volunteer(VOLUNTEER)
    resident = session.identify_resident(WANG, via="room")
    assert resident.assisted_by == 7
    assert session.actor() == Actor.volunteer(7, for_resident=11)
    session.sign_out_volunteer()
    assert session.resident is None
    assert session.actor() == Actor.system("kiosk")
    assert session.mode is Mode.STANDARD
    assert session.active


def test_volunteer_changed_on_every_sign_in_and_out(session: VisitorSession) -> None:
    seen = _recorder(session.volunteer_changed)
    session.sign_in_volunteer(VOLUNTEER)
    session.sign_in_volunteer(VOLUNTEER)  # renewal
    session.sign_out_volunteer()
    session.sign_out_volunteer()  # nobody signed in: nothing happens
    session.sign_in_volunteer(VOLUNTEER)
    session.end(EndReason.IDLE)
    assert seen == [VOLUNTEER, VOLUNTEER, None, VOLUNTEER, None]


# ---------------------------------------------------------------- assisted mode's limits


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _watcher(
    session: VisitorSession,
    clock: FakeClock,
    *,
    volunteer_idle_s: float = 180.0,
    volunteer_max_s: float = 1800.0,
) -> IdleWatcher:
    return IdleWatcher(
        session,
        CFG,
        clock=clock,
        volunteer_idle_s=volunteer_idle_s,
        volunteer_max_s=volunteer_max_s,
    )


@pytest.mark.parametrize("elderly", [False, True])
def test_assisted_visits_get_the_volunteers_longer_idle_limit(
    session: VisitorSession, clock: FakeClock, elderly: bool
) -> None:
    idle = _watcher(session, clock)
    session.begin()
    session.set_elderly(elderly)
    assert idle.limit_s == (120 if elderly else 60)
    session.sign_in_volunteer(VOLUNTEER)
    assert idle.limit_s == 180
    warnings = _recorder(idle.warning)
    expired = _recorder(idle.expired)
    volunteer_warnings = _recorder(idle.volunteer_warning)
    clock.advance(150)
    idle.check()
    assert warnings == []
    assert expired == []
    clock.advance(5)
    idle.check()
    assert warnings == [25]
    clock.advance(25)
    idle.check()
    assert expired == [None]
    # One warning only: the visit's (it ends assisted mode with the visit).
    assert volunteer_warnings == []


def test_sign_in_lasts_at_most_30_minutes_however_busy(
    session: VisitorSession, clock: FakeClock
) -> None:
    idle = _watcher(session, clock)
    session.identify_resident(WANG, via="card")
    session.sign_in_volunteer(VOLUNTEER)
    warnings = _recorder(idle.volunteer_warning)
    cleared = _recorder(idle.volunteer_warning_cleared)
    ended = _recorder(idle.volunteer_expired)
    for _ in range(1800 // 30 - 1):  # someone touches the screen every 30 s
        clock.advance(30)
        idle.touch()
        idle.check()
    assert warnings == []
    assert session.volunteer is not None
    clock.advance(10)  # 1780 s: 20 s left
    idle.touch()
    idle.check()
    assert warnings == [20]
    clock.advance(10)
    idle.touch()  # a touch does not clear this warning
    idle.check()
    assert cleared == []
    assert session.volunteer is VOLUNTEER
    clock.advance(10)
    idle.check()
    assert ended == ["max"]
    assert session.volunteer is None
    assert session.active, "the visit goes on; only assisted mode ended"
    assert session.resident is not None, "identified before the volunteer signed in"
    assert session.actor() == Actor.resident(11)
    assert cleared == [None]


def test_signing_in_again_renews_the_maximum(session: VisitorSession, clock: FakeClock) -> None:
    idle = _watcher(session, clock, volunteer_max_s=600)
    session.sign_in_volunteer(VOLUNTEER)
    warnings = _recorder(idle.volunteer_warning)
    cleared = _recorder(idle.volunteer_warning_cleared)
    clock.advance(590)
    idle.touch()
    idle.check()
    assert warnings == [10]
    session.sign_in_volunteer(VOLUNTEER)  # card or code + PIN again
    assert cleared == [None]
    assert idle.volunteer_seconds_left() == 600
    clock.advance(590)
    idle.touch()
    idle.check()
    assert session.volunteer is VOLUNTEER


def test_leaving_assisted_mode_after_a_long_pause_still_warns_before_the_end(
    session: VisitorSession, clock: FakeClock
) -> None:
    """Idle 100 s in assisted mode (allowed: 180 s), then the sign-in's maximum runs out:
    the visit falls back to 60 s, which have passed, but it still warns 25 s before it ends."""
    idle = _watcher(session, clock, volunteer_max_s=600)
    session.sign_in_volunteer(VOLUNTEER)
    clock.advance(500)
    idle.touch()
    clock.advance(100)
    warnings = _recorder(idle.warning)
    expired = _recorder(idle.expired)
    idle.check()
    assert session.volunteer is None
    idle.check()
    assert expired == []
    assert warnings == [25]
    clock.advance(25)
    idle.check()
    assert expired == [None]


def test_a_volunteer_idle_limit_shorter_than_the_visits(
    session: VisitorSession, clock: FakeClock
) -> None:
    """Configured shorter than the visit's (here 90 s in 长辈模式, 120 s): the volunteer is
    signed out first, after a warning that a touch clears; the visit goes on."""
    idle = _watcher(session, clock, volunteer_idle_s=90)
    session.begin()
    session.set_elderly(True)
    session.sign_in_volunteer(VOLUNTEER)
    assert idle.limit_s == 120
    warnings = _recorder(idle.volunteer_warning)
    cleared = _recorder(idle.volunteer_warning_cleared)
    ended = _recorder(idle.volunteer_expired)
    clock.advance(65)
    idle.check()
    assert warnings == [25]
    idle.touch()
    assert cleared == [None]
    clock.advance(90)
    idle.check()
    assert ended == ["idle"]
    assert session.volunteer is None
    assert session.active
    assert session.elderly


def test_limits_must_outlast_the_warning(session: VisitorSession, clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="longer than the warning"):
        _watcher(session, clock, volunteer_idle_s=20)
