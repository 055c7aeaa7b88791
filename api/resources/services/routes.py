"""Service definition: the services a team delivers together, their groups, MT feedback,
and the coordinators that follow from the contributions."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.services.schemas import (
    CONTRIBUTOR_EXAMPLE,
    FEEDBACK_EXAMPLE,
    MEASUREMENT_EXAMPLE,
    SERVICE_EXAMPLE,
    ContributorCreateSchema,
    ContributorSchema,
    ContributorUpdateSchema,
    CoordinatorSchema,
    FeedbackCreateSchema,
    FeedbackQueryArgsSchema,
    FeedbackSchema,
    FeedbackUpdateSchema,
    IndicatorSchema,
    MeasurementCreateSchema,
    MeasurementSchema,
    ProjectFeedbackQueryArgsSchema,
    ServiceCreateSchema,
    ServiceSchema,
    ServiceUpdateSchema,
)
from domain.services import service_definition as service

blp = Blueprint(
    "services",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>",
    description="Services the team delivers to its internal clients. Each needs at least two "
    "contributors (its service group), deliverables and indicators; members contributing to "
    "two or more services coordinate. Editable from the service_definition phase on.",
)
SERVICE = "/services/<uuid:service_id>"


@blp.route("/services")
class Services(MethodView):
    @blp.operation("list_services")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, ServiceSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the services with their groups, competences and feedback counts"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_services(uow(), project_id, query), query)

    @blp.operation("create_service")
    @blp.arguments(ServiceCreateSchema, example=SERVICE_EXAMPLE)
    @blp.response(201, ServiceSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Define a service; its name is unique in the project"""
        defined = service.define_service(uow(), project_id, data)
        return created(defined, "services.Service", project_id=project_id, service_id=defined.id)


@blp.route(SERVICE)
class Service(MethodView):
    @blp.operation("get_service")
    @blp.response(200, ServiceSchema, headers=ETAG_HEADER)
    def get(self, project_id, service_id):
        """Get a service with its group"""
        return with_etag(service.get_service(uow(), project_id, service_id))

    @blp.operation("update_service")
    @blp.arguments(
        ServiceUpdateSchema, example={"indicators": ["Days until the workplace is ready"]}
    )
    @blp.response(200, ServiceSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, service_id):
        """Change a service; a list sent replaces the stored one"""
        return with_etag(service.update_service(uow(), project_id, service_id, changes, if_match()))

    @blp.operation("delete_service")
    @blp.response(204)
    def delete(self, project_id, service_id):
        """Delete a service with its group and feedback"""
        service.delete_service(uow(), project_id, service_id, if_match())


@blp.route(f"{SERVICE}/indicators")
class Indicators(MethodView):
    @blp.operation("list_indicators")
    @blp.response(200, IndicatorSchema(many=True))
    def get(self, project_id, service_id):
        """List a service's indicators, each with its latest measurement and trend"""
        return service.list_indicators(uow(), project_id, service_id)


@blp.route(f"{SERVICE}/indicators/<uuid:indicator_id>/measurements")
class Measurements(MethodView):
    @blp.operation("list_measurements")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, MeasurementSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id, service_id, indicator_id):
        """List an indicator's measurements, oldest first"""
        query = ListArgsSchema().list_query(args)
        return paginated(
            service.list_measurements(uow(), project_id, service_id, indicator_id, query), query
        )

    @blp.operation("create_measurement")
    @blp.arguments(MeasurementCreateSchema, example=MEASUREMENT_EXAMPLE)
    @blp.response(201, MeasurementSchema, headers=ETAG_HEADER)
    def post(self, data, project_id, service_id, indicator_id):
        """Record what an indicator measured on a day, and where the value comes from"""
        return with_etag(service.measure(uow(), project_id, service_id, indicator_id, data), 201)


@blp.route(f"{SERVICE}/contributors")
class Contributors(MethodView):
    @blp.operation("list_contributors")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, ContributorSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id, service_id):
        """List the service group"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_contributors(uow(), project_id, service_id, query), query)

    @blp.operation("add_contributor")
    @blp.arguments(ContributorCreateSchema, example=CONTRIBUTOR_EXAMPLE)
    @blp.response(201, ContributorSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id, service_id):
        """Add a participant to the service group, with what they contribute"""
        added = service.add_contributor(uow(), project_id, service_id, **data)
        return created(
            added,
            "services.Contributor",
            project_id=project_id,
            service_id=service_id,
            participant_id=added.participant_id,
        )


@blp.route(f"{SERVICE}/contributors/<uuid:participant_id>")
class Contributor(MethodView):
    @blp.operation("get_contributor")
    @blp.response(200, ContributorSchema, headers=ETAG_HEADER)
    def get(self, project_id, service_id, participant_id):
        """Get a participant's contribution to the service"""
        return with_etag(service.get_contributor(uow(), project_id, service_id, participant_id))

    @blp.operation("update_contributor")
    @blp.arguments(ContributorUpdateSchema, example={"contribution": "Runs the introduction days."})
    @blp.response(200, ContributorSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, service_id, participant_id):
        """Reword a contribution"""
        return with_etag(
            service.update_contribution(
                uow(), project_id, service_id, participant_id, changes, if_match()
            )
        )

    @blp.operation("remove_contributor")
    @blp.response(204)
    def delete(self, project_id, service_id, participant_id):
        """Remove a participant from the service group"""
        service.remove_contributor(uow(), project_id, service_id, participant_id, if_match())


@blp.route(f"{SERVICE}/feedback")
class ServiceFeedback(MethodView):
    @blp.operation("list_service_feedback")
    @blp.arguments(FeedbackQueryArgsSchema, location="query")
    @blp.response(200, FeedbackSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id, service_id):
        """List the MT feedback on a service"""
        query = FeedbackQueryArgsSchema().list_query(args).within(service_id=service_id)
        return paginated(service.list_feedback(uow(), project_id, query), query)

    @blp.operation("create_feedback")
    @blp.arguments(FeedbackCreateSchema, example=FEEDBACK_EXAMPLE)
    @blp.response(201, FeedbackSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id, service_id):
        """Record MT feedback on a service, from an mt_member participant or a named MT member"""
        given = service.give_feedback(uow(), project_id, service_id, **data)
        return created(
            given,
            "services.Feedback",
            project_id=project_id,
            service_id=service_id,
            feedback_id=given.id,
        )


@blp.route(f"{SERVICE}/feedback/<uuid:feedback_id>")
class Feedback(MethodView):
    @blp.operation("get_feedback")
    @blp.response(200, FeedbackSchema, headers=ETAG_HEADER)
    def get(self, project_id, service_id, feedback_id):
        """Get an MT feedback item"""
        return with_etag(service.get_feedback(uow(), project_id, service_id, feedback_id))

    @blp.operation("update_feedback")
    @blp.arguments(
        FeedbackUpdateSchema,
        example={"status": "processed", "response": "Added to the introduction programme."},
    )
    @blp.response(200, FeedbackSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, service_id, feedback_id):
        """Process MT feedback (status processed, with the group's response), or reword it"""
        return with_etag(
            service.update_feedback(uow(), project_id, service_id, feedback_id, changes, if_match())
        )


@blp.route("/feedback")
class ProjectFeedback(MethodView):
    @blp.operation("list_feedback")
    @blp.arguments(ProjectFeedbackQueryArgsSchema, location="query")
    @blp.response(200, FeedbackSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the MT feedback of the whole project, e.g. what is still open"""
        query = ProjectFeedbackQueryArgsSchema().list_query(args)
        return paginated(service.list_feedback(uow(), project_id, query), query)


@blp.route("/coordinators")
class Coordinators(MethodView):
    @blp.operation("list_coordinators")
    @blp.response(200, CoordinatorSchema(many=True))
    def get(self, project_id):
        """Who coordinates: everyone contributing to two or more services (derived)"""
        return service.list_coordinators(uow(), project_id)
