"""Security primitives of the kiosk (ARCHITECTURE.md §6).

* :mod:`kiosk.security.passes`: signed visitor passes (Ed25519 tokens, verification,
  one-time redemption protocol, key files).

NOTE: Qt-free zone. Nothing here imports PySide6 or the platform client.
"""
