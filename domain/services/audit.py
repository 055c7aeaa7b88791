"""Reading the audit trail (writing it is the repositories' job, on every change)."""

from __future__ import annotations

from domain.audit import AuditRecord
from domain.base import ListQuery, Page
from domain.errors import NotPermitted
from domain.ports import UnitOfWork
from domain.texts import _


def list_audit_records(uow: UnitOfWork, query: ListQuery) -> Page[AuditRecord]:
    """The trail spans the workspace, so a key restricted to one organisation may not read it."""
    with uow:
        if uow.scope.organisation_id is not None:
            raise NotPermitted(
                _("A key restricted to one organisation cannot read the audit trail.")
            )
        return uow.audit.list(query)
