"""Screens register themselves on import; this imports them all."""

from ui.screens import (
    admin,
    admin_pin,
    admin_visitors,
    attract,
    checkin,
    home,
    invite,
    notices,
    resident_identify,
    volunteer_pin,
    walkin,
    walkin_fullname,
)

__all__ = [
    "admin",
    "admin_pin",
    "admin_visitors",
    "attract",
    "checkin",
    "home",
    "invite",
    "notices",
    "resident_identify",
    "volunteer_pin",
    "walkin",
    "walkin_fullname",
]
