from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.db import Database
from tests.helpers.postgres import (
    database_params,
    deselect_sqlite_only,
    open_test_database,
    register_markers,
)


def pytest_configure(config: pytest.Config) -> None:
    register_markers(config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_sqlite_only(config, items)


@pytest.fixture(params=database_params())
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database, disposed after the test: a SQLite file (WAL applies) and a fresh
    database on the session's PostgreSQL server (``tests.helpers.postgres``)."""
    with open_test_database(request.param, tmp_path, request.config) as database:
        yield database
