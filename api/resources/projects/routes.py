"""OD projects, their participants, and their moves between phases."""

from __future__ import annotations

from collections import Counter

from flask.views import MethodView

from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.projects.schemas import (
    PARTICIPANT_EXAMPLE,
    PARTICIPANTS_EXAMPLE,
    PROJECT_EXAMPLE,
    PROJECT_UPDATE_EXAMPLE,
    TRANSITION_EXAMPLE,
    ChecklistSchema,
    ParticipantBatchReportSchema,
    ParticipantBatchSchema,
    ParticipantCreateSchema,
    ParticipantQueryArgsSchema,
    ParticipantSchema,
    ParticipantUpdateSchema,
    ProjectCreateSchema,
    ProjectQueryArgsSchema,
    ProjectSchema,
    ProjectUpdateSchema,
    TransitionCreateSchema,
    TransitionSchema,
)
from domain.services import projects as service

blp = Blueprint(
    "projects",
    __name__,
    url_prefix="/api/v1",
    description="OD projects: one team of one organisation, moving through the phases "
    "intake → service_definition → competence_mapping → development → evaluation → closed.",
)


@blp.route("/projects")
class Projects(MethodView):
    @blp.operation("list_projects")
    @blp.arguments(ProjectQueryArgsSchema, location="query")
    @blp.response(200, ProjectSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List projects"""
        query = ProjectQueryArgsSchema().list_query(args)
        return paginated(service.list_projects(uow(), query), query)

    @blp.operation("create_project")
    @blp.arguments(ProjectCreateSchema, example=PROJECT_EXAMPLE)
    @blp.response(201, ProjectSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Start a project with a team; it begins in the intake phase"""
        project = service.create_project(uow(), **data)
        return created(project, "projects.Project", project_id=project.id)


@blp.route("/projects/<uuid:project_id>")
class Project(MethodView):
    @blp.operation("get_project")
    @blp.response(200, ProjectSchema, headers=ETAG_HEADER)
    def get(self, project_id):
        """Get a project"""
        return with_etag(service.get_project(uow(), project_id))

    @blp.operation("update_project")
    @blp.arguments(ProjectUpdateSchema, example=PROJECT_UPDATE_EXAMPLE)
    @blp.response(200, ProjectSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id):
        """Change a project's name or description (its phase changes by transitions)"""
        return with_etag(service.update_project(uow(), project_id, changes, if_match()))

    @blp.operation("delete_project")
    @blp.response(204)
    def delete(self, project_id):
        """Delete a project with everything recorded in it"""
        service.delete_project(uow(), project_id, if_match())


@blp.route("/projects/<uuid:project_id>/checklist")
class Checklist(MethodView):
    @blp.operation("get_checklist")
    @blp.response(200, ChecklistSchema)
    def get(self, project_id):
        """What is still missing before the project can enter its next phase"""
        return service.checklist(uow(), project_id)


@blp.route("/projects/<uuid:project_id>/transitions")
class Transitions(MethodView):
    @blp.operation("list_transitions")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, TransitionSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """The project's phase history, oldest first"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_transitions(uow(), project_id, query), query)

    @blp.operation("create_transition")
    @blp.arguments(TransitionCreateSchema, example=TRANSITION_EXAMPLE)
    @blp.response(201, TransitionSchema)
    @blp.alt_response(409, response="CONFLICT", description="The gate is not met: see `unmet`.")
    def post(self, data, project_id):
        """Move the project to the next phase, or back one phase with a reason

        Forward, every condition of the gate must hold; otherwise 409 lists each unmet
        one (the same list `/checklist` shows).
        """
        return service.transition(uow(), project_id, **data), 201


@blp.route("/projects/<uuid:project_id>/participants")
class Participants(MethodView):
    @blp.operation("list_participants")
    @blp.arguments(ParticipantQueryArgsSchema, location="query")
    @blp.response(200, ParticipantSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the participants of a project"""
        query = ParticipantQueryArgsSchema().list_query(args)
        return paginated(service.list_participants(uow(), project_id, query), query)

    @blp.operation("add_participant")
    @blp.arguments(ParticipantCreateSchema, example=PARTICIPANT_EXAMPLE)
    @blp.response(201, ParticipantSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Add a person of the project's organisation as a participant, with roles"""
        participant = service.add_participant(uow(), project_id, **data)
        return created(
            participant,
            "projects.Participant",
            project_id=project_id,
            participant_id=participant.id,
        )


@blp.route("/projects/<uuid:project_id>/participants/batch")
class ParticipantBatch(MethodView):
    @blp.operation("add_participants")
    @blp.arguments(ParticipantBatchSchema, example=PARTICIPANTS_EXAMPLE)
    @blp.response(200, ParticipantBatchReportSchema)
    def post(self, data, project_id):
        """Add many participants at once, all or nothing

        Each person by person_id or external_id, with roles. Someone already taking part
        gets the roles listed, so the same list sent twice changes nothing the second time
        (send an `Idempotency-Key` to have a retry replay the first answer). Any problem
        refuses the whole list with 422, each at `participants.<index>.<field>`.
        """
        outcomes = service.add_participants(uow(), project_id, data["participants"])
        counts = Counter({"created": 0, "updated": 0, "unchanged": 0})
        counts.update(o.outcome for o in outcomes)
        return {"counts": dict(counts), "results": outcomes}


@blp.route("/projects/<uuid:project_id>/participants/<uuid:participant_id>")
class Participant(MethodView):
    @blp.operation("get_participant")
    @blp.response(200, ParticipantSchema, headers=ETAG_HEADER)
    def get(self, project_id, participant_id):
        """Get a participant"""
        return with_etag(service.get_participant(uow(), project_id, participant_id))

    @blp.operation("update_participant")
    @blp.arguments(ParticipantUpdateSchema, example={"roles": ["member", "senior"]})
    @blp.response(200, ParticipantSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, participant_id):
        """Change a participant's roles"""
        return with_etag(
            service.update_participant(uow(), project_id, participant_id, changes, if_match())
        )

    @blp.operation("remove_participant")
    @blp.response(204)
    def delete(self, project_id, participant_id):
        """Remove a participant from the project"""
        service.remove_participant(uow(), project_id, participant_id, if_match())
