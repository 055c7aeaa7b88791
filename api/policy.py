"""Who may do what: the one table of operation × role, checked in one place (``api.auth``).

Every operation of the contract has a row; the app refuses to start if one is missing,
and a test tries every cell.
"""

from __future__ import annotations

from domain.access import Role

ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.ADMIN, Role.CONSULTANT})
HRIS = frozenset({Role.ADMIN, Role.CONSULTANT, Role.INTEGRATION})
EVERYONE = frozenset(Role)

POLICY: dict[str, frozenset[Role]] = {
    # API keys: only an admin hands out or revokes access.
    "list_api_keys": ADMIN,
    "create_api_key": ADMIN,
    "get_api_key": ADMIN,
    "revoke_api_key": ADMIN,
    # The audit trail: the people accountable for the work.
    "list_audit_records": STAFF,
    # The change feed: what integrations mirror, deletions included.
    "list_changes": EVERYONE,
    "list_project_reminders": EVERYONE,
    # Webhooks: where the workspace's events go, and with what secret: admins only.
    "list_webhooks": ADMIN,
    "create_webhook": ADMIN,
    "get_webhook": ADMIN,
    "update_webhook": ADMIN,
    "delete_webhook": ADMIN,
    "list_webhook_deliveries": ADMIN,
    "resend_webhook_delivery": ADMIN,
    # Organisations and teams: an HRIS may keep departments in step.
    "list_organisations": EVERYONE,
    "create_organisation": STAFF,
    "get_organisation": EVERYONE,
    "update_organisation": STAFF,
    "delete_organisation": STAFF,
    "list_teams": EVERYONE,
    "create_team": HRIS,
    "get_team": EVERYONE,
    "update_team": HRIS,
    "delete_team": STAFF,
    # People: the HRIS's own ground.
    "list_people": EVERYONE,
    "create_person": HRIS,
    "get_person": EVERYONE,
    "update_person": HRIS,
    "erase_person": STAFF,
    "get_person_by_external_id": EVERYONE,
    "upsert_person_by_external_id": HRIS,
    "sync_people": HRIS,
    # Projects and everything inside them: the consultants' work.
    "list_projects": EVERYONE,
    "create_project": STAFF,
    "get_project": EVERYONE,
    "update_project": STAFF,
    "delete_project": STAFF,
    "get_checklist": EVERYONE,
    "list_transitions": EVERYONE,
    "create_transition": STAFF,
    "list_participants": EVERYONE,
    "add_participant": STAFF,
    "get_participant": EVERYONE,
    "update_participant": STAFF,
    "remove_participant": STAFF,
    "get_intake": EVERYONE,
    "list_findings": EVERYONE,
    "create_finding": STAFF,
    "get_finding": EVERYONE,
    "update_finding": STAFF,
    "delete_finding": STAFF,
    "list_grievances": EVERYONE,
    "create_grievance": STAFF,
    "get_grievance": EVERYONE,
    "update_grievance": STAFF,
    "delete_grievance": STAFF,
    "get_readiness_summary": EVERYONE,
    "get_readiness_rating": EVERYONE,
    "rate_readiness": STAFF,
    "get_conclusion": EVERYONE,
    "put_conclusion": STAFF,
    # The competence catalogue of the workspace.
    "list_competences": EVERYONE,
    "create_competence": STAFF,
    "get_competence": EVERYONE,
    "update_competence": STAFF,
    "delete_competence": STAFF,
    # Service definition.
    "list_services": EVERYONE,
    "create_service": STAFF,
    "get_service": EVERYONE,
    "update_service": STAFF,
    "delete_service": STAFF,
    "list_contributors": EVERYONE,
    "add_contributor": STAFF,
    "get_contributor": EVERYONE,
    "update_contributor": STAFF,
    "remove_contributor": STAFF,
    "list_service_feedback": EVERYONE,
    "create_feedback": STAFF,
    "get_feedback": EVERYONE,
    "update_feedback": STAFF,
    "list_feedback": EVERYONE,
    "list_coordinators": EVERYONE,
    # The competence matrix and development.
    "get_matrix": EVERYONE,
    "set_levels": STAFF,
    "list_level_history": EVERYONE,
    "list_dependencies": EVERYONE,
    "list_priorities": EVERYONE,
    "list_wishes": EVERYONE,
    "create_wish": STAFF,
    "get_wish": EVERYONE,
    "delete_wish": STAFF,
    "list_agreements": EVERYONE,
    "create_agreement": STAFF,
    "get_agreement": EVERYONE,
    "update_agreement": STAFF,
    "delete_agreement": STAFF,
    "list_check_ins": EVERYONE,
    "create_check_in": STAFF,
    # Meetings and their commitments.
    "list_meetings": EVERYONE,
    "create_meeting": STAFF,
    "get_meeting": EVERYONE,
    "update_meeting": STAFF,
    "delete_meeting": STAFF,
    "list_commitments": EVERYONE,
    "create_commitment": STAFF,
    "list_action_reports": EVERYONE,
    "create_action_report": STAFF,
    "get_round": EVERYONE,
    # Learning themes and progress.
    "list_themes": EVERYONE,
    "create_theme": STAFF,
    "get_theme": EVERYONE,
    "update_theme": STAFF,
    "delete_theme": STAFF,
    "list_project_themes": EVERYONE,
    "assign_theme": STAFF,
    "get_theme_progress": EVERYONE,
    "unassign_theme": STAFF,
    "get_participant_progress": EVERYONE,
    "set_participant_progress": STAFF,
    # Exports of a whole project.
    "export_project": EVERYONE,
    "export_project_workbook": EVERYONE,
    # Imports: scripts and integrations move data in bulk; reports are read back by them.
    "create_import": HRIS,
    "get_import": HRIS,
}


def allowed(operation_id: str, role: Role) -> bool:
    return role in POLICY[operation_id]
