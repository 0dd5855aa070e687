"""The station's store and services, opened off the GUI thread.

Opening means importing SQLAlchemy and Alembic, migrating and (in the demo) seeding: a
quarter of a second or more that has no business delaying the first frame. The window is
built without it; ``open()`` runs on a worker after the first frame, and every flow reaches
the services through ``services()`` from its worker jobs, which waits for (or does) the
opening. Nothing on the GUI thread ever waits for it.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.platform.local import LocalPlatform
    from kiosk.services.admin_auth import AdminAuth
    from kiosk.services.audit import AuditLog
    from kiosk.services.help import HelpService
    from kiosk.services.notices import NoticeService
    from kiosk.store.db import Database

log = logging.getLogger(__name__)

CARD_KEY_FILE = "card-hmac.key"


@dataclass(frozen=True)
class Services:
    """Everything the flows reach in the store."""

    database: Database
    audit: AuditLog
    help: HelpService
    notices: NoticeService
    admin_auth: AdminAuth
    platform: LocalPlatform
    card_key: bytes


class BackendError(RuntimeError):
    """The store could not be opened; the cause is chained."""


class Backend:
    """Opens the store once, on whichever thread asks first; thread-safe."""

    def __init__(
        self,
        settings: Settings,
        *,
        card_key: bytes,
        database: Database | None = None,
        demo: bool = False,
    ) -> None:
        self._settings = settings
        self._card_key = card_key
        self._database = database
        self._demo = demo
        self._lock = threading.Lock()
        self._services: Services | None = None

    @property
    def is_open(self) -> bool:
        return self._services is not None

    def services(self) -> Services:
        """The services, opening the store first if needed. Blocks: worker threads only."""
        services = self._services
        return services if services is not None else self.open()

    def open(self) -> Services:
        with self._lock:
            if self._services is not None:
                return self._services
            try:
                self._services = self._open()
            except Exception as exc:
                log.error("the station database could not be opened: %s", type(exc).__name__)
                raise BackendError("the station database could not be opened") from exc
            return self._services

    def close(self) -> None:
        with self._lock:
            if self._services is not None:
                self._services.database.dispose()
                self._services = None

    def _open(self) -> Services:
        # Imported here, not at module level: this is what keeps them off the start-up path.
        from kiosk.platform.local import LocalPlatform
        from kiosk.security.crypto import FieldCipher
        from kiosk.services.admin_auth import AdminAuth
        from kiosk.services.audit import AuditLog
        from kiosk.services.help import HelpService
        from kiosk.services.notices import NoticeService
        from kiosk.store.db import Database
        from kiosk.store.demo import seed_demo

        s = self._settings
        db = self._database or Database(s.database_url())
        db.migrate()
        card_key = self._card_key
        if self._demo:
            seed_demo(db, community_id=s.station.community_id, card_key=card_key)
        audit = AuditLog(db)
        platform = LocalPlatform(
            db,
            audit=audit,
            cipher=FieldCipher.from_key_dir(s.data_path() / "keys"),
            community_id=s.station.community_id,
            station_id=s.station.station_id,
            kiosk_id=s.station.kiosk_id or s.station.station_id,
            lockout=s.admin,
        )
        if self._demo:
            _enroll_demo_pins(db, platform)
        log.info("station database open (%s)", db.engine.dialect.name)
        return Services(
            database=db,
            audit=audit,
            help=HelpService(db, audit, s.station.station_id),
            notices=NoticeService(db, s.station.community_id),
            admin_auth=AdminAuth(db, s.admin, audit),
            platform=platform,
            card_key=card_key,
        )


#: Every demo volunteer's PIN (demo data only; a real station enrols PINs per volunteer).
DEMO_VOLUNTEER_PIN = "482916"


def _enroll_demo_pins(db: Database, platform: LocalPlatform) -> None:
    from sqlalchemy import select

    from kiosk.platform.api import Actor
    from kiosk.store.models import Volunteer

    with db.session(write=False) as session:
        missing = list(session.scalars(select(Volunteer.id).where(Volunteer.pin_hash.is_(None))))
    for volunteer_id in missing:
        platform.enroll_volunteer_pin(volunteer_id, DEMO_VOLUNTEER_PIN, actor=Actor.admin())
