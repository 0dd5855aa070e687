"""Screens register themselves on import; this imports them all."""

from ui.screens import admin, admin_pin, attract, home, notices, volunteer_pin

__all__ = ["admin", "admin_pin", "attract", "home", "notices", "volunteer_pin"]
