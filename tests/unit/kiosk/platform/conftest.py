"""Fixtures for the platform tests: a demo-seeded store and a LocalPlatform over it.

The ``db`` fixture follows the store and service tests (SQLite file, and PostgreSQL via
``tests.helpers.postgres``), so every platform test runs on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config import AdminConfig
from kiosk.platform.local import LocalPlatform
from kiosk.security.crypto import FieldCipher
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.demo import DEMO_CARD_KEY, seed_demo
from tests.helpers.postgres import (
    database_params,
    deselect_sqlite_only,
    open_test_database,
    register_markers,
)
from tests.unit.kiosk.services.fakes import FakeClock

# Short locks keep the lockout tests fast to reason about: 5 misses → 60 s, doubling to 600 s.
LOCKOUT = AdminConfig(max_failures=5, lockout_s=60, lockout_max_s=600)

PlatformFactory = Callable[..., LocalPlatform]


def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_sqlite_only(config, items)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=database_params())
def db(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Database]:
    """A migrated database with the demo community (notices dated by ``clock``)."""
    with open_test_database(request.param, tmp_path, request.config) as database:
        seed_demo(database, community_id="demo", card_key=DEMO_CARD_KEY, now=clock.now)
        yield database


@pytest.fixture
def audit(db: Database, clock: FakeClock) -> AuditLog:
    return AuditLog(db, clock=clock)


@pytest.fixture
def cipher(tmp_path: Path) -> FieldCipher:
    return FieldCipher.from_key_dir(tmp_path / "keys")


@pytest.fixture
def make_platform(
    db: Database, audit: AuditLog, cipher: FieldCipher, clock: FakeClock
) -> PlatformFactory:
    """Build a LocalPlatform: on ``database`` (default: the ``db`` fixture) with keyword
    overrides (kiosk_id, clock, ...)."""

    def make(database: Database | None = None, **overrides: object) -> LocalPlatform:
        target = database if database is not None else db
        kwargs: dict[str, object] = {
            "audit": audit if database is None else AuditLog(target, clock=clock),
            "cipher": cipher,
            "community_id": "demo",
            "station_id": "station-01",
            "kiosk_id": "kiosk-a",
            "lockout": LOCKOUT,
            "clock": clock,
        }
        kwargs.update(overrides)
        return LocalPlatform(target, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def platform(make_platform: PlatformFactory) -> LocalPlatform:
    return make_platform()
