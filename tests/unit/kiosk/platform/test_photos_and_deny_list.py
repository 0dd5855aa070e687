"""Visitor photos (sealed files written durably, staff read them back) and the deny list's
management by staff (hashed, masked, soft-removed, audited by id). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.platform import local as local_module
from kiosk.platform.api import (
    Actor,
    CheckInRequest,
    InvalidRequestError,
    NotFoundError,
    NotSupportedError,
    PermissionDeniedError,
    PlatformUnavailableError,
    Visit,
    VisitNotFoundError,
    new_id,
)
from kiosk.platform.local import MAX_PHOTO_BYTES, LocalPlatform
from kiosk.security.crypto import FieldCipher
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, DenyListRow, VisitPhoto
from kiosk.store.photos import photo_context, resolve_photo, write_durably
from tests.unit.kiosk.platform.conftest import PlatformFactory

KIOSK = Actor.system("kiosk")
HASH_KEY = b"\x07" * 32
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8 + b"\xff\xd9"


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    return tmp_path / "data" / "photos"


@pytest.fixture
def platform(make_platform: PlatformFactory, photos: Path) -> LocalPlatform:
    return make_platform(photos_dir=photos, hash_key=HASH_KEY)


@pytest.fixture
def visit(platform: LocalPlatform) -> Visit:
    home = platform.household_by_code("1-1-101")
    return platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)


def _details(db: Database, event_type: str) -> list[dict[str, object]]:
    with db.session(write=False) as session:
        rows = session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.event_type == event_type)
            .order_by(AuditEvent.seq)
        )
        return [json.loads(d) for d in rows]


# ---------------------------------------------------------------------- photos


def test_a_photo_is_kept_sealed_and_read_back(
    platform: LocalPlatform, db: Database, visit: Visit, photos: Path
) -> None:
    assert platform.visit_photo(visit.id) is None
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    assert platform.visit_photo(visit.id) == JPEG
    (stored,) = list(photos.iterdir())
    assert not stored.name.startswith(".tmp")
    assert visit.id not in stored.name  # a random name
    content = stored.read_bytes()
    assert JPEG[4:64] not in content  # sealed, not the JPEG itself
    assert stored.stat().st_mode & 0o077 == 0
    with db.session(write=False) as session:
        (row,) = session.scalars(select(VisitPhoto)).all()
    assert (row.visit_id, row.path) == (visit.id, stored.name)
    assert _details(db, "visit.photo_attached") == [{"visit_id": visit.id, "photo_id": row.id}]
    assert _details(db, "visit.photo_viewed") == [{"visit_id": visit.id, "photo_id": row.id}]


def test_a_photo_is_on_disk_before_its_row_is_committed(
    platform: LocalPlatform, visit: Visit, photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A power cut right after the commit must not leave a row naming a lost file: the
    file's data is synced, then it is renamed into place, then the directory is synced."""
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append("fsync dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync file")
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        steps.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    real_tx = platform._tx

    def tx(*, write: bool = True) -> object:
        if write:
            steps.append("row transaction")
        return real_tx(write=write)

    monkeypatch.setattr(platform, "_tx", tx)
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    assert steps[-4:] == ["fsync file", "rename", "fsync dir", "row transaction"]


def test_the_newest_photo_is_shown(platform: LocalPlatform, visit: Visit) -> None:
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    newer = JPEG[:-2] + b"\x00\xff\xd9"
    platform.attach_visit_photo(visit.id, newer, actor=KIOSK)
    assert platform.visit_photo(visit.id) == newer


def test_a_photo_file_moved_to_another_visit_does_not_open(
    platform: LocalPlatform, db: Database, visit: Visit, photos: Path
) -> None:
    home = platform.household_by_code("1-1-101")
    other = platform.check_in(CheckInRequest("访客乙", home.household_id), actor=KIOSK)
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    platform.attach_visit_photo(other.id, JPEG[:-2] + b"\x01\xff\xd9", actor=KIOSK)
    with db.session() as session:
        rows = {r.visit_id: r for r in session.scalars(select(VisitPhoto))}
        rows[visit.id].path, rows[other.id].path = rows[other.id].path, rows[visit.id].path
    assert platform.visit_photo(visit.id) is None
    assert platform.visit_photo(other.id) is None


def test_a_missing_file_reads_as_no_photo(
    platform: LocalPlatform, visit: Visit, photos: Path
) -> None:
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    for path in photos.iterdir():
        path.unlink()
    assert platform.visit_photo(visit.id) is None


def test_bad_photos_and_unknown_visits_are_refused(
    platform: LocalPlatform, db: Database, visit: Visit, photos: Path
) -> None:
    for bad in (b"", b"GIF89a" + JPEG, b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES, "text"):
        with pytest.raises(InvalidRequestError):
            platform.attach_visit_photo(visit.id, bad, actor=KIOSK)  # type: ignore[arg-type]
    with pytest.raises(VisitNotFoundError):
        platform.attach_visit_photo(new_id(), JPEG, actor=KIOSK)
    with pytest.raises(VisitNotFoundError):
        platform.visit_photo(new_id())
    with pytest.raises(PermissionDeniedError):
        platform.attach_visit_photo(visit.id, JPEG, actor=Actor.volunteer(999_999))
    assert not photos.exists() or list(photos.iterdir()) == []
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(VisitPhoto)) == 0


def test_a_failed_commit_leaves_no_file(
    platform: LocalPlatform,
    visit: Visit,
    photos: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = platform._record

    def failing(session: object, event_type: str, *args: object) -> None:
        if event_type == "visit.photo_attached":
            raise RuntimeError("injected: the audit entry fails")
        real(session, event_type, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(platform, "_record", failing)
    with pytest.raises(RuntimeError):
        platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    assert list(photos.iterdir()) == []


def test_a_disk_that_cannot_write_is_reported_plainly(
    platform: LocalPlatform, visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(PlatformUnavailableError):
        platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    monkeypatch.undo()
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)  # works once there is room
    assert platform.visit_photo(visit.id) == JPEG


def test_a_photo_file_is_sealed_under_its_visits_context(
    platform: LocalPlatform, visit: Visit, photos: Path, cipher: FieldCipher
) -> None:
    """The helpers the key rotation shares with the platform (kiosk.store.photos)."""
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    (stored,) = list(photos.iterdir())
    assert photo_context(visit.id) == f"visit_photos.file:{visit.id}"
    assert cipher.decrypt(stored.read_bytes(), context=photo_context(visit.id)) == JPEG
    assert resolve_photo(photos, stored.name) == stored.resolve()
    for outside in ("../x.jpg.enc", "/etc/passwd", "", "."):
        assert resolve_photo(photos, outside) is None


def test_write_durably_replaces_a_file_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "photos"
    path = write_durably(directory, "a.jpg.enc", b"old" * 100)
    assert path == directory / "a.jpg.enc"
    assert path.stat().st_mode & 0o077 == 0
    real_write = os.write

    def half_then_fail(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        write_durably(directory, "a.jpg.enc", b"new" * 100)
    monkeypatch.undo()
    assert [p.name for p in directory.iterdir()] == ["a.jpg.enc"]  # no temporary file left
    assert path.read_bytes() == b"old" * 100

    # A temporary file left by a crash blocks a write of that name, unless told to clear it.
    (directory / ".tmp-a.jpg.enc").write_bytes(b"half")
    with pytest.raises(FileExistsError):
        write_durably(directory, "a.jpg.enc", b"new" * 100)
    write_durably(directory, "a.jpg.enc", b"new" * 100, clear_stale=True)
    assert [p.name for p in directory.iterdir()] == ["a.jpg.enc"]
    assert path.read_bytes() == b"new" * 100


def test_without_a_photos_directory_photos_are_not_offered(
    make_platform: PlatformFactory, visit: Visit
) -> None:
    plain = make_platform()
    with pytest.raises(NotSupportedError):
        plain.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    with pytest.raises(NotSupportedError):
        plain.visit_photo(visit.id)


# ---------------------------------------------------------------------- deny list management


def test_staff_add_list_and_remove_entries(platform: LocalPlatform, db: Database) -> None:
    admin = Actor.admin()
    first = platform.add_to_deny_list("张三明", "138 1234 5678", note="  打人  ", actor=admin)
    assert (first.masked_name, first.masked_phone, first.note) == ("张*明", "138****5678", "打人")
    second = platform.add_to_deny_list("Li Ming", None, note="", actor=Actor.system())
    assert (second.masked_name, second.masked_phone) == ("L* M***", None)
    # The same person again: the existing entry, nothing new.
    again = platform.add_to_deny_list("张三明", "13812345678", note="again", actor=admin)
    assert again.entry_id == first.entry_id
    assert [e.entry_id for e in platform.deny_list()] == [first.entry_id, second.entry_id]
    assert "张三明" not in repr(first)

    platform.remove_from_deny_list(first.entry_id, actor=admin)
    platform.remove_from_deny_list(first.entry_id, actor=admin)  # already removed: no change
    assert [e.entry_id for e in platform.deny_list()] == [second.entry_id]
    with pytest.raises(NotFoundError):
        platform.remove_from_deny_list(999_999, actor=admin)

    assert _details(db, "deny_list.added") == [
        {"entry_id": first.entry_id, "with_phone": True},
        {"entry_id": second.entry_id, "with_phone": False},
    ]
    assert _details(db, "deny_list.removed") == [{"entry_id": first.entry_id}]
    with db.session(write=False) as session:
        rows = session.scalars(select(DenyListRow).order_by(DenyListRow.id)).all()
        assert len(rows) == 2  # removal keeps the row
        assert rows[0].removed_at is not None
        stored = " ".join(f"{r.name_hash} {r.phone_hash} {r.masked_name}" for r in rows)
    for clear in ("张三明", "13812345678", "Li Ming"):
        assert clear not in stored


def test_only_staff_manage_the_deny_list(platform: LocalPlatform, db: Database) -> None:
    entry = platform.add_to_deny_list("张三明", None, note="", actor=Actor.admin())
    for actor in (Actor.volunteer(1), Actor.resident(1)):
        with pytest.raises(PermissionDeniedError):
            platform.add_to_deny_list("李四", None, note="", actor=actor)
        with pytest.raises(PermissionDeniedError):
            platform.remove_from_deny_list(entry.entry_id, actor=actor)
    assert len(platform.deny_list()) == 1


def test_bad_deny_list_input_is_refused_without_echoing_it(platform: LocalPlatform) -> None:
    admin = Actor.admin()
    for name, phone, note in (
        ("", None, ""),
        ("张三", "138-PHONE-5678", ""),
        ("张三", "12", ""),
        ("张三", None, "x" * 201),
        ("张三", None, "line\x00break"),
    ):
        with pytest.raises(InvalidRequestError) as info:
            platform.add_to_deny_list(name, phone, note=note, actor=admin)
        assert phone is None or phone not in str(info.value)
    assert platform.deny_list() == []


def test_without_a_hash_key_the_deny_list_is_not_offered(make_platform: PlatformFactory) -> None:
    plain = make_platform()
    with pytest.raises(NotSupportedError):
        plain.add_to_deny_list("张三", None, note="", actor=Actor.admin())
    with pytest.raises(NotSupportedError):
        plain.remove_from_deny_list(1, actor=Actor.admin())
    with pytest.raises(NotSupportedError):
        plain.deny_list()


def test_the_hashes_are_keyed(make_platform: PlatformFactory, db: Database) -> None:
    make_platform(hash_key=HASH_KEY).add_to_deny_list("张三", "13812345678", actor=Actor.admin())
    make_platform(hash_key=b"\x08" * 32).add_to_deny_list(
        "张三", "13812345678", actor=Actor.admin()
    )
    with db.session(write=False) as session:
        rows = session.scalars(select(DenyListRow)).all()
    assert len(rows) == 2  # another key, another hash: not recognised as the same entry
    assert rows[0].name_hash != rows[1].name_hash
    assert rows[0].phone_hash != rows[1].phone_hash
    assert local_module.deny_list_name_hash("张 三", HASH_KEY) == rows[0].name_hash
