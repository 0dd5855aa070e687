"""Encryption at rest (kiosk.security.crypto) and what actually lands in the database."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import LargeBinary, select, text, update

from kiosk.keys import KeyFileError
from kiosk.security.crypto import (
    FIELD_KEY_FILE,
    KEY_BYTES,
    OVERHEAD_BYTES,
    DecryptionError,
    FieldCipher,
    KeyRing,
    UnknownKeyError,
    key_id_of,
    load_keyring,
)
from kiosk.store.db import Database
from kiosk.store.models import (
    ENCRYPTED_COLUMNS,
    Base,
    Building,
    Community,
    Household,
    Resident,
    Unit,
)

PHONE = "residents.phone_enc"
NAME = "visits.visitor_name_enc"

# Text as it comes from outside: every plane, emoji, CJK Extension B, NUL, quotes, SQL.
TEXTS = st.text(
    alphabet=st.characters(codec="utf-8"),
    max_size=80,
) | st.sampled_from(
    ["", "\x00", "𠀀𠮷𪚥", "👩‍👩‍👧‍👦", "O'Brien; DROP TABLE visits; --", "张三\x00丰"]
)


@pytest.fixture
def cipher(tmp_path: Path) -> FieldCipher:
    return FieldCipher.from_key_dir(tmp_path / "keys")


def _seed_resident(db: Database, phone_enc: bytes | None = None) -> int:
    with db.session() as session:
        session.add(Community(id="c", name="社区"))
        building = Building(community_id="c", number="1", name="1栋")
        unit = Unit(building=building, number="1")
        household = Household(unit=unit, room="101")
        resident = Resident(
            household=household, name="测试", phone_last4="5678", phone_enc=phone_enc
        )
        session.add(resident)
        session.flush()
        return resident.id


# ---------------------------------------------------------------------- the cipher


@settings(max_examples=300, deadline=None)
@given(value=TEXTS)
def test_text_round_trips_exactly(value: str) -> None:
    cipher = FieldCipher(KeyRing(bytes(range(32))))
    blob = cipher.encrypt_text(value, context=PHONE)
    assert cipher.decrypt_text(blob, context=PHONE) == value
    assert len(blob) == OVERHEAD_BYTES + len(value.encode("utf-8"))


def test_same_value_encrypts_differently_each_time(cipher: FieldCipher) -> None:
    assert cipher.encrypt_text("13812345678", context=PHONE) != cipher.encrypt_text(
        "13812345678", context=PHONE
    )


def test_every_tampered_byte_is_detected(cipher: FieldCipher) -> None:
    blob = cipher.encrypt_text("13812345678", context=PHONE)
    for i in range(len(blob)):
        for flip in (0x01, 0x80):
            tampered = bytearray(blob)
            tampered[i] ^= flip
            with pytest.raises(DecryptionError):
                cipher.decrypt(bytes(tampered), context=PHONE)
    for cut in (0, 1, OVERHEAD_BYTES - 1, len(blob) - 1):
        with pytest.raises(DecryptionError):
            cipher.decrypt(blob[:cut], context=PHONE)
    with pytest.raises(DecryptionError):
        cipher.decrypt(blob + b"\x00", context=PHONE)


def test_a_value_moved_to_another_column_does_not_open(cipher: FieldCipher) -> None:
    blob = cipher.encrypt_text("张三", context=NAME)
    with pytest.raises(DecryptionError, match=r"residents\.phone_enc"):
        cipher.decrypt_text(blob, context=PHONE)
    assert cipher.decrypt_text(blob, context=NAME) == "张三"


def test_a_foreign_key_is_named_not_guessed(cipher: FieldCipher) -> None:
    other = FieldCipher(KeyRing(os.urandom(32)))
    blob = other.encrypt_text("x", context=PHONE)
    if blob[0] == cipher.current_key_id:
        pytest.skip("random key happens to share the key id")
    with pytest.raises(UnknownKeyError):
        cipher.decrypt(blob, context=PHONE)


def test_json_values(cipher: FieldCipher) -> None:
    value = {"systolic": 128, "diastolic": 84, "note": "坐姿"}
    assert cipher.decrypt_json(cipher.encrypt_json(value, context="h.v"), context="h.v") == value
    with pytest.raises(ValueError, match="Out of range float"):
        cipher.encrypt_json({"x": float("nan")}, context="h.v")
    with pytest.raises(DecryptionError, match="not JSON"):
        cipher.decrypt_json(cipher.encrypt_text("{", context="h.v"), context="h.v")
    with pytest.raises(DecryptionError, match="not text"):
        cipher.decrypt_text(cipher.encrypt(b"\xff", context="h.v"), context="h.v")


def test_bad_contexts_are_refused(cipher: FieldCipher) -> None:
    for context in ("", "a\x00b", "x" * 129):
        with pytest.raises(ValueError, match="context"):
            cipher.encrypt(b"v", context=context)


# ---------------------------------------------------------------------- key files


def test_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    ring = load_keyring(keys)
    path = keys / FIELD_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == ring.current
    assert len(ring.current) == KEY_BYTES
    assert load_keyring(keys).current == ring.current
    assert ring.current.hex() not in repr(ring)
    assert repr(ring) == f"KeyRing(current={key_id_of(ring.current):#04x}, retiring=[])"
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_keyring(keys)


def test_a_ring_refuses_two_keys_with_one_id() -> None:
    key = bytes(32)
    with pytest.raises(KeyFileError, match="share the key id"):
        KeyRing(key, (key,))
    with pytest.raises(KeyFileError, match="expected 32"):
        KeyRing(b"short")


# ---------------------------------------------------------------------- in the database


def test_registered_columns_are_every_enc_column() -> None:
    found = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, LargeBinary) and column.name.endswith("_enc")
    }
    assert found == {c.context for c in ENCRYPTED_COLUMNS}


@pytest.mark.sqlite_only
def test_no_plaintext_reaches_the_database_files(db: Database, cipher: FieldCipher) -> None:
    phone = "13912345678"
    rid = _seed_resident(db, cipher.encrypt_text(phone, context=PHONE))
    with db.session(write=False) as session:
        raw = session.execute(text("SELECT phone_enc FROM residents WHERE id = :id"), {"id": rid})
        blob = raw.scalar_one()
    assert phone.encode() not in blob
    assert cipher.decrypt_text(blob, context=PHONE) == phone
    database = Path(str(db.url.database))
    on_disk = b"".join(p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists())
    assert b"5678" in on_disk  # the clear last4 is there, so the scan does see rows...
    assert phone.encode() not in on_disk  # ...but never the full number
    assert phone.encode("utf-16-le") not in on_disk


def test_a_value_swapped_between_columns_in_the_database_fails(
    db: Database, cipher: FieldCipher
) -> None:
    rid = _seed_resident(db, cipher.encrypt_text("13912345678", context=PHONE))
    with db.session() as session:
        phone_enc = session.scalar(select(Resident.phone_enc).where(Resident.id == rid))
        session.execute(update(Resident).where(Resident.id == rid).values(id_number_enc=phone_enc))
    with db.session(write=False) as session:
        moved = session.scalar(select(Resident.id_number_enc).where(Resident.id == rid))
    assert moved is not None
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(moved, context="residents.id_number_enc")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=TEXTS)
def test_values_round_trip_through_the_database(
    db: Database, cipher: FieldCipher, value: str
) -> None:
    with db.session() as session:
        if session.get(Community, "c") is None:
            session.add(Community(id="c", name="社区"))
            session.add(
                Household(
                    unit=Unit(
                        building=Building(community_id="c", number="1", name="1栋"), number="1"
                    ),
                    room="101",
                )
            )
            session.flush()
        household = session.scalars(select(Household.id)).first()
        resident = Resident(
            household_id=household,
            name="测试",  # clear text columns cannot hold NUL on PostgreSQL; bytea can
            phone_enc=cipher.encrypt_text(value, context=PHONE),
        )
        session.add(resident)
        session.flush()
        rid = resident.id
    with db.session(write=False) as session:
        stored = session.get(Resident, rid)
        assert stored is not None
        assert stored.phone_enc is not None
        assert cipher.decrypt_text(stored.phone_enc, context=PHONE) == value
