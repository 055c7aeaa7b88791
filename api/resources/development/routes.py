"""The competence matrix and development: levels with history, what the team depends on,
development wishes and their priority, agreements with coaches, and peer check-ins."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, json
from flask.views import MethodView

from api import i18n
from api.conventions import ListArgsSchema, created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.fields import BatchResultSchema
from api.limits import bulk
from api.resources.development.schemas import (
    AGREEMENT_EXAMPLE,
    CHECK_IN_EXAMPLE,
    LEVELS_EXAMPLE,
    WISH_EXAMPLE,
    AgreementCreateSchema,
    AgreementQueryArgsSchema,
    AgreementSchema,
    AgreementUpdateSchema,
    CheckInCreateSchema,
    CheckInSchema,
    DependencySchema,
    HistoryQueryArgsSchema,
    LevelChangeSchema,
    LevelsBatchSchema,
    MatrixQueryArgsSchema,
    MatrixSchema,
    PrioritySchema,
    TeamMatrixSchema,
    WishCreateSchema,
    WishQueryArgsSchema,
    WishSchema,
)
from domain.competences import LEVELS, Competence
from domain.service_definition import Service
from domain.services import development as development
from domain.services import matrix as service
from domain.services.matrix import Matrix, TeamMatrix

blp = Blueprint(
    "development",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>",
    description="The competence matrix (editable from competence_mapping on) and the "
    "development agreements (from development on).",
)


def grid(project_id, m: Matrix) -> dict:
    """The matrix shaped for a grid: one row per participant, one column per competence.

    Its 20,000 cells are most of a large read's time, so the loop over them makes nothing
    it can share instead: a column's id is made text once, and cells of equal level and
    source share one dict (twenty-five in all). Rows and columns are found by the ids'
    integers: a UUID's hash and equality are Python code, which 40,000 lookups would call.
    """
    rows: dict[UUID, dict[str, Any]] = {
        p.id: {
            "id": str(p.id),
            "name": p.name,
            "roles": [r.value for r in p.roles],
            "left": p.left,
            "levels": {},
            "contributions": {},
        }
        for p in m.participants
    }
    levels_of = {pid.int: row["levels"] for pid, row in rows.items()}
    column = {c.id.int: str(c.id) for c in m.competences}
    shared: dict[tuple, dict] = {}
    cells = m.levels
    for participant_id, competence_id, level, source in zip(
        cells.participant_ids, cells.competence_ids, cells.levels, cells.sources, strict=True
    ):
        cell = shared.get((level, source))
        if cell is None:
            cell = shared[level, source] = {"level": level, "source": source.value}
        levels_of[participant_id.int][column[competence_id.int]] = cell
    for c in m.contributions:
        rows[c.participant_id]["contributions"][str(c.service_id)] = c.contribution
    competences, services = columns(m.competences, m.services)
    return {
        "project_id": str(project_id),
        "scale": scale(),
        "competences": list(competences.values()),
        "services": services,
        "participants": list(rows.values()),
    }


def columns(
    competences: list[Competence], services: list[Service]
) -> tuple[dict[UUID, dict[str, Any]], list[dict[str, str]]]:
    """The matrix's columns, the per-person grid's and the team view's alike: each
    competence with the services needing it (and how high), and the services."""
    needs: dict[UUID, list[dict[str, Any]]] = {c.id: [] for c in competences}
    for s in services:
        for r in s.required_competences:
            needs[r.competence_id].append({"service_id": str(s.id), "level": r.level})
    return (
        {
            c.id: {"id": str(c.id), "code": c.code, "name": c.name, "required_by": needs[c.id]}
            for c in competences
        },
        [{"id": str(s.id), "name": s.name} for s in services],
    )


def scale() -> dict[str, str]:
    return {str(n): i18n.render(name) for n, name in LEVELS.items()}


def team_grid(project_id: UUID, team: TeamMatrix) -> dict[str, Any]:
    """The team view shaped as the grid's columns, each with its counts and seniors."""
    competences, services = columns([t.competence for t in team.competences], team.services)
    return {
        "project_id": str(project_id),
        "scale": scale(),
        "competences": [
            {
                **competences[t.competence.id],
                "rated": t.rated,
                "holders": None if t.holders is None else {str(n): k for n, k in t.holders.items()},
                "withheld": t.withheld,
                "seniors": t.seniors,
            }
            for t in team.competences
        ],
        "services": services,
    }


@blp.route("/matrix")
class MatrixView(MethodView):
    @blp.operation("get_matrix")
    @blp.arguments(MatrixQueryArgsSchema, location="query")
    @blp.response(200, MatrixSchema)
    def get(self, args, project_id):
        """The competence matrix: each participant's level per competence, and
        contribution per service

        Competences are those the services need plus any other rated one. Consultants
        (and keys) read every participant's row. A participant reads their own row only,
        with `participant_id` set to their own participant id (403 otherwise); of the
        others they see the team view (`/matrix/team`): how many hold each level, and
        who the seniors are.
        """
        # Tens of thousands of cells: written as JSON directly; MatrixSchema documents it.
        read = service.matrix(uow(snapshot=True), project_id, args.get("participant_id"))
        return Response(json.dumps(grid(project_id, read)), mimetype="application/json")


@blp.route("/matrix/team")
class TeamMatrixView(MethodView):
    @blp.operation("get_team_matrix")
    @blp.response(200, TeamMatrixSchema)
    def get(self, project_id):
        """The team view of the matrix: per competence, how many hold each level, and
        who the seniors are

        All the team sees of each other's levels (nobody's own level, nor its history):
        per competence, the team members at each level 0–4, withheld while fewer than 3
        are rated in it (`withheld`), and the seniors at level 3 or more who can coach
        it. MT members and those who have left are not counted. Read by participants
        and consultants alike; a participant's own levels are in `/matrix` and
        `/matrix/history`, filtered to their own participant id.
        """
        return team_grid(project_id, service.team_matrix(uow(snapshot=True), project_id))


@blp.route("/matrix/levels")
class Levels(MethodView):
    @blp.operation("set_levels")
    @blp.unversioned
    @bulk
    @blp.arguments(LevelsBatchSchema, example=LEVELS_EXAMPLE)
    @blp.response(200, BatchResultSchema)
    def put(self, data, project_id):
        """Set many levels at once, all or nothing

        Validated as a whole: one invalid cell rejects the batch, with every error located
        (`levels.N.field`). Each change is kept in the history with its source.
        """
        return service.set_levels(uow(), project_id, data["levels"])


@blp.route("/matrix/history")
class History(MethodView):
    @blp.operation("list_level_history")
    @blp.arguments(HistoryQueryArgsSchema, location="query")
    @blp.response(200, LevelChangeSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """Every level change with its date and source: how the team grows

        A participant reads their own history only, with `participant_id` set to their
        own participant id (403 otherwise); nobody else's.
        """
        query = HistoryQueryArgsSchema().list_query(args)
        return paginated(service.level_history(uow(), project_id, query), query)


@blp.route("/dependencies")
class Dependencies(MethodView):
    @blp.operation("list_dependencies")
    @blp.response(200, DependencySchema(many=True))
    def get(self, project_id):
        """What the team depends on most, single points of failure flagged (derived)

        Ranked by demand (services needing it), then by holders (members at or above the
        level each service needs). Needed by a service and held by one person or nobody:
        a single point of failure, with the services at risk.
        """
        return service.team_dependencies(uow(snapshot=True), project_id)


@blp.route("/priorities")
class Priorities(MethodView):
    @blp.operation("list_priorities")
    @blp.response(200, PrioritySchema(many=True))
    def get(self, project_id):
        """Development wishes in order of priority, with the reason and candidate coaches"""
        return service.development_priorities(uow(snapshot=True), project_id)


@blp.route("/wishes")
class Wishes(MethodView):
    @blp.operation("list_wishes")
    @blp.arguments(WishQueryArgsSchema, location="query")
    @blp.response(200, WishSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List the development wishes"""
        query = WishQueryArgsSchema().list_query(args)
        return paginated(development.list_wishes(uow(), project_id, query), query)

    @blp.operation("create_wish")
    @blp.arguments(WishCreateSchema, example=WISH_EXAMPLE)
    @blp.response(201, WishSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Record a competence a participant wants to develop next year"""
        wish = development.make_wish(uow(), project_id, **data)
        return created(wish, "development.Wish", project_id=project_id, wish_id=wish.id)


@blp.route("/wishes/<uuid:wish_id>")
class Wish(MethodView):
    @blp.operation("get_wish")
    @blp.response(200, WishSchema, headers=ETAG_HEADER)
    def get(self, project_id, wish_id):
        """Get a development wish"""
        return with_etag(development.get_wish(uow(), project_id, wish_id))

    @blp.operation("delete_wish")
    @blp.response(204)
    def delete(self, project_id, wish_id):
        """Withdraw a development wish"""
        development.drop_wish(uow(), project_id, wish_id, if_match())


@blp.route("/agreements")
class Agreements(MethodView):
    @blp.operation("list_agreements")
    @blp.arguments(AgreementQueryArgsSchema, location="query")
    @blp.response(200, AgreementSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id):
        """List development agreements, e.g. those without a check-in for N days or overdue"""
        query = AgreementQueryArgsSchema().list_query(args)
        return paginated(development.list_agreements(uow(), project_id, query), query)

    @blp.operation("create_agreement")
    @blp.arguments(AgreementCreateSchema, example=AGREEMENT_EXAMPLE)
    @blp.response(201, AgreementSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, project_id):
        """Make a development agreement: a target above today's level, a senior coach, a date"""
        agreement = development.make_agreement(uow(), project_id, data)
        return created(
            agreement, "development.Agreement", project_id=project_id, agreement_id=agreement.id
        )


@blp.route("/agreements/<uuid:agreement_id>")
class Agreement(MethodView):
    @blp.operation("get_agreement")
    @blp.response(200, AgreementSchema, headers=ETAG_HEADER)
    def get(self, project_id, agreement_id):
        """Get an agreement with its last check-in"""
        return with_etag(development.get_agreement(uow(), project_id, agreement_id))

    @blp.operation("update_agreement")
    @blp.arguments(AgreementUpdateSchema, example={"status": "agreed"})
    @blp.response(200, AgreementSchema, headers=ETAG_HEADER)
    def patch(self, changes, project_id, agreement_id):
        """Move an agreement along, or change its target, coach or date

        Achieving it records the target level in the matrix (source `agreement`).
        """
        return with_etag(
            development.update_agreement(uow(), project_id, agreement_id, changes, if_match())
        )

    @blp.operation("delete_agreement")
    @blp.response(204)
    def delete(self, project_id, agreement_id):
        """Delete an agreement with its check-ins"""
        development.drop_agreement(uow(), project_id, agreement_id, if_match())


@blp.route("/agreements/<uuid:agreement_id>/check-ins")
class CheckIns(MethodView):
    @blp.operation("list_check_ins")
    @blp.arguments(ListArgsSchema, location="query")
    @blp.response(200, CheckInSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, project_id, agreement_id):
        """List the peer check-ins on an agreement, oldest first"""
        query = ListArgsSchema().list_query(args)
        return paginated(development.list_check_ins(uow(), project_id, agreement_id, query), query)

    @blp.operation("create_check_in")
    @blp.arguments(CheckInCreateSchema, example=CHECK_IN_EXAMPLE)
    @blp.response(201, CheckInSchema)
    def post(self, data, project_id, agreement_id):
        """A peer checks in on an agreement: on_track, at_risk or off_track"""
        return development.check_in(uow(), project_id, agreement_id, data), 201
