from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from tests.unit.kiosk.services.fakes import FakeClock


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file database (WAL applies), disposed after the test."""
    database = Database.for_tests(tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def audit(db: Database, clock: FakeClock) -> AuditLog:
    return AuditLog(db, clock=clock)
