"""What screens get from the composition root: flows and UI services, never devices or DB."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.i18n import LanguageService
from kiosk.session import IdleWatcher, VisitorSession
from kiosk.voice import VoiceService
from ui.theme import Theme

if TYPE_CHECKING:
    from kiosk.flows.admin import AdminFlow
    from kiosk.flows.checkin import CheckInFlow
    from kiosk.flows.help import HelpFlow
    from kiosk.flows.invite import InviteFlow
    from kiosk.flows.notices import NoticesFlow
    from kiosk.flows.resident import ResidentFlow
    from kiosk.flows.volunteer import VolunteerFlow
    from kiosk.flows.walkin import WalkInFlow
    from ui.navigator import Navigator


@dataclass
class ScreenContext:
    settings: Settings
    session: VisitorSession
    idle: IdleWatcher
    voice: VoiceService
    language: LanguageService
    theme: Theme
    navigator: Navigator
    help: HelpFlow
    notices: NoticesFlow
    admin: AdminFlow
    volunteer: VolunteerFlow
    checkin: CheckInFlow
    walkin: WalkInFlow
    invite: InviteFlow
    resident: ResidentFlow | None = None
    #: The camera's newest frame for previews (None: no camera or not ready).
    camera_frames: Callable[[], object] | None = None
    extras: dict[str, object] = field(default_factory=dict)
