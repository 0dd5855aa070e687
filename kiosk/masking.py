"""Masking of personal identifiers for public screens, receipts, speech and logs.

Pure functions, no Qt, no I/O. The rules (GB/T 35273 展示限制; see ARCHITECTURE.md §6):

* **One invariant for every identifier:** either at least four characters are hidden, or the
  whole value is hidden. So a short value never leaks most of itself through the "first 3 +
  last 4" rule.
* Phone numbers: ``138****5678`` (first 3 + last 4) for 11 or more digits; 8 to 10 digits show
  only the last 4; fewer than 8 digits are fully masked. A mainland country code (``+86``,
  ``0086``) is dropped; spaces and dashes are ignored.
* ID numbers (居民身份证号): ``110***********1234``: first 3 + last 4 for 11 or more
  characters (the 18-character number, the old 15-digit one), last 4 only for 8 to 10
  characters, fully masked below that. A trailing ``x`` is shown as ``X``.
* Names: Chinese names keep the first and, from three characters on, the last character:
  ``张三明`` → ``张*明``, ``张三`` → ``张*``, ``张`` → ``*``. Names written in parts (Latin
  names, names joined with the middle dot ``·``) keep the first letter of every part:
  ``Li Ming`` → ``L* M***``, ``阿依古丽·买买提`` → ``阿***·买**``.
* Card UIDs (hex, or decimal as keyboard-wedge readers type them): first 6 + last 4 for 14 or
  more characters (7- and 10-byte UIDs), last 4 only for 8 to 13, fully masked below 8.

Every mask keeps one ``*`` per hidden character, so a masked value has the length of the
normalised original and layouts stay stable.
"""

from __future__ import annotations

import logging
import re
import unicodedata

__all__ = [
    "RedactingFilter",
    "is_identifier",
    "mask_card_uid",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "redact_text",
]

_MASK = "*"
_MIN_HIDDEN = 4
_NAME_SEPARATORS = re.compile(r"(\s+|[·•・‧])")


def _ascii_digits(text: str) -> str:
    """The decimal digits of ``text`` (any script, e.g. full-width ``１``) as ASCII digits."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def _mask_middle(value: str, *, head: int, tail: int) -> str:
    """Show ``head`` + ``tail`` characters, hiding at least :data:`_MIN_HIDDEN` in between.

    If that would hide too little, fall back to the tail only, then to nothing.
    """
    n = len(value)
    if n - head - tail >= _MIN_HIDDEN:
        return value[:head] + _MASK * (n - head - tail) + value[n - tail :]
    if n - tail >= _MIN_HIDDEN:
        return _MASK * (n - tail) + value[n - tail :]
    return _MASK * n


def _strip_country_code(text: str, digits: str) -> str:
    stripped = text.strip()
    if stripped.startswith("+86") and len(digits) > 2:
        return digits[2:]
    if stripped.startswith("0086") and len(digits) > 4:
        return digits[4:]
    if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        return digits[2:]
    return digits


def mask_phone(phone: str) -> str:
    """Mask a phone number: ``"13812345678"`` → ``"138****5678"``.

    Spaces, dashes and brackets are ignored and a ``+86``/``0086`` prefix is dropped, so
    ``"+86 138 1234 5678"`` → ``"138****5678"``. The result contains ASCII digits and ``*``
    only. See the module docstring for short numbers.
    """
    digits = _strip_country_code(phone, _ascii_digits(phone))
    return _mask_middle(digits, head=3, tail=4)


def _id_chars(id_number: str) -> str:
    return "".join(ch for ch in id_number if not ch.isspace() and ch != "-").upper()


def mask_id_number(id_number: str) -> str:
    """Mask an ID number: ``"110101199003071234"`` → ``"110***********1234"``.

    Whitespace and dashes are ignored; a trailing ``x`` is upper-cased.
    """
    return _mask_middle(_id_chars(id_number), head=3, tail=4)


def _is_cjk(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo"


def _mask_name_part(part: str, *, keep_last: bool) -> str:
    n = len(part)
    if n <= 1:
        return _MASK * n
    if keep_last and n >= 3:
        return part[0] + _MASK * (n - 2) + part[-1]
    return part[0] + _MASK * (n - 1)


_HONORIFICS = ("先生", "女士")
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "轩辕",
        "呼延",
        "澹台",
    ]
)


def mask_name(name: str) -> str:
    """Mask a person's name for a public screen or a slip.

    ``"张三明"`` → ``"张*明"``, ``"张三"`` → ``"张*"``, ``"张"`` → ``"*"``,
    ``"欧阳娜娜"`` → ``"欧**娜"``, ``"Li Ming"`` → ``"L* M***"``, ``"Alice"`` → ``"A****"``,
    ``"阿依古丽·买买提"`` → ``"阿***·买**"``. Leading/trailing whitespace is dropped and
    inner whitespace collapses to one space.

    A surname with an honorific, the name a walk-in visitor gives without an input method
    (``"王女士"``, ``"欧阳先生"``), is already as anonymous as a masked name and stays as
    it is: masking it to ``"王*士"`` would only garble it.
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        return ""
    for title in _HONORIFICS:
        head = cleaned[: -len(title)]
        if cleaned.endswith(title) and head and all(map(_is_cjk, head)):
            if len(head) == 1 or head in _COMPOUND_SURNAMES:
                return cleaned
            return _mask_name_part(head, keep_last=False) + title
    parts = _NAME_SEPARATORS.split(cleaned)
    if len(parts) == 1:
        # A single run: Chinese names keep their last character from three characters on.
        return _mask_name_part(cleaned, keep_last=all(_is_cjk(ch) for ch in cleaned))
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:  # a separator captured by the split
            out.append(" " if part.isspace() else part)
        else:
            out.append(_mask_name_part(part, keep_last=False))
    return "".join(out)


def mask_card_uid(uid: str) -> str:
    """Mask a card UID: ``"04A1B2C3D4E5F6"`` → ``"04A1B2****E5F6"``.

    A 4-byte UID shows its last 4 characters only: ``"A1B2C3D4"`` → ``"****C3D4"``.
    Colons, dashes and whitespace are ignored; hex letters are upper-cased.
    """
    chars = "".join(ch for ch in uid if ch.isalnum()).upper()
    return _mask_middle(chars, head=6, tail=4)


# A mainland mobile number (1[3-9] + 9 digits), optionally with +86/0086/86 and separators,
# not glued to further digits on either side.
_PHONE_RE = re.compile(
    r"(?<!\d)(?P<cc>(?:\+|00)?86[\s-]?)?(?P<num>1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)"
)
# An 18-character resident ID number: 17 digits and a check character (digit or X).
_ID_RE = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")


def is_identifier(value: str) -> bool:
    """Whether ``value`` as a whole is a mainland mobile number or an 18-character ID number.

    For guards such as "audit details carry no personal data". Unlike :func:`redact_text`
    it does not look inside longer text, so random ids (UUIDs) never trip it.
    """
    stripped = value.strip()
    return bool(_PHONE_RE.fullmatch(stripped) or _ID_RE.fullmatch(stripped))


def redact_text(text: str) -> str:
    """Mask every mainland mobile number and 18-character ID number inside free text.

    ``"回电 13812345678"`` → ``"回电 138****5678"``. Meant for log lines and other text that may
    carry identifiers by accident; values that are known to be identifiers should go through
    the specific ``mask_*`` function instead.
    """
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: (m.group("cc") or "") + mask_phone(m.group("num")), text)


class RedactingFilter(logging.Filter):
    """A logging filter that runs :func:`redact_text` over every formatted message.

    It formats the message once (``msg % args``), redacts it and stores the result with no
    arguments left, so handlers further down never see the original. Exception text is
    redacted as well.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A broken format string: keep what can be kept, never the raw arguments.
            message = f"{record.msg} (unformattable log arguments dropped)"
        record.msg = redact_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True
