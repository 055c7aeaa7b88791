"""The effect of a project: its measures at the baseline against now."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import uow
from api.extensions import Blueprint
from api.resources.effect.schemas import EffectSchema
from domain.services import effect as service

blp = Blueprint(
    "effect",
    __name__,
    url_prefix="/api/v1/projects/<uuid:project_id>/effect",
    description="Measurement before and after: readiness, pulse surveys, indicators and "
    "the competence matrix, at the baseline against now.",
)


@blp.route("")
class Effect(MethodView):
    @blp.operation("get_effect")
    @blp.response(200, EffectSchema)
    def get(self, project_id):
        """Baseline against latest: readiness, pulse, indicators and the matrix

        Readiness: round 1 against the latest rated round. Pulse: each survey's first
        round against its latest closed one (means only where 3 or more answered; an open
        round is withheld). Indicators: first measurement against the latest. Matrix: per
        competence a service needs, team members at level 3 or more and single points of
        failure, when the project entered development against now.
        """
        return service.project_effect(uow(snapshot=True), project_id)
