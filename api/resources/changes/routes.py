"""The change feed: what was created, updated and deleted, in commit order."""

from __future__ import annotations

from flask.views import MethodView

from api.conventions import uow
from api.extensions import Blueprint
from api.resources.changes.schemas import ChangesPageSchema, ChangesQueryArgsSchema, cursor
from domain.services import changes as service

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/api/v1",
    description="Every committed change, deletions included, for integrations to follow.",
)


@blp.route("/changes")
class Changes(MethodView):
    @blp.operation("list_changes")
    @blp.arguments(ChangesQueryArgsSchema, location="query")
    @blp.response(200, ChangesPageSchema)
    @blp.doc(responses={404: {"$ref": "#/components/responses/NOT_FOUND"}})  # organisation_id
    def get(self, args):
        """List changes in the order they were committed, from a cursor

        Deletions show here (and only here and in the audit trail): an integration that
        mirrors data follows this feed rather than `updated_since`. A key restricted to an
        organisation sees that organisation's changes and the workspace's own (competences,
        themes). Changes to API keys and webhooks are left out.
        """
        page = service.list_changes(
            uow(),
            args["since"],
            args["limit"],
            organisation_id=args.get("organisation_id"),
            types=args["types"],
        )
        return {
            "changes": page.changes,
            "next_cursor": cursor(page.position),
            "has_more": page.more,
        }
