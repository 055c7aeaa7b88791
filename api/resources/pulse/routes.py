"""Pulse surveys: short surveys answered anonymously in rounds, shown only in aggregate."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.pulse.schemas import (
    ANSWER_EXAMPLE,
    SURVEY_EXAMPLE,
    PulseResultSchema,
    ReceiptSchema,
    ResponseCreateSchema,
    SurveyCreateSchema,
    SurveySchema,
)
from domain.services import pulse as service

blp = Blueprint(
    "pulse",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>/surveys",
    description="Pulse surveys: a few scale and open questions (trust, knowledge sharing, "
    "job satisfaction, the MT's complaints) answered anonymously by the participants, once "
    "per round. A round's results are shown once it is closed (by opening the next round) "
    "and only from 3 answers on: results that changed with every answer, or a round of one "
    "or two, would give away who answered what.",
)
SURVEY = "/<uuid:survey_id>"


@blp.route("")
class Surveys(MethodView):
    @blp.operation("list_surveys")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, SurveySchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the pulse surveys"""
        query = ListArgsSchema().list_query(args)
        return paginated(service.list_surveys(uow(), project_id, query), query)

    @blp.operation("create_survey")
    @blp.arguments(SurveyCreateSchema, example=SURVEY_EXAMPLE)
    @blp.response(201, SurveySchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Define a pulse survey: its questions get ids, answers go into round 1"""
        survey = service.define_survey(uow(), project_id, **data)
        return created(survey, "pulse.Survey", project_id=project_id, survey_id=survey.id)


@blp.route(SURVEY)
class Survey(MethodView):
    @blp.operation("get_survey")
    @blp.response(200, SurveySchema, headers=ETAG_HEADER)
    def get(self, project_id, survey_id):
        """Get a pulse survey"""
        return with_etag(service.get_survey(uow(), project_id, survey_id))

    @blp.operation("delete_survey")
    @blp.response(204)
    def delete(self, project_id, survey_id):
        """Delete a pulse survey with its answers"""
        service.delete_survey(uow(), project_id, survey_id, if_match())


@blp.route(f"{SURVEY}/rounds")
class Rounds(MethodView):
    @blp.operation("open_survey_round")
    @blp.response(200, SurveySchema, headers=ETAG_HEADER)
    def post(self, project_id, survey_id):
        """Close the current round and open the next (a later measurement)

        Answers go into the new round from now on, and the closed round's results are shown
        (from 3 answers on). Refused (409) while nobody has answered the current round.
        """
        return with_etag(service.open_round(uow(), project_id, survey_id, if_match()))


@blp.route(f"{SURVEY}/responses")
class Responses(MethodView):
    @blp.operation("answer_survey")
    @blp.arguments(ResponseCreateSchema, example=ANSWER_EXAMPLE)
    @blp.response(201, ReceiptSchema)
    def post(self, data, project_id, survey_id):
        """Answer the survey's current round, anonymously, once per participant

        The answers are stored without the participant, a user or a time; only that the
        participant answered in this round is kept, apart, so a second answer is refused
        (409). The answer names nothing but the survey and the round: its audit record
        has no actor, the request's log line no caller, and an Idempotency-Key is not kept
        (a retry is refused as a second answer). The round's results stay withheld until it
        is closed, so reading them before and after an answer shows nothing of it.
        """
        # The integrator binds participant_id to the signed-in participant here.
        survey = service.answer(
            uow(), project_id, survey_id, data["participant_id"], data["answers"]
        )
        return {"survey_id": survey.id, "round": survey.round}, 201


@blp.route(f"{SURVEY}/results")
class Results(MethodView):
    @blp.operation("get_survey_results")
    @blp.response(200, PulseResultSchema(many=True))
    def get(self, project_id, survey_id):
        """The results of every round, aggregated; withheld while open and below 3 answers

        A round is shown once closed (the next round opened) and holding 3 answers or more;
        until then only its number of answers, with the reason in `withheld`.
        """
        return service.survey_results(uow(), project_id, survey_id)
