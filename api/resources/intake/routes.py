"""The collective intake: findings, grievances, readiness and the team's conclusion."""

from __future__ import annotations

from flask import g
from flask.views import MethodView

from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.intake.schemas import (
    CONCLUSION_EXAMPLE,
    FINDING_EXAMPLE,
    GRIEVANCE_EXAMPLE,
    RATING_EXAMPLE,
    ConclusionSchema,
    ConclusionWriteSchema,
    FindingSchema,
    FindingWriteSchema,
    GrievanceCreateSchema,
    GrievanceQueryArgsSchema,
    GrievanceSchema,
    GrievanceUpdateSchema,
    IntakeSchema,
    RatingQueryArgsSchema,
    RatingSchema,
    RatingWriteSchema,
    ReadinessSummarySchema,
    RoundReadinessSchema,
)
from domain.services import intake as service

blp = Blueprint(
    "intake",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>/intake",
    description="The collective intake: the current situation, grievances, and whether the "
    "team has the desire and energy to improve and thinks it feasible.",
)


@blp.route("")
class Intake(MethodView):
    @blp.operation("get_intake")
    @blp.response(200, IntakeSchema)
    def get(self, project_id):
        """The whole intake, with what the gate to service definition still needs"""
        return service.overview(uow(), project_id)


@blp.route("/findings")
class Findings(MethodView):
    @blp.operation("list_findings")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, FindingSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the findings"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_findings(uow(), project_id, query), query)

    @blp.operation("create_finding")
    @blp.arguments(FindingWriteSchema, example=FINDING_EXAMPLE)
    @blp.response(201, FindingSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Record a finding about the current situation"""
        finding = service.record_finding(uow(), project_id, **data)
        return created(finding, "intake.Finding", project_id=project_id, finding_id=finding.id)


@blp.route("/findings/<uuid:finding_id>")
class Finding(MethodView):
    @blp.operation("get_finding")
    @blp.response(200, FindingSchema, headers=ETAG_HEADER)
    def get(self, project_id, finding_id):
        """Get a finding"""
        return with_etag(service.get_finding(uow(), project_id, finding_id))

    @blp.operation("update_finding")
    @blp.arguments(FindingWriteSchema, example=FINDING_EXAMPLE)
    @blp.response(200, FindingSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, finding_id):
        """Reword a finding"""
        return with_etag(service.update_finding(uow(), project_id, finding_id, changes, if_match()))

    @blp.operation("delete_finding")
    @blp.response(204)
    def delete(self, project_id, finding_id):
        """Delete a finding"""
        service.delete_finding(uow(), project_id, finding_id, if_match())


@blp.route("/grievances")
class Grievances(MethodView):
    @blp.operation("list_grievances")
    @blp.arguments(GrievanceQueryArgsSchema, location="query")
    @blp.response(200, GrievanceSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the grievances"""
        query = GrievanceQueryArgsSchema().list_query(args)
        return paginated(service.list_grievances(uow(), project_id, query), query)

    @blp.operation("create_grievance")
    @blp.arguments(GrievanceCreateSchema, example=GRIEVANCE_EXAMPLE)
    @blp.response(201, GrievanceSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Air a grievance, signed by a participant or anonymous

        An anonymous grievance is stored without any author: it cannot be traced back.
        """
        grievance = service.air_grievance(uow(), project_id, **data)
        return created(
            grievance, "intake.Grievance", project_id=project_id, grievance_id=grievance.id
        )


@blp.route("/grievances/<uuid:grievance_id>")
class Grievance(MethodView):
    @blp.operation("get_grievance")
    @blp.response(200, GrievanceSchema, headers=ETAG_HEADER)
    def get(self, project_id, grievance_id):
        """Get a grievance"""
        return with_etag(service.get_grievance(uow(), project_id, grievance_id))

    @blp.operation("update_grievance")
    @blp.arguments(GrievanceUpdateSchema, example={"text": GRIEVANCE_EXAMPLE["text"]})
    @blp.response(200, GrievanceSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, grievance_id):
        """Reword a grievance (its author, or anonymity, cannot change)"""
        return with_etag(
            service.update_grievance(uow(), project_id, grievance_id, changes, if_match())
        )

    @blp.operation("delete_grievance")
    @blp.response(204)
    def delete(self, project_id, grievance_id):
        """Delete a grievance"""
        service.delete_grievance(uow(), project_id, grievance_id, if_match())


@blp.route("/readiness")
class Readiness(MethodView):
    @blp.operation("get_readiness_summary")
    @blp.response(200, ReadinessSummarySchema)
    def get(self, project_id):
        """How ready the team says it is: count, mean and median per dimension

        The current round's, the MT members' ratings apart, with every round compared
        with the baseline (the intake's round). A participant sees no mean or median over
        fewer than 3 ratings (`withheld`).
        """
        return service.readiness_summary(
            uow(), project_id, for_the_team=g.principal.role.acts_for_itself
        )


@blp.route("/readiness/rounds")
class ReadinessRounds(MethodView):
    @blp.operation("list_readiness_rounds")
    @blp.response(200, RoundReadinessSchema(many=True))
    def get(self, project_id):
        """Every round of readiness ratings, oldest first, compared with the baseline"""
        return service.readiness_rounds(
            uow(), project_id, for_the_team=g.principal.role.acts_for_itself
        )

    @blp.operation("open_readiness_round")
    @blp.response(201, RoundReadinessSchema)
    def post(self, project_id):
        """Open the next round of readiness ratings (later measurement)

        From now on ratings go into the new round; earlier rounds' ratings stay as they
        were. Refused (409) while the current round has no rating yet.
        """
        return service.open_readiness_round(uow(), project_id), 201


@blp.route("/readiness/<uuid:participant_id>")
class Rating(MethodView):
    @blp.operation("get_readiness_rating")
    @blp.arguments(RatingQueryArgsSchema, location="query")
    @blp.response(200, RatingSchema, headers=ETAG_HEADER)
    def get(self, args, project_id, participant_id):
        """Get a participant's readiness rating in the current round (or the one asked)"""
        return with_etag(service.get_rating(uow(), project_id, participant_id, **args))

    @blp.operation("rate_readiness")
    @blp.arguments(RatingWriteSchema, example=RATING_EXAMPLE)
    @blp.response(200, RatingSchema, headers=ETAG_HEADER, description="Replaced.")
    @blp.alt_response(
        201, schema=RatingSchema, description="Created.", headers=ETAG_HEADER, success=True
    )
    def put(self, data, project_id, participant_id):
        """Set a participant's desire, energy and feasibility (each 1 to 5) in the current round"""
        rating, was_created = service.rate_readiness(
            uow(), project_id, participant_id, data, if_match()
        )
        return with_etag(rating, 201 if was_created else 200)


@blp.route("/conclusion")
class Conclusion(MethodView):
    @blp.operation("get_conclusion")
    @blp.response(200, ConclusionSchema, headers=ETAG_HEADER)
    def get(self, project_id):
        """Get the team's conclusion of the intake"""
        return with_etag(service.get_conclusion(uow(), project_id))

    @blp.operation("put_conclusion")
    @blp.arguments(ConclusionWriteSchema, example=CONCLUSION_EXAMPLE)
    @blp.response(200, ConclusionSchema, headers=ETAG_HEADER)
    def put(self, data, project_id):
        """Record the team's conclusion: is it ready to improve?"""
        return with_etag(service.conclude(uow(), project_id, data, if_match()))
