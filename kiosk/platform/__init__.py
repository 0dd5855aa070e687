"""The boundary to the community platform (卡盟): :mod:`kiosk.platform.api` (the interface)
and :mod:`kiosk.platform.local` (the store-backed implementation).

NOTE: Qt-free zone.
"""
