"""Alembic migrations of the application database, shipped inside the package."""
