"""Log files carry no phone or ID numbers, whatever the code passes in."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.logs import installed_log

PHONE = "13812345678"
ID_NUMBER = "110101199003071234"
UNMASKED = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Callable[[], str]]:
    yield from installed_log(tmp_path, "DEBUG")


def test_phone_and_id_numbers_are_masked_in_the_file(debug_log: Callable[[], str]) -> None:
    log = logging.getLogger("kiosk.test_log")
    log.info("回电 %s，身份证 %s", PHONE, ID_NUMBER)
    log.debug(f"inline {PHONE} and {ID_NUMBER}")  # a careless f-string
    log.warning("spaced +86 138 1234 5678")
    try:
        raise ValueError(f"no resident with ID {ID_NUMBER}")
    except ValueError:
        log.exception("lookup failed for %s", PHONE)

    text = debug_log()
    assert text.count("138****5678") == 4
    assert text.count("110***********1234") == 3
    assert PHONE not in text
    assert ID_NUMBER not in text
    assert "1234 5678" not in text
    assert not UNMASKED.findall(text)
    assert "Traceback" in text, "the exception itself is still logged"
