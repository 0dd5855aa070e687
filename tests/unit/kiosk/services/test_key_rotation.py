"""Field key rotation: every value re-encrypted, the old key retired, crashes resumable."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiosk.config import AdminConfig
from kiosk.platform.api import Actor, CheckInRequest, HealthReading
from kiosk.platform.local import LocalPlatform
from kiosk.security.crypto import (
    FIELD_KEY_FILE,
    NEW_SUFFIX,
    RETIRING_SUFFIX,
    FieldCipher,
    UnknownKeyError,
    begin_rotation,
    key_id_of,
    load_keyring,
    rotation_in_progress,
)
from kiosk.services import key_rotation
from kiosk.services.audit import AuditLog
from kiosk.services.key_rotation import (
    EVENT_KEY_ROTATED,
    RotationError,
    key_usage,
    rotate_field_key,
)
from kiosk.store.db import Database
from kiosk.store.demo import seed_demo
from kiosk.store.models import ENCRYPTED_COLUMNS, AuditEvent, Base, Resident
from tests.unit.kiosk.services.fakes import FakeClock

PHONE = "residents.phone_enc"


def _fill(db: Database, audit: AuditLog, clock: FakeClock, keys: Path) -> FieldCipher:
    """Encrypted values in every encrypted column, under the current key in ``keys``."""
    seed_demo(db, now=clock.now)
    cipher = FieldCipher.from_key_dir(keys)
    with db.session() as session:
        for n, resident in enumerate(session.scalars(select(Resident).order_by(Resident.id))):
            resident.phone_enc = cipher.encrypt_text(f"139{n:08d}", context=PHONE)
            if n % 3 == 0:
                resident.id_number_enc = cipher.encrypt_text(
                    f"11010119900307{n:04d}", context="residents.id_number_enc"
                )
        first = session.scalars(select(Resident).order_by(Resident.id)).first()
        assert first is not None
        rid = first.id
    platform = LocalPlatform(
        db,
        audit=audit,
        cipher=cipher,
        community_id="demo",
        station_id="station-01",
        lockout=AdminConfig(),
        clock=clock,
    )
    for i in range(5):
        platform.check_in(CheckInRequest(f"访客{i}", None), actor=Actor.system())
    platform.record_consent(rid, "health_data", "v1", actor=Actor.resident(rid))
    platform.record_health(
        HealthReading(rid, "weight", "kg", {"weight": 61.5}, clock.now), actor=Actor.resident(rid)
    )
    return cipher


def _plaintexts(db: Database, cipher: FieldCipher) -> dict[tuple[str, object], bytes]:
    out: dict[tuple[str, object], bytes] = {}
    with db.session(write=False) as session:
        for spec in ENCRYPTED_COLUMNS:
            table = Base.metadata.tables[spec.table]
            rows = session.execute(select(table.c[spec.pk], table.c[spec.column])).all()
            for pk, value in rows:
                if value is not None:
                    out[(spec.context, pk)] = cipher.decrypt(value, context=spec.context)
    return out


def test_rotation_reencrypts_everything_and_retires_the_old_key(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    old = _fill(db, audit, clock, keys)
    before = _plaintexts(db, old)
    progress: list[tuple[str, int, int]] = []
    report = rotate_field_key(
        db, keys, audit=audit, batch_size=4, progress=lambda *a: progress.append(a)
    )
    assert report.retired
    assert report.remaining_old == 0
    assert report.old_key_ids == (old.current_key_id,)
    assert report.reencrypted == {
        "residents.phone_enc": 20,
        "residents.id_number_enc": 7,
        "visits.visitor_name_enc": 5,
        "visits.phone_enc": 0,
        "approvals.visitor_name_enc": 0,
        "approvals.phone_enc": 0,
        "health_records.value_enc": 1,
    }
    # Progress per batch of 4, per table, with the table's total.
    assert ("residents", 4, 20) in progress
    assert ("residents", 20, 20) in progress
    assert ("visits", 5, 5) in progress
    assert ("health_records", 1, 1) in progress

    assert not rotation_in_progress(keys)
    assert sorted(p.name for p in keys.iterdir()) == [FIELD_KEY_FILE]
    assert stat.S_IMODE((keys / FIELD_KEY_FILE).stat().st_mode) == 0o600
    new = FieldCipher(load_keyring(keys))
    assert new.current_key_id == report.new_key_id != old.current_key_id
    assert _plaintexts(db, new) == before
    usage = key_usage(db)
    assert all(set(counter) == {report.new_key_id} for counter in usage.values() if counter)
    with pytest.raises(UnknownKeyError):
        _plaintexts(db, old)
    with db.session(write=False) as session:
        (event,) = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == EVENT_KEY_ROTATED)
        ).all()
    assert json.loads(event.detail) == {
        "new_key_id": f"{report.new_key_id:#04x}",
        "old_key_ids": f"{old.current_key_id:#04x}",
        "reencrypted": 33,
        "remaining_old": 0,
        "retired": True,
    }
    assert audit.verify() is None


def test_an_interrupted_rotation_reads_everything_and_resumes(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    old = _fill(db, audit, clock, keys)
    before = _plaintexts(db, old)
    ring = begin_rotation(keys)  # ... and the process dies before re-encrypting
    assert rotation_in_progress(keys)
    assert load_keyring(keys) == ring
    assert _plaintexts(db, FieldCipher(load_keyring(keys))) == before
    report = rotate_field_key(db, keys)
    assert report.new_key_id == ring.current_id  # resumed, no third key
    assert report.retired
    assert _plaintexts(db, FieldCipher(load_keyring(keys))) == before


def test_a_crash_between_the_file_steps_is_completed(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    current = load_keyring(keys).current
    pending = bytes(32) if key_id_of(bytes(32)) != key_id_of(current) else bytes([1] * 32)
    # The state after "write .new" and "copy current to .retiring", before the rename.
    for suffix, key in ((NEW_SUFFIX, pending), (RETIRING_SUFFIX, current)):
        path = keys / (FIELD_KEY_FILE + suffix)
        path.write_bytes(key)
        path.chmod(0o600)
    assert load_keyring(keys).retiring == ()  # retiring == current: one key to read with
    ring = begin_rotation(keys)
    assert ring.current == pending
    assert ring.retiring == (current,)
    assert (keys / FIELD_KEY_FILE).read_bytes() == pending
    assert not (keys / (FIELD_KEY_FILE + NEW_SUFFIX)).exists()


def test_values_written_with_the_old_key_during_rotation_keep_it(
    db: Database,
    audit: AuditLog,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A kiosk left running writes with the old key after its table was re-encrypted."""
    keys = tmp_path / "keys"
    old = _fill(db, audit, clock, keys)
    late = old.encrypt_text("13900000000", context=PHONE)
    real_usage = key_rotation.key_usage

    def usage_after_a_late_write(database: Database) -> object:
        with database.session() as session:
            session.execute(update(Resident).where(Resident.id == 1).values(phone_enc=late))
        monkeypatch.setattr(key_rotation, "key_usage", real_usage)
        return real_usage(database)

    monkeypatch.setattr(key_rotation, "key_usage", usage_after_a_late_write)
    report = rotate_field_key(db, keys)
    assert not report.retired
    assert report.remaining_old == 1
    assert rotation_in_progress(keys)
    assert report.old_key_ids == (old.current_key_id,)
    assert FieldCipher(load_keyring(keys)).decrypt_text(late, context=PHONE) == "13900000000"
    again = rotate_field_key(db, keys)
    assert again.retired
    assert again.new_key_id == report.new_key_id
    assert again.reencrypted["residents.phone_enc"] == 1


def test_an_undecryptable_value_stops_the_rotation_and_keeps_the_key(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    old = _fill(db, audit, clock, keys)
    with db.session() as session:
        good = session.scalar(select(Resident.phone_enc).where(Resident.id == 2))
        assert good is not None
        session.execute(
            update(Resident)
            .where(Resident.id == 2)
            .values(phone_enc=good[:-1] + bytes([good[-1] ^ 1]))
        )
    with pytest.raises(RotationError, match=r"residents.phone_enc of row 2"):
        rotate_field_key(db, keys)
    assert rotation_in_progress(keys)
    with db.session(write=False) as session:
        phones = session.scalars(select(Resident.phone_enc).where(Resident.id != 2)).all()
    assert {FieldCipher.key_id_of_value(p) for p in phones if p is not None} == {old.current_key_id}
