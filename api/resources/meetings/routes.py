"""Joint meetings, their commitments, and the round of the table on what each did."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.meetings.schemas import (
    COMMITMENT_EXAMPLE,
    MEETING_EXAMPLE,
    REPORT_EXAMPLE,
    ActionReportCreateSchema,
    ActionReportSchema,
    CommitmentCreateSchema,
    CommitmentSchema,
    MeetingCreateSchema,
    MeetingQueryArgsSchema,
    MeetingSchema,
    MeetingUpdateSchema,
    RoundSchema,
)
from domain.services import meetings as service

blp = Blueprint(
    "meetings",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>",
    description="Meetings across management layers with their ground rules, the commitments "
    "made there, and the action reports given on them at later meetings.",
)
MEETING = "/meetings/<uuid:meeting_id>"


@blp.route("/meetings")
class Meetings(MethodView):
    @blp.operation("list_meetings")
    @blp.arguments(MeetingQueryArgsSchema, location="query")
    @blp.response(200, MeetingSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the meetings, by date"""
        query = MeetingQueryArgsSchema().list_query(args)
        return paginated(service.list_meetings(uow(), project_id, query), query)

    @blp.operation("create_meeting")
    @blp.arguments(MeetingCreateSchema, example=MEETING_EXAMPLE)
    @blp.response(201, MeetingSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Record a meeting: kind, date, topic, attendees and ground rules"""
        meeting = service.hold_meeting(uow(), project_id, data)
        return created(meeting, "meetings.Meeting", project_id=project_id, meeting_id=meeting.id)


@blp.route(MEETING)
class Meeting(MethodView):
    @blp.operation("get_meeting")
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    def get(self, project_id, meeting_id):
        """Get a meeting"""
        return with_etag(service.get_meeting(uow(), project_id, meeting_id))

    @blp.operation("update_meeting")
    @blp.arguments(MeetingUpdateSchema, example={"ground_rules": ["We speak for ourselves"]})
    @blp.response(200, MeetingSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, meeting_id):
        """Change a meeting; a list sent replaces the stored one"""
        return with_etag(service.update_meeting(uow(), project_id, meeting_id, changes, if_match()))

    @blp.operation("delete_meeting")
    @blp.response(204)
    def delete(self, project_id, meeting_id):
        """Delete a meeting with its commitments and reports"""
        service.delete_meeting(uow(), project_id, meeting_id, if_match())


@blp.route(f"{MEETING}/commitments")
class Commitments(MethodView):
    @blp.operation("list_commitments")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, CommitmentSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id, meeting_id):
        """List the commitments made in a meeting"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_commitments(uow(), project_id, meeting_id, query), query)

    @blp.operation("create_commitment")
    @blp.arguments(CommitmentCreateSchema, example=COMMITMENT_EXAMPLE)
    @blp.response(201, CommitmentSchema)
    def post(self, data, project_id, meeting_id):
        """Record a commitment; its owners are all attendees unless named"""
        return service.commit(uow(), project_id, meeting_id, data), 201


@blp.route(f"{MEETING}/action-reports")
class ActionReports(MethodView):
    @blp.operation("list_action_reports")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, ActionReportSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id, meeting_id):
        """List the action reports given at a meeting"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_action_reports(uow(), project_id, meeting_id, query), query)

    @blp.operation("create_action_report")
    @blp.arguments(ActionReportCreateSchema, example=REPORT_EXAMPLE)
    @blp.response(201, ActionReportSchema)
    def post(self, data, project_id, meeting_id):
        """An attendee answers: what did you do to realise this commitment?"""
        return service.report_action(uow(), project_id, meeting_id, data), 201


@blp.route(f"{MEETING}/round")
class Round(MethodView):
    @blp.operation("get_round")
    @blp.response(200, RoundSchema)
    def get(self, project_id, meeting_id):
        """The round of the table: per commitment, the reports and who has not answered"""
        return service.round_at(uow(), project_id, meeting_id)
