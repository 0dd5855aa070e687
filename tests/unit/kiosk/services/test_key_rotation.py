"""Field key rotation: every value and photo file re-encrypted, the old key retired, crashes
resumable."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiosk.config import AdminConfig
from kiosk.platform.api import Actor, CheckInRequest, HealthReading, Visit
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
    PHOTO_FILES,
    RotationError,
    key_usage,
    rotate_field_key,
)
from kiosk.store.db import Database
from kiosk.store.demo import seed_demo
from kiosk.store.models import ENCRYPTED_COLUMNS, AuditEvent, Base, Resident, VisitPhoto
from kiosk.store.photos import photo_context
from tests.unit.kiosk.services.fakes import FakeClock

PHONE = "residents.phone_enc"
PHOTOS = 3
"""Visits of :func:`_fill` with a photo (of 5)."""


def _jpeg(n: int) -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes([n]) * 600 + b"\xff\xd9"


def _photos_dir(keys: Path) -> Path:
    return keys.parent / "photos"


def _platform(
    db: Database, audit: AuditLog, clock: FakeClock, cipher: FieldCipher, photos: Path
) -> LocalPlatform:
    return LocalPlatform(
        db,
        audit=audit,
        cipher=cipher,
        community_id="demo",
        station_id="station-01",
        lockout=AdminConfig(),
        clock=clock,
        photos_dir=photos,
    )


def _fill(db: Database, audit: AuditLog, clock: FakeClock, keys: Path) -> FieldCipher:
    """Encrypted values in every encrypted column, and :data:`PHOTOS` photo files under
    :func:`_photos_dir`, under the current key in ``keys``."""
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
    platform = _platform(db, audit, clock, cipher, _photos_dir(keys))
    for i in range(5):
        visit = platform.check_in(CheckInRequest(f"访客{i}", None), actor=Actor.system())
        if i < PHOTOS:
            platform.attach_visit_photo(visit.id, _jpeg(i), actor=Actor.system())
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


def _photo_files(db: Database, photos: Path) -> dict[int, tuple[str, Path]]:
    """Photo row id → (visit id, file)."""
    with db.session(write=False) as session:
        rows = session.execute(select(VisitPhoto.id, VisitPhoto.visit_id, VisitPhoto.path))
        return {pid: (visit_id, photos / rel) for pid, visit_id, rel in rows}


def _photo_plaintexts(db: Database, cipher: FieldCipher, photos: Path) -> dict[int, bytes]:
    return {
        pid: cipher.decrypt(path.read_bytes(), context=photo_context(visit_id))
        for pid, (visit_id, path) in _photo_files(db, photos).items()
    }


def test_rotation_reencrypts_everything_and_retires_the_old_key(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    before = _plaintexts(db, old)
    photos_before = _photo_plaintexts(db, old, photos)
    assert len(photos_before) == PHOTOS
    progress: list[tuple[str, int, int]] = []
    report = rotate_field_key(
        db,
        keys,
        audit=audit,
        batch_size=2,
        progress=lambda *a: progress.append(a),
        photos_dir=photos,
    )
    assert report.retired
    assert report.remaining_old == 0
    assert report.photos_skipped == 0
    assert report.old_key_ids == (old.current_key_id,)
    assert report.reencrypted == {
        "residents.phone_enc": 20,
        "residents.id_number_enc": 7,
        "visits.visitor_name_enc": 5,
        "visits.phone_enc": 0,
        "approvals.visitor_name_enc": 0,
        "approvals.phone_enc": 0,
        "health_records.value_enc": 1,
        "visit_photos.file": PHOTOS,
    }
    # Progress per batch of 2, per table, with the table's total.
    assert ("residents", 2, 20) in progress
    assert ("residents", 20, 20) in progress
    assert ("visits", 5, 5) in progress
    assert ("health_records", 1, 1) in progress
    assert progress[-2:] == [("visit_photos", 2, 3), ("visit_photos", 3, 3)]

    assert not rotation_in_progress(keys)
    assert sorted(p.name for p in keys.iterdir()) == [FIELD_KEY_FILE]
    assert stat.S_IMODE((keys / FIELD_KEY_FILE).stat().st_mode) == 0o600
    new = FieldCipher(load_keyring(keys))
    assert new.current_key_id == report.new_key_id != old.current_key_id
    assert _plaintexts(db, new) == before
    assert _photo_plaintexts(db, new, photos) == photos_before
    assert sorted(p.name for p in photos.iterdir()) == sorted(
        path.name for _visit, path in _photo_files(db, photos).values()
    )  # the same names, no temporary files left
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in photos.iterdir())
    usage = key_usage(db, photos_dir=photos)
    assert usage[PHOTO_FILES] == {report.new_key_id: PHOTOS}
    assert all(set(counter) == {report.new_key_id} for counter in usage.values() if counter)
    with pytest.raises(UnknownKeyError):
        _plaintexts(db, old)
    with pytest.raises(UnknownKeyError):
        _photo_plaintexts(db, old, photos)
    with db.session(write=False) as session:
        (event,) = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == EVENT_KEY_ROTATED)
        ).all()
    assert json.loads(event.detail) == {
        "new_key_id": f"{report.new_key_id:#04x}",
        "old_key_ids": f"{old.current_key_id:#04x}",
        "reencrypted": 33 + PHOTOS,
        "remaining_old": 0,
        "retired": True,
    }
    assert audit.verify() is None


def test_an_interrupted_rotation_reads_everything_and_resumes(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    before = _plaintexts(db, old)
    photos_before = _photo_plaintexts(db, old, photos)
    ring = begin_rotation(keys)  # ... and the process dies before re-encrypting
    assert rotation_in_progress(keys)
    assert load_keyring(keys) == ring
    assert _plaintexts(db, FieldCipher(load_keyring(keys))) == before
    assert _photo_plaintexts(db, FieldCipher(load_keyring(keys)), photos) == photos_before
    report = rotate_field_key(db, keys, photos_dir=photos)
    assert report.new_key_id == ring.current_id  # resumed, no third key
    assert report.retired
    assert _plaintexts(db, FieldCipher(load_keyring(keys))) == before
    assert _photo_plaintexts(db, FieldCipher(load_keyring(keys)), photos) == photos_before


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

    def usage_after_a_late_write(database: Database, photos_dir: Path | None = None) -> object:
        with database.session() as session:
            session.execute(update(Resident).where(Resident.id == 1).values(phone_enc=late))
        monkeypatch.setattr(key_rotation, "key_usage", real_usage)
        return real_usage(database, photos_dir=photos_dir)

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


# ---------------------------------------------------------------------- photo files


def test_photos_attached_before_a_rotation_open_after_it(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    """Through the platform: a staff member views the photos after the old key is gone."""
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    visits = {visit_id: n for n, (visit_id, _path) in enumerate(_photo_files(db, photos).values())}
    assert key_usage(db, photos_dir=photos)[PHOTO_FILES] == {old.current_key_id: PHOTOS}

    report = rotate_field_key(db, keys, photos_dir=photos)
    assert report.retired
    assert not rotation_in_progress(keys)
    fresh = _platform(db, audit, clock, FieldCipher(load_keyring(keys)), photos)
    for visit_id, n in visits.items():
        assert fresh.visit_photo(visit_id) == _jpeg(n)
    stale = _platform(db, audit, clock, old, photos)
    assert all(stale.visit_photo(visit_id) is None for visit_id in visits)

    # A second rotation re-seals them again; nothing is lost on the way.
    again = rotate_field_key(db, keys, photos_dir=photos)
    assert again.retired
    assert again.reencrypted[PHOTO_FILES] == PHOTOS
    newest = _platform(db, audit, clock, FieldCipher(load_keyring(keys)), photos)
    for visit_id, n in visits.items():
        assert newest.visit_photo(visit_id) == _jpeg(n)


def test_without_the_photos_directory_photos_are_not_touched(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    files = {p.name: p.read_bytes() for p in photos.iterdir()}
    report = rotate_field_key(db, keys)
    assert PHOTO_FILES not in report.reencrypted
    assert PHOTO_FILES not in key_usage(db)
    assert {p.name: p.read_bytes() for p in photos.iterdir()} == files
    assert key_usage(db, photos_dir=photos)[PHOTO_FILES] == {old.current_key_id: PHOTOS}


def test_an_undecryptable_photo_stops_the_rotation_and_keeps_the_key(
    db: Database,
    audit: AuditLog,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    files = _photo_files(db, photos)
    bad_id = sorted(files)[1]
    bad_visit, bad_path = files[bad_id]
    damaged = bytearray(bad_path.read_bytes())
    damaged[-1] ^= 1
    bad_path.write_bytes(bytes(damaged))

    with pytest.raises(RotationError) as raised:
        rotate_field_key(db, keys, photos_dir=photos)
    message = str(raised.value)
    assert message.startswith(f"visit_photos.file of row {bad_id} cannot be decrypted")
    assert bad_visit not in message
    assert bad_path.name not in message
    assert bad_visit not in caplog.text
    assert rotation_in_progress(keys)  # the old key is kept ...
    ring = load_keyring(keys)
    assert ring.retiring_ids == (old.current_key_id,)
    both = FieldCipher(ring)
    good = {pid: item for pid, item in files.items() if pid != bad_id}
    for n, (pid, (visit_id, path)) in enumerate(sorted(files.items())):
        if pid == bad_id:
            assert path.read_bytes() == bytes(damaged)  # left as it was
            continue
        # ... and every other photo opens, whichever key it is on now.
        assert both.decrypt(path.read_bytes(), context=photo_context(visit_id)) == _jpeg(n)
    assert not [p for p in photos.iterdir() if p.name.startswith(".tmp-")]

    # Once the damaged photo is dealt with (here: removed), the rotation completes.
    bad_path.unlink()
    with db.session() as session:
        session.delete(session.get(VisitPhoto, bad_id))
    report = rotate_field_key(db, keys, photos_dir=photos)
    assert report.retired
    new = FieldCipher(load_keyring(keys))
    assert set(_photo_plaintexts(db, new, photos)) == set(good)


def test_a_photo_sealed_with_a_key_already_gone_is_reported(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    """What a rotation without photos left behind: a file no key of the ring opens."""
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    rotate_field_key(db, keys)  # the old behaviour: photos not re-sealed, old key deleted
    first = min(_photo_files(db, photos))
    with pytest.raises(RotationError, match=rf"of row {first} .*unknown key id"):
        rotate_field_key(db, keys, photos_dir=photos)
    assert rotation_in_progress(keys)
    assert old.current_key_id not in load_keyring(keys).retiring_ids


@pytest.mark.parametrize("step", ["write", "fsync", "rename"])
def test_a_failed_photo_write_leaves_the_old_file_readable(
    db: Database,
    audit: AuditLog,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    """The file is replaced by a rename: a failure (or a crash) before it leaves the old,
    complete file, still readable since the retiring key is kept."""
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    files = _photo_files(db, photos)
    before = {path.name: path.read_bytes() for _visit, path in files.values()}
    real_write, real_fsync, real_replace = os.write, os.fsync, os.replace
    temporaries: set[int] = set()

    def is_temporary(fd: int) -> bool:
        return os.readlink(f"/proc/self/fd/{fd}").rsplit("/", 1)[-1].startswith(".tmp-")

    def write(fd: int, data: bytes) -> int:
        if step == "write" and is_temporary(fd):
            temporaries.add(fd)
            real_write(fd, bytes(data)[: len(data) // 2])  # half of it reaches the disk
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        if step == "fsync" and is_temporary(fd):
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        if step == "rename" and Path(src).name.startswith(".tmp-"):
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match=r"No space left|Input/output error"):
        rotate_field_key(db, keys, photos_dir=photos)
    monkeypatch.undo()
    assert bool(temporaries) == (step == "write")

    assert rotation_in_progress(keys)
    assert {p.name: p.read_bytes() for p in photos.iterdir()} == before  # no temporary left
    ring = FieldCipher(load_keyring(keys))
    assert ring.ring.retiring_ids == (old.current_key_id,)
    assert _photo_plaintexts(db, ring, photos) == _photo_plaintexts(db, old, photos)

    report = rotate_field_key(db, keys, photos_dir=photos)  # run again: it completes
    assert report.retired
    assert report.reencrypted[PHOTO_FILES] == PHOTOS
    new = FieldCipher(load_keyring(keys))
    assert _photo_plaintexts(db, new, photos) == {
        pid: _jpeg(n) for n, pid in enumerate(sorted(files))
    }


def test_a_temporary_file_left_by_a_crash_does_not_block_the_next_rotation(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    _fill(db, audit, clock, keys)
    files = _photo_files(db, photos)
    _visit, path = files[min(files)]
    stale = photos / f".tmp-{path.name}"
    stale.write_bytes(path.read_bytes()[:10])  # a crash half-way through writing it
    report = rotate_field_key(db, keys, photos_dir=photos)
    assert report.retired
    assert not stale.exists()
    new = FieldCipher(load_keyring(keys))
    assert _photo_plaintexts(db, new, photos) == {
        pid: _jpeg(n) for n, pid in enumerate(sorted(files))
    }


def test_a_missing_photo_file_is_skipped_with_a_warning(
    db: Database,
    audit: AuditLog,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    files = _photo_files(db, photos)
    gone_id = min(files)
    gone_visit, gone_path = files[gone_id]
    gone_path.unlink()
    assert key_usage(db, photos_dir=photos)[PHOTO_FILES] == {old.current_key_id: PHOTOS - 1}
    with caplog.at_level(logging.WARNING, logger="kiosk.services.key_rotation"):
        report = rotate_field_key(db, keys, photos_dir=photos)
    assert report.retired
    assert report.photos_skipped == 1
    assert report.reencrypted[PHOTO_FILES] == PHOTOS - 1
    assert f"visit photo {gone_id} has no file" in caplog.text
    assert gone_visit not in caplog.text
    assert gone_path.name not in caplog.text
    assert not gone_path.exists()  # not recreated


def test_a_photo_written_with_the_old_key_during_rotation_keeps_it(
    db: Database,
    audit: AuditLog,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A kiosk left running attaches a photo with the old key after the photo pass."""
    keys = tmp_path / "keys"
    photos = _photos_dir(keys)
    old = _fill(db, audit, clock, keys)
    running = _platform(db, audit, clock, old, photos)
    late: list[Visit] = []
    real_usage = key_rotation.key_usage

    def usage_after_a_late_photo(database: Database, photos_dir: Path | None = None) -> object:
        visit = running.check_in(CheckInRequest("访客晚", None), actor=Actor.system())
        running.attach_visit_photo(visit.id, _jpeg(99), actor=Actor.system())
        late.append(visit)
        monkeypatch.setattr(key_rotation, "key_usage", real_usage)
        return real_usage(database, photos_dir=photos_dir)

    monkeypatch.setattr(key_rotation, "key_usage", usage_after_a_late_photo)
    report = rotate_field_key(db, keys, photos_dir=photos)
    assert not report.retired
    assert report.remaining_old == 2  # the photo, and its visit's name
    assert key_usage(db, photos_dir=photos)[PHOTO_FILES][old.current_key_id] == 1
    assert rotation_in_progress(keys)
    fresh = _platform(db, audit, clock, FieldCipher(load_keyring(keys)), photos)
    assert fresh.visit_photo(late[0].id) == _jpeg(99)
    again = rotate_field_key(db, keys, photos_dir=photos)
    assert again.retired
    assert again.reencrypted[PHOTO_FILES] == 1
    assert again.reencrypted["visits.visitor_name_enc"] == 1
    newest = _platform(db, audit, clock, FieldCipher(load_keyring(keys)), photos)
    assert newest.visit_photo(late[0].id) == _jpeg(99)
