"""Screens register themselves on import; this imports them all."""

from ui.screens import admin, admin_pin, attract, home, notices

__all__ = ["admin", "admin_pin", "attract", "home", "notices"]
