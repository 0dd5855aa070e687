"""``community-kiosk denylist add | remove | list`` against the station database, with the
station's card key as the hash key (the key the kiosk itself uses). SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import stat

from sqlalchemy import select

from kiosk.backend import CARD_KEY_FILE
from kiosk.cli import denylist as denylist_cli
from kiosk.config import Settings
from kiosk.platform.api import Actor, WalkInRequest
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.demo import seed_demo
from kiosk.store.models import AuditEvent, DenyListRow


def _run(argv: list[str], settings: Settings) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = denylist_cli.main(argv, settings=settings, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_add_list_remove(db: Database, settings: Settings) -> None:
    code, out, err = _run(
        ["add", "--name", "张三明", "--phone", "13812345678", "--note", "曾闹事"], settings
    )
    assert (code, err) == (0, "")
    assert out.startswith("entry ")
    assert "张*明 138****5678" in out
    assert "张三明" not in out
    entry_id = int(out.split()[1].rstrip(":"))
    assert _run(["add", "--name", "李四"], settings)[0] == 0

    code, out, _ = _run(["list"], settings)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 active entries"
    assert lines[1].startswith(f"{entry_id}\t张*明\t138****5678\t")
    assert lines[1].endswith("\t曾闹事")
    assert "\t李*\t-\t" in lines[2]

    assert _run(["remove", str(entry_id)], settings)[:2] == (0, f"entry {entry_id} removed\n")
    assert _run(["list"], settings)[1].splitlines()[0] == "1 active entries"
    code, _out, err = _run(["remove", "9999"], settings)
    assert (code, err) == (1, "error: no deny-list entry 9999\n")

    with db.session(write=False) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type.like("deny_list.%"))
        ).all()
        hashes = session.scalars(select(DenyListRow.name_hash)).all()
    assert [(e.event_type, e.actor_kind) for e in events] == [
        ("deny_list.added", "admin"),
        ("deny_list.added", "admin"),
        ("deny_list.removed", "admin"),
    ]
    assert all("张三明" not in e.detail and "13812345678" not in e.detail for e in events)
    assert json.loads(events[2].detail) == {"entry_id": entry_id}
    assert len(hashes) == 2


def test_the_kiosk_recognises_what_the_command_added(db: Database, settings: Settings) -> None:
    """Same card key file, same hashes: a walk-in with the listed phone is referred."""
    seed_demo(db, community_id=settings.station.community_id)
    assert _run(["add", "--name", "王五", "--phone", "+86 139 0000 1111"], settings)[0] == 0
    key_file = settings.data_path() / "keys" / CARD_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # created by the command
    platform = denylist_cli.build_platform(settings, db)
    home = platform.household_by_code("1-1-101")
    ticket = platform.request_host_approval(
        WalkInRequest(home.household_id, "王 五", "friend", "13900001111"),
        actor=Actor.system(),
    )
    assert ticket.state == "referred"
    assert AuditLog(db).verify() is None


def test_usage_errors(settings: Settings) -> None:
    for argv in ([], ["add"], ["add", "--name"], ["remove"], ["remove", "x"], ["remove", "0"]):
        assert _run(argv, settings)[0] == 2
    code, _out, err = _run(["add", "--name", "张三", "--phone", "call me"], settings)
    assert code == 2
    assert "call me" not in err
    assert err.startswith("error: ")
