"""Local storage: SQLAlchemy models, the :class:`~kiosk.store.db.Database` and migrations.

NOTE: Qt-free zone. Nothing under ``kiosk.store`` imports PySide6.
"""
