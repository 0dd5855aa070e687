from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.services.notices import NoticeService, NoticeView
from kiosk.store.db import Database
from kiosk.store.demo import seed_demo
from kiosk.store.models import Community, Notice

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _add(
    db: Database,
    title: str,
    *,
    published: timedelta,
    expires: timedelta | None = None,
    pinned: bool = False,
    community: str = "c",
) -> None:
    with db.session() as session:
        if session.get(Community, community) is None:
            session.add(Community(id=community, name=f"{community}社区"))
            session.flush()
        session.add(
            Notice(
                community_id=community,
                title=title,
                body=f"{title}的内容",
                published_at=NOW + published,
                expires_at=NOW + expires if expires is not None else None,
                pinned=pinned,
            )
        )


def _titles(views: list[NoticeView]) -> list[str]:
    return [v.title for v in views]


def test_only_published_unexpired_notices(db: Database) -> None:
    _add(db, "current", published=-HOUR)
    _add(db, "published now", published=timedelta(0))
    _add(db, "future", published=HOUR)
    _add(db, "expired", published=-3 * HOUR, expires=-HOUR)
    _add(db, "expires now", published=-3 * HOUR, expires=timedelta(0))
    _add(db, "expires later", published=-2 * HOUR, expires=HOUR)
    _add(db, "other community", published=-HOUR, community="other")
    views = NoticeService(db, "c").current(now=NOW)
    assert _titles(views) == ["published now", "current", "expires later"]


def test_pinned_first_then_newest(db: Database) -> None:
    _add(db, "old", published=-10 * HOUR)
    _add(db, "old pinned", published=-20 * HOUR, pinned=True)
    _add(db, "new", published=-HOUR)
    _add(db, "new pinned", published=-5 * HOUR, pinned=True)
    views = NoticeService(db, "c").current(now=NOW)
    assert _titles(views) == ["new pinned", "old pinned", "new", "old"]
    assert views[0].pinned is True
    assert views[0].published_at == NOW - 5 * HOUR
    assert views[0].body == "new pinned的内容"


def test_limit(db: Database) -> None:
    for i in range(15):
        _add(db, f"n{i:02d}", published=-(i + 1) * HOUR)
    service = NoticeService(db, "c")
    assert len(service.current(now=NOW)) == 10
    assert _titles(service.current(now=NOW, limit=3)) == ["n00", "n01", "n02"]
    with pytest.raises(ValueError, match="limit"):
        service.current(now=NOW, limit=0)


def test_now_may_be_given_in_any_timezone(db: Database) -> None:
    _add(db, "at eight utc", published=timedelta(0))
    beijing = timezone(timedelta(hours=8))
    service = NoticeService(db, "c")
    assert _titles(service.current(now=NOW.astimezone(beijing))) == ["at eight utc"]
    assert service.current(now=(NOW - timedelta(seconds=1)).astimezone(beijing)) == []


def test_naive_now_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="naive"):
        NoticeService(db, "c").current(now=datetime(2025, 3, 1, 8, 0))  # naive on purpose


def test_default_now_shows_the_demo_notices(db: Database) -> None:
    seed_demo(db)
    views = NoticeService(db, "demo").current()
    assert len(views) == 4
    assert views[0].title == "燃气安全检查"
    assert views[0].pinned
    assert all(isinstance(v, NoticeView) for v in views)
