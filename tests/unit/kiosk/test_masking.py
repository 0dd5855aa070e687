from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.masking import (
    RedactingFilter,
    is_identifier,
    mask_card_uid,
    mask_id_number,
    mask_name,
    mask_phone,
    redact_text,
)

# ------------------------------------------------------------------ tables


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("008613812345678", "138****5678"),
        ("8613812345678", "138****5678"),
        ("１３８１２３４５６７８", "138****5678"),  # full-width digits
        ("010-12345678", "010****5678"),  # landline with area code, 11 digits
        ("0755 8888 1234 56", "075*******3456"),  # longer numbers: still 3 + 4
        ("0101234567", "******4567"),  # 10 digits: the tail only
        ("12345678", "****5678"),  # 8 digits: the tail only
        ("1234567", "*******"),  # short: nothing shown
        ("5678", "****"),
        ("", ""),
        ("no digits", ""),
    ],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("110101199003071234", "110***********1234"),
        ("11010119900307123X", "110***********123X"),
        ("11010119900307123x", "110***********123X"),
        ("110101 19900307 1234", "110***********1234"),
        ("110101900307123", "110********7123"),  # old 15-digit number
        ("1234567890", "******7890"),
        ("12345678", "****5678"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask_id_number(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("张三明", "张*明"),
        ("张三", "张*"),
        ("张", "*"),
        ("欧阳娜娜", "欧**娜"),
        ("司马相如君", "司***君"),
        ("Li Ming", "L* M***"),
        ("  li   ming ", "l* m***"),
        ("Alice", "A****"),
        ("A", "*"),
        ("Zhang San Feng", "Z**** S** F***"),
        ("阿依古丽·买买提", "阿***·买**"),
        # A surname with 先生/女士 is already anonymous: left as it is.
        ("王女士", "王女士"),
        ("欧阳先生", "欧阳先生"),
        # ... but a given name before the title is still masked.
        ("张大明先生", "张**先生"),
        ("丽丽女士", "丽*女士"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_name(raw: str, masked: str) -> None:
    assert mask_name(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("04A1B2C3D4E5F6", "04A1B2****E5F6"),  # 7-byte UID
        ("04:a1:b2:c3:d4:e5:f6", "04A1B2****E5F6"),
        ("04A1B2C3D4E5F60708FF", "04A1B2**********08FF"),  # 10-byte UID
        ("A1B2C3D4", "****C3D4"),  # 4-byte UID: the tail only
        ("0012345678", "******5678"),  # decimal, as keyboard-wedge readers type it
        ("A1B2C3", "******"),
        ("", ""),
    ],
)
def test_mask_card_uid(raw: str, masked: str) -> None:
    assert mask_card_uid(raw) == masked


@pytest.mark.parametrize(
    ("raw", "redacted"),
    [
        ("请回电 13812345678，谢谢", "请回电 138****5678，谢谢"),
        ("tel:13812345678", "tel:138****5678"),
        ("电话+86 139-1234-5678", "电话+86 139****5678"),
        ("call 8613712345678 now", "call 86137****5678 now"),
        ("身份证11010119900307123X已核验", "身份证110***********123X已核验"),
        ("id=110101199003071234;", "id=110***********1234;"),
        (
            "13812345678 and 15912345678",
            "138****5678 and 159****5678",
        ),
        ("order 202401011234", "order 202401011234"),  # 12 digits: not a phone
        ("12812345678", "12812345678"),  # 12x is not a mobile prefix
        ("ts 1735689600", "ts 1735689600"),
        ("1101011990030712345", "1101011990030712345"),  # 19 digits: neither
        ("", ""),
    ],
)
def test_redact_text(raw: str, redacted: str) -> None:
    assert redact_text(raw) == redacted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", True),
        (" +86 138 1234 5678 ", True),
        ("11010119900307123X", True),
        ("call 13812345678", False),
        ("a1381-2345-5678-b13812345678", False),
        ("1234", False),
        ("", False),
    ],
)
def test_is_identifier(value: str, expected: bool) -> None:
    assert is_identifier(value) is expected


def test_redacting_filter() -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("tests.masking.redact")
    logger.propagate = False
    handler = Keep()
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("resident %s called from %s", "110101199003071234", "13812345678")
        try:
            raise ValueError("bad phone 13912345678")
        except ValueError:
            logger.exception("lookup failed")
        logger.warning("broken %d format", "x")
    finally:
        logger.removeHandler(handler)
    assert records[0].getMessage() == "resident 110***********1234 called from 138****5678"
    assert records[0].args is None
    assert records[1].exc_text is not None
    assert "139****5678" in records[1].exc_text
    assert "13912345678" not in records[1].exc_text
    assert "unformattable" in records[2].getMessage()


# ------------------------------------------------------------------ properties

_SEPARATORS = st.sampled_from(["", " ", "-"])


@given(number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), sep=_SEPARATORS, cc=st.booleans())
def test_mobile_numbers_show_3_plus_4(number: str, sep: str, cc: bool) -> None:
    formatted = sep.join([number[:3], number[3:7], number[7:]])
    if cc:
        formatted = "+86 " + formatted
    masked = mask_phone(formatted)
    assert masked == number[:3] + "****" + number[7:]


def _assert_middle_hidden(normalised: str, masked: str) -> None:
    """``masked`` shows a prefix (≤ 3) and a suffix (≤ 4) of ``normalised``, nothing else,
    and hides at least 4 characters unless it hides everything."""
    assert len(masked) == len(normalised)
    match = re.fullmatch(r"([^*]{0,3})(\**)([^*]{0,4})", masked)
    assert match is not None, masked
    head, stars, tail = match.groups()
    assert normalised.startswith(head)
    assert normalised.endswith(tail)
    assert len(stars) >= 4 or (not head and not tail)
    # Every character between the shown head and tail is a '*'.
    assert len(head) + len(stars) + len(tail) == len(normalised)


@given(st.text(alphabet="0123456789 -+", max_size=30))
def test_mask_phone_never_reveals_the_middle(raw: str) -> None:
    digits = "".join(ch for ch in raw if ch.isdigit())
    masked = mask_phone(raw)
    stripped = raw.strip()
    if stripped.startswith("+86") and len(digits) > 2:
        normalised = digits[2:]
    elif stripped.startswith("0086") and len(digits) > 4:
        normalised = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        normalised = digits[2:]
    else:
        normalised = digits
    _assert_middle_hidden(normalised, masked)
    assert len(masked.replace("*", "")) <= 7


@given(st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True))
def test_id_numbers_show_3_plus_4(id_number: str) -> None:
    masked = mask_id_number(id_number)
    assert masked == id_number[:3] + "*" * 11 + id_number[-4:]
    assert id_number[3:14] not in masked


@given(st.text(alphabet="0123456789Xx -", max_size=30))
def test_mask_id_number_never_reveals_the_middle(raw: str) -> None:
    normalised = "".join(ch for ch in raw if ch not in " -").upper()
    _assert_middle_hidden(normalised, mask_id_number(raw))


@given(st.text(alphabet="0123456789abcdefABCDEF:", max_size=30))
def test_mask_card_uid_shows_at_most_6_plus_4(raw: str) -> None:
    normalised = "".join(ch for ch in raw if ch.isalnum()).upper()
    masked = mask_card_uid(raw)
    assert len(masked) == len(normalised)
    shown = len(masked.replace("*", ""))
    assert shown <= 10
    assert masked.count("*") >= 4 or shown == 0


@given(
    before=st.text(alphabet="abc 电话：,;", max_size=10),
    number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    id_number=st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True),
    after=st.text(alphabet="abc 谢谢。,;", max_size=10),
)
def test_redact_text_removes_embedded_identifiers(
    before: str, number: str, id_number: str, after: str
) -> None:
    text = f"{before}{number} / {id_number}{after}"
    redacted = redact_text(text)
    assert number not in redacted
    assert id_number not in redacted
    assert number[:3] + "****" + number[7:] in redacted
    assert id_number[:3] + "*" * 11 + id_number[-4:] in redacted


@given(st.text(max_size=12))
def test_mask_name_hides_most_of_any_name(name: str) -> None:
    masked = mask_name(name)
    cleaned = " ".join(name.split())
    assert len(masked) == len(cleaned)
    letters = [ch for ch in cleaned if not ch.isspace() and ch not in "·•・‧"]
    shown = [ch for ch in masked if not ch.isspace() and ch not in "*·•・‧"]
    if len(letters) >= 2:
        assert len(shown) < len(letters)
    if len(letters) == 1:
        assert shown == [] or cleaned == masked == "*"
