"""The maintenance commands: ``audit verify``, ``purge``, ``keys`` (kiosk.cli)."""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import audit as audit_cli
from kiosk.cli import keys as keys_cli
from kiosk.cli import purge as purge_cli
from kiosk.config import AdminConfig, Settings, load_settings
from kiosk.platform.api import Actor
from kiosk.platform.local import LocalPlatform
from kiosk.security.crypto import FIELD_KEY_FILE, FieldCipher, load_keyring
from kiosk.services.audit import AuditLog
from kiosk.services.retention import PHOTOS_DIR
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, Visit, VisitPhoto
from kiosk.store.types import utc_now
from tests.unit.kiosk.services.fakes import FakeClock

ENTRIES = 12


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    return load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp_path / "data"),
            "store.url": db.url.render_as_string(hide_password=False),
        },
    )


def _run(main: object, argv: list[str], settings: Settings | None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, settings=settings, out=out, err=err)  # type: ignore[operator]
    return code, out.getvalue(), err.getvalue()


def _fill(audit: AuditLog, clock: FakeClock) -> None:
    for i in range(ENTRIES):
        clock.advance(1)
        audit.append("test.event", actor_kind="system", detail={"i": i})


def _tamper(db: Database, *statements: str) -> None:
    """Run statements against the audit table with its append-only triggers dropped."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER trg_audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER trg_audit_events_no_delete")
        else:
            conn.exec_driver_sql("DROP TRIGGER trg_audit_events_no_update_delete ON audit_events")
        for statement in statements:
            conn.exec_driver_sql(statement)


# ---------------------------------------------------------------------- audit


def test_audit_verify_reports_an_intact_chain(
    db: Database, audit: AuditLog, clock: FakeClock, settings: Settings
) -> None:
    _fill(audit, clock)
    code, out, _ = _run(audit_cli.main, ["verify"], settings)
    assert code == 0
    assert out == f"ok, {ENTRIES} rows, head {audit.head()}\n"
    code, out, _ = _run(audit_cli.main, ["verify", "--known-head", audit.head().upper()], settings)
    assert code == 0
    code, out, _ = _run(audit_cli.main, ["head"], settings)
    assert (code, out) == (0, f"head {audit.head()}, {ENTRIES} rows\n")


@pytest.mark.parametrize(
    ("statements", "bad_seq"),
    [
        pytest.param(
            ["UPDATE audit_events SET detail = '{\"i\":999}' WHERE seq = 5"], 5, id="edit"
        ),
        pytest.param(
            ["UPDATE audit_events SET actor_kind = 'admin' WHERE seq = 1"], 1, id="edit-first"
        ),
        pytest.param(["DELETE FROM audit_events WHERE seq = 7"], 7, id="delete"),
        pytest.param(
            [
                "UPDATE audit_events SET seq = -1 WHERE seq = 8",
                "UPDATE audit_events SET seq = 8 WHERE seq = 9",
                "UPDATE audit_events SET seq = 9 WHERE seq = -1",
            ],
            8,
            id="reorder",
        ),
    ],
)
def test_audit_verify_finds_the_first_bad_entry(
    db: Database,
    audit: AuditLog,
    clock: FakeClock,
    settings: Settings,
    statements: list[str],
    bad_seq: int,
) -> None:
    _fill(audit, clock)
    _tamper(db, *statements)
    code, out, _ = _run(audit_cli.main, ["verify"], settings)
    assert (code, out) == (1, f"broken at seq {bad_seq}\n")


def test_audit_verify_detects_truncation_with_a_known_head(
    db: Database, audit: AuditLog, clock: FakeClock, settings: Settings
) -> None:
    _fill(audit, clock)
    head = audit.head()
    _tamper(db, f"DELETE FROM audit_events WHERE seq > {ENTRIES - 3}")
    code, out, _ = _run(audit_cli.main, ["verify"], settings)
    assert code == 0  # a shorter chain is still a valid chain...
    code, out, _ = _run(audit_cli.main, ["verify", "--known-head", head], settings)
    assert code == 1  # ...which never reaches the head reported earlier
    assert out.startswith(f"broken at seq {ENTRIES - 2}: ")
    assert head in out


def test_audit_usage_and_config_errors(settings: Settings, tmp_path: Path) -> None:
    code, _, _ = _run(audit_cli.main, ["verify", "--known-head", "abc"], settings)
    assert code == 2
    code, _, _ = _run(audit_cli.main, [], settings)
    assert code == 2
    code, _, err = _run(audit_cli.main, ["verify", "--config", str(tmp_path / "nope.toml")], None)
    assert code == 2
    assert "nope.toml" in err


def test_config_file_is_honoured(db: Database, tmp_path: Path, audit: AuditLog) -> None:
    audit.append("x", actor_kind="system")
    config = tmp_path / "kiosk.toml"
    url = db.url.render_as_string(hide_password=False)
    config.write_text(
        f'[store]\nurl = "{url}"\n[paths]\ndata_dir = "{tmp_path}"\n', encoding="utf-8"
    )
    code, out, _ = _run(audit_cli.main, ["verify", "--config", str(config)], None)
    assert (code, out) == (0, f"ok, 1 rows, head {audit.head()}\n")


# ---------------------------------------------------------------------- purge


def _old_visits(db: Database, clock: FakeClock, ages: range) -> None:
    with db.session() as session:
        for age in ages:
            session.add(
                Visit(
                    id=str(uuid.uuid4()),
                    station_id="s",
                    kiosk_id="k",
                    visitor_name_enc=b"\x00" * 40,
                    checked_in_at=clock.now - timedelta(days=age),
                )
            )


def test_purge_dry_run_then_purge(
    db: Database, clock: FakeClock, settings: Settings, audit: AuditLog
) -> None:
    clock.now = utc_now()  # the command uses the real clock; ages stay clear of the cut-off
    _old_visits(db, clock, range(5, 400, 10))
    code, out, _ = _run(purge_cli.main, ["--dry-run"], settings)
    assert code == 0
    assert "would delete (dry run, nothing changed):" in out
    assert "  visits: 22\n" in out  # 185, 195, …, 395
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 40
    code, out, _ = _run(purge_cli.main, ["--visit-days", "30"], settings)
    assert code == 0
    assert "deleted:\n" in out
    assert "  visits: 37\n" in out
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 3
        details = [
            json.loads(d)
            for d in session.scalars(
                select(AuditEvent.detail).where(AuditEvent.event_type == "retention.purged")
            )
        ]
    assert details == [
        {
            "visits": 37,
            "visit_photos": 0,
            "photo_files": 0,
            "health_records": 0,
            "outbox_events": 0,
            "approvals": 0,
            "issued_passes": 0,
            "host_notifications": 0,
            "visit_days": 30,
            "photo_days": 30,
        }
    ]
    assert audit.verify() is None
    for bad in (["--visit-days", "0"], ["--photo-days", "x"]):
        assert _run(purge_cli.main, bad, settings)[0] == 2


# ---------------------------------------------------------------------- keys


def test_keys_status_and_rotate(db: Database, settings: Settings) -> None:
    keys = settings.data_path() / "keys"
    cipher = FieldCipher.from_key_dir(keys)
    with db.session() as session:
        for _ in range(3):
            session.add(
                Visit(
                    id=str(uuid.uuid4()),
                    station_id="s",
                    kiosk_id="k",
                    visitor_name_enc=cipher.encrypt_text("访客", context="visits.visitor_name_enc"),
                    checked_in_at=utc_now(),
                )
            )
    old_id = f"{cipher.current_key_id:#04x}"
    code, out, _ = _run(keys_cli.main, ["status"], settings)
    assert code == 0
    assert f"current key {old_id}; retiring: none\n" in out
    assert f"  visits.visitor_name_enc: {old_id}: 3\n" in out
    assert "  residents.phone_enc: no values\n" in out

    code, out, _ = _run(keys_cli.main, ["rotate", "--batch", "2"], settings)
    assert code == 0, out
    new_id = f"{load_keyring(keys).current_id:#04x}"
    assert "  visits: 2/3\n" in out
    assert "  visits: 3/3\n" in out
    assert f"new key {new_id}; re-encrypted 3 values\n" in out
    assert f"old key {old_id} retired\n" in out
    assert [p.name for p in keys.iterdir()] == [FIELD_KEY_FILE]
    code, out, _ = _run(keys_cli.main, ["status"], settings)
    assert f"  visits.visitor_name_enc: {new_id}: 3\n" in out
    assert _run(keys_cli.main, ["rotate", "--batch", "0"], settings)[0] == 2
    assert _run(keys_cli.main, ["spin"], settings)[0] == 2


def _photo_platform(db: Database, settings: Settings, cipher: FieldCipher) -> LocalPlatform:
    return LocalPlatform(
        db,
        audit=AuditLog(db),
        cipher=cipher,
        community_id="demo",
        station_id="s",
        lockout=AdminConfig(),
        photos_dir=settings.data_path() / PHOTOS_DIR,
    )


def test_keys_rotate_reseals_the_visitor_photos(db: Database, settings: Settings) -> None:
    keys = settings.data_path() / "keys"
    cipher = FieldCipher.from_key_dir(keys)
    jpegs: dict[str, bytes] = {}
    with db.session() as session:
        for n in range(2):
            visit_id = str(uuid.uuid4())
            session.add(
                Visit(
                    id=visit_id,
                    station_id="s",
                    kiosk_id="k",
                    visitor_name_enc=cipher.encrypt_text("访客", context="visits.visitor_name_enc"),
                    checked_in_at=utc_now(),
                )
            )
            jpegs[visit_id] = b"\xff\xd8\xff\xe0" + bytes([n]) * 300 + b"\xff\xd9"
    before = _photo_platform(db, settings, cipher)
    for visit_id, jpeg in jpegs.items():
        before.attach_visit_photo(visit_id, jpeg, actor=Actor.system())
    old_id = f"{cipher.current_key_id:#04x}"
    code, out, _ = _run(keys_cli.main, ["status"], settings)
    assert code == 0
    assert f"  visit_photos.file: {old_id}: 2\n" in out

    code, out, err = _run(keys_cli.main, ["rotate"], settings)
    assert code == 0, out + err
    new_id = f"{load_keyring(keys).current_id:#04x}"
    assert "  visit_photos: 2/2\n" in out
    assert f"new key {new_id}; re-encrypted 2 values\n" in out
    assert "re-sealed 2 photo files\n" in out
    assert f"old key {old_id} retired\n" in out
    after = _photo_platform(db, settings, FieldCipher(load_keyring(keys)))
    for visit_id, jpeg in jpegs.items():
        assert after.visit_photo(visit_id) == jpeg
    code, out, _ = _run(keys_cli.main, ["status"], settings)
    assert f"  visit_photos.file: {new_id}: 2\n" in out


def test_keys_rotate_keeps_the_old_key_for_a_photo_it_cannot_open(
    db: Database, settings: Settings
) -> None:
    keys = settings.data_path() / "keys"
    cipher = FieldCipher.from_key_dir(keys)
    visit_id = str(uuid.uuid4())
    with db.session() as session:
        session.add(
            Visit(
                id=visit_id,
                station_id="s",
                kiosk_id="k",
                visitor_name_enc=cipher.encrypt_text("访客", context="visits.visitor_name_enc"),
                checked_in_at=utc_now(),
            )
        )
    _photo_platform(db, settings, cipher).attach_visit_photo(
        visit_id, b"\xff\xd8\xff\xe0" + b"\x00" * 100, actor=Actor.system()
    )
    (stored,) = (settings.data_path() / PHOTOS_DIR).iterdir()
    sealed = stored.read_bytes()
    stored.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))
    with db.session(write=False) as session:
        photo_id = session.scalar(select(VisitPhoto.id))
    code, out, err = _run(keys_cli.main, ["rotate"], settings)
    assert code == 1
    assert f"error: visit_photos.file of row {photo_id} cannot be decrypted" in err
    assert "the old key is kept" in err
    assert visit_id not in err + out
    assert (keys / f"{FIELD_KEY_FILE}.retiring").exists()
    code, out, _ = _run(keys_cli.main, ["status"], settings)
    assert f"retiring: {cipher.current_key_id:#04x}\n" in out
