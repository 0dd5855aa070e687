from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.db import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file database (WAL applies), disposed after the test."""
    database = Database.for_tests(tmp_path)
    yield database
    database.dispose()
