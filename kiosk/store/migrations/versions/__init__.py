"""Alembic revisions, oldest first. Revisions are frozen: never import the models here."""
