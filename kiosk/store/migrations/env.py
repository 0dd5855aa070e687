"""Alembic environment, used only through :meth:`kiosk.store.db.Database.migrate`.

The caller passes an open connection in ``config.attributes["connection"]``; a configured
``sqlalchemy.url`` is the fallback (for the ``alembic`` command line with a hand-made config).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kiosk.store.db import Database
from kiosk.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later migrations copy-and-move tables in batches.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Render SQL for ``sqlalchemy.url`` without connecting (``alembic upgrade --sql``)."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=bool(url and url.startswith("sqlite")),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url configured")
    db = Database(url)  # the SQLite pragmas and transaction handling apply here too
    try:
        with db.engine.begin() as conn:
            _configure(conn)
    finally:
        db.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
