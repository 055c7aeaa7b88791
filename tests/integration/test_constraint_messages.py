"""A race past the services' checks still gets a message that names the clash."""

from sqlalchemy import UniqueConstraint

from repositories.base import UNIQUE_MESSAGES
from repositories.tables import metadata

INTERNAL = {
    ("api_keys", ("digest",)),
    ("idempotency_records", ("api_key_id", "key")),
    # Written by the commit and the worker, never from a caller's values.
    ("events", ("workspace_id", "position")),
    ("webhook_deliveries", ("webhook_id", "event_id")),
}


def test_every_unique_constraint_a_caller_can_hit_has_a_message():
    declared = {
        (constraint.table.name, tuple(column.name for column in constraint.columns))
        for table in metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    }
    assert declared - INTERNAL == set(UNIQUE_MESSAGES)
