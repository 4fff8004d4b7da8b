"""Persistence only: SQLModel tables, repositories and database set-up."""
