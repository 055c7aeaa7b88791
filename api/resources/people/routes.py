"""People of an organisation, and what an HRIS calls to keep them in step."""

from __future__ import annotations

from collections import Counter

from flask import request
from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.limits import bulk
from api.resources.people.schemas import (
    HRIS_PERSON_EXAMPLE,
    PERSON_EXAMPLE,
    SYNC_EXAMPLE,
    HrisPersonSchema,
    PersonCreateSchema,
    PersonQueryArgsSchema,
    PersonSchema,
    PersonUpdateSchema,
    SyncReportSchema,
    SyncSchema,
)
from domain.services import people as service

blp = Blueprint(
    "people",
    __name__,
    url_prefix="/api/v1",
    description="Employees of client organisations; an HRIS keeps them in step by external_id.",
)


@blp.route("/organisations/<uuid:organisation_id>/people")
class People(MethodView):
    @blp.operation("list_people")
    @blp.arguments(PersonQueryArgsSchema, location="query")
    @blp.response(200, PersonSchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args, organisation_id):
        """List the people of an organisation"""
        query = PersonQueryArgsSchema().list_query(args)
        return paginated(service.list_people(uow(), organisation_id, query), query)

    @blp.operation("create_person")
    @blp.arguments(PersonCreateSchema, example=PERSON_EXAMPLE)
    @blp.response(201, PersonSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data, organisation_id):
        """Add a person to an organisation"""
        person = service.create_person(uow(), organisation_id, data)
        return created(person, "people.Person", person_id=person.id)


@blp.route("/people/<uuid:person_id>")
class Person(MethodView):
    @blp.operation("get_person")
    @blp.response(200, PersonSchema, headers=ETAG_HEADER)
    def get(self, person_id):
        """Get a person"""
        return with_etag(service.get_person(uow(), person_id))

    @blp.operation("update_person")
    @blp.arguments(PersonUpdateSchema, example=HRIS_PERSON_EXAMPLE)
    @blp.response(200, PersonSchema, headers=ETAG_HEADER)
    def patch(self, changes, person_id):
        """Change a person; set `active` to false when they leave"""
        return with_etag(service.update_person(uow(), person_id, changes, if_match()))

    @blp.operation("erase_person")
    @blp.response(204)
    def delete(self, person_id):
        """Erase a person (GDPR)

        Someone no project refers to is deleted. Otherwise name, e-mail and external id
        are removed everywhere and their contributions stay, unattributed.
        """
        service.erase_person(uow(), person_id, if_match())


@blp.route("/organisations/<uuid:organisation_id>/people/external/<external_id:external_id>")
class PersonByExternalId(MethodView):
    @blp.operation("get_person_by_external_id")
    @blp.response(200, PersonSchema, headers=ETAG_HEADER)
    def get(self, organisation_id, external_id):
        """Get a person by the HRIS's id"""
        return with_etag(service.get_person_by_external_id(uow(), organisation_id, external_id))

    @blp.operation("upsert_person_by_external_id")
    @blp.arguments(HrisPersonSchema, example=HRIS_PERSON_EXAMPLE)
    @blp.response(200, PersonSchema, headers=ETAG_HEADER, description="Updated, or unchanged.")
    @blp.alt_response(
        201,
        schema=PersonSchema,
        description="Created.",
        headers={**ETAG_HEADER, **LOCATION_HEADER},
        success=True,
    )
    def put(self, data, organisation_id, external_id):
        """Create or update a person by the HRIS's id

        Sets name and whichever of email, active and team_id the body sends; a field left
        out keeps its stored value, an explicit null clears it. Sending the same body
        again changes nothing: no new version, no audit record.
        """
        person, was_created = service.upsert_person_by_external_id(
            uow(),
            organisation_id,
            external_id,
            data,
            if_match(),
            must_exist="If-Match" in request.headers,
        )
        if was_created:
            return created(person, "people.Person", person_id=person.id)
        return with_etag(person)


@blp.route("/organisations/<uuid:organisation_id>/people/sync")
class PeopleSync(MethodView):
    @blp.operation("sync_people")
    @bulk
    @blp.arguments(SyncSchema, example=SYNC_EXAMPLE)
    @blp.response(200, SyncReportSchema)
    def post(self, data, organisation_id):
        """Apply an HRIS's full list of people, all or nothing

        Upserts everyone listed by external_id: an item's fields left out keep their
        stored values, an explicit null clears them. With `deactivate_absent`, deactivates
        the HRIS-managed people the list leaves out (never deletes them) and activates
        those it lists without `active`. Answers an outcome per person.
        """
        outcomes = service.sync_people(
            uow(), organisation_id, data["people"], data["deactivate_absent"]
        )
        counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0})
        counts.update(o.outcome for o in outcomes)
        return {"counts": dict(counts), "results": outcomes}
