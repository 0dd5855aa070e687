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
    from kiosk.security.identity_tokens import IdentitySigner, IdentityVerifier
    from kiosk.security.passes import PassSigner, PassVerifier
    from kiosk.services.admin_auth import AdminAuth
    from kiosk.services.audit import AuditLog
    from kiosk.services.help import HelpService
    from kiosk.services.notices import NoticeService
    from kiosk.services.visitors import VisitorService
    from kiosk.store.db import Database

log = logging.getLogger(__name__)

CARD_KEY_FILE = "card-hmac.key"
DEMO_SIGNING_KEY_FILE = "demo-pass-signing.pem"
DEMO_PUBLIC_KEY_FILE = "demo-pass-public.pem"


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
    visitors: VisitorService
    pass_verifier: PassVerifier | None
    #: The station's pass signer (invitations), if this station holds the signing key.
    pass_signer: PassSigner | None = None
    #: Signs resident/volunteer codes with the same key: the demo's stand-in for the
    #: platform's phone app (simulator panel, tests). ``None`` without the signing key.
    identity_signer: IdentitySigner | None = None


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
        self._identity_signer: IdentitySigner | None = None

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
        from kiosk.services.retention import PHOTOS_DIR
        from kiosk.services.visitors import VisitorService
        from kiosk.store.db import Database
        from kiosk.store.demo import seed_demo

        s = self._settings
        db = self._database or Database(s.database_url())
        db.migrate()
        card_key = self._card_key
        if self._demo:
            seed_demo(db, community_id=s.station.community_id, card_key=card_key)
        audit = AuditLog(db)
        signer, verifier, identity_verifier = self._pass_keys()
        platform = LocalPlatform(
            db,
            audit=audit,
            cipher=FieldCipher.from_key_dir(s.data_path() / "keys"),
            community_id=s.station.community_id,
            station_id=s.station.station_id,
            kiosk_id=s.station.kiosk_id or s.station.station_id,
            lockout=s.admin,
            pass_signer=signer,
            identity_verifier=identity_verifier,
            hash_key=card_key,
            photos_dir=s.data_path() / PHOTOS_DIR,
            approval_timeout_s=s.visitors.approval_timeout_s,
            max_pass_days=s.visitors.max_invitation_days,
        )
        if self._demo:
            _enroll_demo_pins(db, platform)
            _demo_deny_list(platform)
        log.info("station database open (%s)", db.engine.dialect.name)
        kiosk_id = s.station.kiosk_id or s.station.station_id
        return Services(
            database=db,
            audit=audit,
            help=HelpService(db, audit, s.station.station_id),
            notices=NoticeService(db, s.station.community_id),
            admin_auth=AdminAuth(db, s.admin, audit),
            platform=platform,
            card_key=card_key,
            visitors=VisitorService(platform, verifier, audit=audit, kiosk_id=kiosk_id),
            pass_verifier=verifier,
            pass_signer=signer,
            identity_signer=self._identity_signer,
        )

    def _pass_keys(
        self,
    ) -> tuple[PassSigner | None, PassVerifier | None, IdentityVerifier | None]:
        """The station's pass signer (if it holds the key) and the kiosk's verifiers of
        passes and of resident/volunteer codes (the platform signs both with its key).

        The verifiers trust the configured public keys, plus the signer's own public key
        (a station that signs invitations accepts them). In the demo, with no key
        configured, a demo key pair is made once in the data directory.
        """
        from pathlib import Path

        from kiosk.security.identity_tokens import IdentitySigner, IdentityVerifier
        from kiosk.security.passes import (
            PassSigner,
            PassVerifier,
            generate_keypair,
            key_id,
            load_private_key,
            load_public_keys,
        )

        s = self._settings
        keys = load_public_keys(Path(p) for p in s.security.pass_public_keys)
        signing = s.security.pass_signing_key
        if not signing and self._demo:
            key_dir = s.data_path() / "keys"
            demo_key = key_dir / DEMO_SIGNING_KEY_FILE
            if not demo_key.exists():
                generate_keypair(demo_key, key_dir / DEMO_PUBLIC_KEY_FILE)
            signing = str(demo_key)
        private = load_private_key(Path(signing)) if signing else None
        signer = PassSigner(private) if private is not None else None
        self._identity_signer = IdentitySigner(private) if private is not None else None
        if signer is not None and signer.key_id not in {key_id(k) for k in keys}:
            keys.append(signer.public_key())
        if not keys:
            log.warning("no pass public key configured: every visitor pass will be refused")
            return signer, None, None
        verifier = PassVerifier(
            keys,
            community_id=s.station.community_id,
            not_before_skew_s=s.security.pass_not_before_skew_s,
            expiry_skew_s=s.security.pass_expiry_skew_s,
        )
        identities = IdentityVerifier(keys, community_id=s.station.community_id)
        return signer, verifier, identities


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


#: The demo's deny-list entry (staff manage the real list with ``community-kiosk denylist``).
DEMO_DENIED_NAME = "赵六"
DEMO_DENIED_PHONE = "13900001111"


def _demo_deny_list(platform: LocalPlatform) -> None:
    from kiosk.platform.api import Actor

    platform.add_to_deny_list(DEMO_DENIED_NAME, DEMO_DENIED_PHONE, note="演示", actor=Actor.admin())
