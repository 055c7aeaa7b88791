"""Who may do what: the one table of operation × role, checked in one place (``api.auth``).

Every operation of the contract has a row; the app refuses to start if one is missing,
and a test tries every cell.

The roles that act for themselves (``participant``, ``mt_member``: users linked to a
person) reach only the projects that person takes part in; any other project is 404 to
them. Inside, ``OWN`` says, per operation, which participant of the request must be the
caller's own participant ("own participant"): a URL argument, a body field, a query
filter, or the participant an addressed object belongs to. ``api.auth`` applies it
before any view runs, so a view never checks ownership itself; a new route open to
these roles needs a row here and, if it touches one person's data, an ``Own``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.access import KEY_ROLES, SELF_ROLES, Role

ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.ADMIN, Role.CONSULTANT})
HRIS = frozenset({Role.ADMIN, Role.CONSULTANT, Role.INTEGRATION})
EVERYONE = KEY_ROLES  # every role an API key can have; people in a project are below
TEAM = SELF_ROLES  # a project's own people, signed in
MT = frozenset({Role.MT_MEMBER})

POLICY: dict[str, frozenset[Role]] = {
    # API keys: only an admin hands out or revokes access.
    "list_api_keys": ADMIN,
    "create_api_key": ADMIN,
    "get_api_key": ADMIN,
    "revoke_api_key": ADMIN,
    # The workspace's own settings (the language of its texts): read by all, set by an admin.
    "get_workspace": EVERYONE,
    "update_workspace": ADMIN,
    # Users who sign in; everyone signed in may ask who they are.
    "list_users": ADMIN,
    "invite_user": ADMIN,
    "get_user": ADMIN,
    "update_user": ADMIN,
    "remove_user": ADMIN,
    "get_current_user": EVERYONE | TEAM,
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
    "get_webhook_delivery": ADMIN,
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
    "get_project": EVERYONE | TEAM,
    "update_project": STAFF,
    "delete_project": STAFF,
    "get_checklist": EVERYONE | TEAM,
    "list_transitions": EVERYONE,
    "create_transition": STAFF,
    "list_participants": EVERYONE,
    "add_participant": STAFF,
    "add_participants": STAFF,
    "get_participant": EVERYONE | TEAM,
    "update_participant": STAFF,
    "remove_participant": STAFF,
    "get_intake": EVERYONE,
    "list_findings": EVERYONE,
    "create_finding": STAFF,
    "get_finding": EVERYONE,
    "update_finding": STAFF,
    "delete_finding": STAFF,
    "list_grievances": STAFF,  # signed ones name their author
    "create_grievance": STAFF | TEAM,
    "get_grievance": STAFF,
    "update_grievance": STAFF,
    "delete_grievance": STAFF,
    "get_readiness_summary": EVERYONE | TEAM,
    "get_readiness_rating": EVERYONE | TEAM,
    "rate_readiness": STAFF | TEAM,
    "list_readiness_rounds": EVERYONE | TEAM,
    "open_readiness_round": STAFF,
    "get_conclusion": EVERYONE,
    "put_conclusion": STAFF,
    # The competence catalogue of the workspace.
    "list_competences": EVERYONE | TEAM,
    "create_competence": STAFF,
    "get_competence": EVERYONE | TEAM,
    "update_competence": STAFF,
    "delete_competence": STAFF,
    # Service definition.
    "list_services": EVERYONE | TEAM,
    "create_service": STAFF,
    "get_service": EVERYONE | TEAM,
    "update_service": STAFF,
    "delete_service": STAFF,
    "list_contributors": EVERYONE,
    "add_contributor": STAFF | TEAM,
    "get_contributor": EVERYONE,
    "update_contributor": STAFF,
    "remove_contributor": STAFF,
    "list_service_feedback": EVERYONE | MT,
    "create_feedback": STAFF | MT,
    "get_feedback": EVERYONE | MT,
    "update_feedback": STAFF,
    "list_feedback": EVERYONE,
    "list_coordinators": EVERYONE,
    "list_indicators": EVERYONE,
    "list_measurements": EVERYONE,
    "create_measurement": STAFF,
    # The competence matrix and development.
    # Of the others' levels the team sees the team view only; its own row and history
    # in full (``OWN``: filtered to their own participant).
    "get_matrix": EVERYONE | TEAM,
    "get_team_matrix": EVERYONE | TEAM,
    "set_levels": STAFF | TEAM,
    "list_level_history": EVERYONE | TEAM,
    "list_dependencies": EVERYONE,
    "list_priorities": EVERYONE,
    "list_wishes": EVERYONE,
    "create_wish": STAFF | TEAM,
    "get_wish": EVERYONE,
    "delete_wish": STAFF,
    "list_agreements": EVERYONE | TEAM,
    "create_agreement": STAFF,
    "get_agreement": EVERYONE | TEAM,
    "update_agreement": STAFF,
    "delete_agreement": STAFF,
    "list_check_ins": EVERYONE | TEAM,
    "create_check_in": STAFF | TEAM,
    # Meetings and their commitments.
    "list_meetings": EVERYONE | TEAM,
    "create_meeting": STAFF,
    "get_meeting": EVERYONE | TEAM,
    "update_meeting": STAFF,
    "delete_meeting": STAFF,
    "list_commitments": EVERYONE | TEAM,
    "create_commitment": STAFF,
    "list_action_reports": EVERYONE,
    "create_action_report": STAFF | TEAM,
    "get_round": EVERYONE,
    # Actions: commitments of meetings, and those made from findings or grievances.
    "list_actions": EVERYONE,
    "create_action": STAFF,
    "get_action": EVERYONE,
    "update_action": STAFF,
    "delete_action": STAFF,
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
    # Pulse surveys: answers are anonymous, results shown only in aggregate.
    "list_surveys": EVERYONE | TEAM,
    "create_survey": STAFF,
    "get_survey": EVERYONE | TEAM,
    "delete_survey": STAFF,
    "open_survey_round": STAFF,
    "answer_survey": STAFF | TEAM,
    "get_survey_results": EVERYONE | TEAM,
    # Effect: before and after.
    "get_effect": EVERYONE,
    # Exports of a whole project.
    "export_project": EVERYONE,
    "export_project_workbook": EVERYONE,
    "get_export": EVERYONE,  # a workbook export run as a job, and its file
    "download_export": EVERYONE,
    "get_project_report": EVERYONE,
    # Imports: scripts and integrations move data in bulk; reports are read back by them.
    "create_import": HRIS,
    "get_import": HRIS,
    "list_import_items": HRIS,
}


@dataclass(frozen=True)
class Own:
    """What of a request by a role acting for itself must be the caller's own participant.

    ``path``: a URL argument naming a participant. ``body``: a body field naming one (in
    the body, or in each item of the list ``items`` of it); absent is allowed when
    ``optional`` (an anonymous grievance names nobody). ``query``: a filter the caller
    must set to themselves (a list of one person's things). ``owner``: a URL argument
    naming an object whose participant must be the caller; ``others``: one whose
    participant must not be (a peer checks in on a colleague's agreement). ``fixed``:
    body fields with the one value these roles may send (levels they assess themselves).
    """

    path: str | None = None
    body: str | None = None
    items: str | None = None
    optional: bool = False
    query: str | None = None
    owner: str | None = None
    others: str | None = None
    fixed: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """The rule as the contract says it (each operation's description)."""
        parts = []
        if self.path:
            parts.append(f"`{self.path}` in the URL must be their own participant")
        if self.query:
            parts.append(f"`{self.query}` must be set to their own participant id")
        if self.body:
            where = f"each of `{self.items}`'s `{self.body}`" if self.items else f"`{self.body}`"
            parts.append(
                f"{where} must be their own participant" + (" (or absent)" if self.optional else "")
            )
        if self.owner:
            parts.append(f"the `{self.owner}` must be theirs")
        if self.others:
            parts.append(f"the `{self.others}` must be someone else's")
        parts += [f"`{name}` can only be '{value}'" for name, value in self.fixed.items()]
        return "; ".join(parts)


OWN: dict[str, Own] = {
    "get_participant": Own(path="participant_id"),
    "get_readiness_rating": Own(path="participant_id"),
    "rate_readiness": Own(path="participant_id"),
    "create_grievance": Own(body="participant_id", optional=True),
    "add_contributor": Own(body="participant_id"),
    "get_matrix": Own(query="participant_id"),
    "list_level_history": Own(query="participant_id"),
    "set_levels": Own(body="participant_id", items="levels", fixed={"source": "self"}),
    "create_wish": Own(body="participant_id"),
    "list_agreements": Own(query="participant_id"),
    "get_agreement": Own(owner="agreement_id"),
    "list_check_ins": Own(owner="agreement_id"),
    "create_check_in": Own(body="participant_id", others="agreement_id"),
    "create_action_report": Own(body="participant_id"),
    "answer_survey": Own(body="participant_id"),
}


# Operations made anonymously: by a signed-in user when the body flag named here says so,
# or by anyone, always, where it is ``ALWAYS`` (a pulse answer: who answered is kept only
# apart from the answers, ``domain.pulse``). Then nothing of the request names who sent
# it: the audit record (and its event) has no actor, the log line no caller, address or
# user agent, and the request is not kept for an Idempotency-Key replay (``api.auth``).
ALWAYS = None
ANONYMOUS: dict[str, str | None] = {"create_grievance": "anonymous", "answer_survey": ALWAYS}


def allowed(operation_id: str, role: Role) -> bool:
    return role in POLICY[operation_id]
