"""Persistence: SQLAlchemy tables, the repositories over them, and the unit of work.

Implements the ports of ``domain.ports``; nothing here knows about HTTP.
"""
