"""Small station settings in the ``settings`` table: text values by key.

Functions take the caller's session, so a setting changes in the same transaction as the
rest of the work (and its audit entry).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kiosk.store.models import Setting

__all__ = ["delete_setting", "get_setting", "put_setting"]


def get_setting(session: Session, key: str) -> str | None:
    """The value stored under ``key``, or ``None``."""
    row = session.get(Setting, key)
    return row.value if row is not None else None


def put_setting(session: Session, key: str, value: str) -> None:
    """Store ``value`` under ``key``, replacing any earlier value."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()


def delete_setting(session: Session, key: str) -> None:
    """Remove ``key`` if present."""
    row = session.get(Setting, key)
    if row is not None:
        session.delete(row)
        session.flush()
