"""Generated API testing: schemathesis derives requests from the app's own OpenAPI
document, sends them with the admin key of a test workspace, and checks every answer
against the same document (quality.md: 0 server errors, 0 responses that violate the
published schema).

It does so three times over, with each kind of credential the contract names: the
workspace's admin key; the access token of a consultant signed in through the local
OpenID provider; and that of a participant signed in, whose calls are aimed at their own
project and participant (what schemathesis makes up for a project or participant id is
replaced by theirs), so that what a participant may do is tried for real and not only
refused.

``schemathesis.toml`` at the project root bounds the run and names the checks: server
errors, status codes, content types, response bodies and headers as documented, invalid
input refused, authentication not ignored, and nothing served after its deletion.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from api import create_app
from api.settings import Settings
from tests import builders
from tests.conftest import Workspace, empty_database

CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"

# The import files the contract takes besides JSON: rows of people as NDJSON and CSV (any
# text, so both good rows and bad ones are tried), and bytes that may or may not be a
# workbook. Their form is the app's to check; the contract says only "a file".
_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_characters=',\r\n"'), max_size=12)
_people = st.lists(st.fixed_dictionaries({"external_id": _cell, "name": _cell}), max_size=4)
schemathesis.openapi.media_type(
    "application/x-ndjson",
    _people.map(lambda rows: "".join(json.dumps(r) + "\n" for r in rows).encode()),
)
schemathesis.openapi.media_type(
    "text/csv",
    _people.map(
        lambda rows: (
            "external_id,name\n" + "".join(f"{r['external_id']},{r['name']}\n" for r in rows)
        ).encode()
    ),
)
schemathesis.openapi.media_type(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    st.binary(max_size=64) | st.just(b"PK\x03\x04"),
)


def served_contract():
    """The document as the app serves it, fetched over WSGI when pytest collects the
    tests (it parametrises over the operations before any fixture exists). The document
    does not depend on data, so this app never opens its database; the requests go to
    the suite's ``app``."""
    app = create_app(
        Settings(
            database_url="sqlite://",
            secret_key=b"contract",
            bootstrap_api_key=None,
            instance_path=Path(tempfile.gettempdir()),
            cors_origins=[],
            redis_url=None,
        )
    )
    config = SchemathesisConfig.from_path(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def bearer(contract):
    """The credential a contract's calls carry (``bearerAuth`` or ``openId``: both are a
    bearer token), set by the running test; one per contract, so each test sends its own."""

    @contract.auth(refresh_interval=None)  # changes with every test: never cached
    class Bearer:
        secret: str | None = None

        def get(self, case, context):
            return Bearer.secret  # None while pytest collects: nothing to set yet

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return Bearer


schema = served_contract()
as_consultant = served_contract()
as_participant = served_contract()
AdminKey, ConsultantToken, ParticipantToken = map(bearer, (schema, as_consultant, as_participant))

# The running participant's own project and participant: what their calls are aimed at.
OWN: dict[str, str] = {}
ANY_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def _own(name: str, value):
    """Their own id instead of a made-up one; anything that is no id (an invalid value the
    test tries on purpose) is left as it is."""
    if name in OWN and isinstance(value, str) and ANY_UUID.match(value):
        return OWN[name]
    return value


def aimed_at_their_own(case) -> None:
    """The participant's own project and participant wherever the case names one (in the
    path, the query, the body or each of a batch's ``levels``); only ids are replaced, so
    a case that is invalid on purpose stays just as invalid."""
    case.path_parameters = _mine(case.path_parameters)
    case.query = _mine(case.query)
    if isinstance(case.body, dict):
        case.body = _mine(case.body)
        if isinstance(case.body.get("levels"), list):
            case.body["levels"] = [_mine(item) for item in case.body["levels"]]


def _mine(values):
    if not isinstance(values, dict):
        return values
    return {name: _own(name, value) for name, value in values.items()}


@pytest.fixture(autouse=True)
def admin_key(workspace):
    """A workspace for the whole test (the database is emptied after it, as always)."""
    AdminKey.secret = workspace.admin.secret
    yield
    AdminKey.secret = None


@pytest.fixture
def consultant(workspace, oidc):
    ConsultantToken.secret = workspace.user(oidc, "consultant").secret
    yield
    ConsultantToken.secret = None


@pytest.fixture
def participant(workspace, oidc):
    """A member of a project in development (a coached team: services, a competence,
    levels, a wish), signed in; their calls go to that project, as themselves."""
    team = builders.coached_team(workspace.admin)
    me = team.members[0]
    ParticipantToken.secret = workspace.user(oidc, "participant", me["person_id"]).secret
    OWN.update(project_id=team.project["id"], participant_id=me["id"])
    yield
    ParticipantToken.secret = None
    OWN.clear()


@schema.parametrize()
# The examples of one operation share the test's workspace: what one creates is there for
# the next to find, as it would be for a real client.
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_its_contract_says(case, app):
    case.call_and_validate(app=app)


@as_consultant.parametrize()
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_answers_a_consultant_signed_in_as_its_contract_says(case, app, consultant):
    case.call_and_validate(app=app)


@as_participant.parametrize()
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_answers_a_participant_signed_in_as_its_contract_says(
    case, app, participant
):
    aimed_at_their_own(case)
    case.call_and_validate(app=app)


def test_sequences_of_calls_keep_the_contract(app):
    """Stateful: operations chained through the ids and Location headers they answer
    (create, read, change, delete, then read again: what was deleted must be gone)."""

    class Sequences(schema.as_state_machine()):
        """Each sequence starts from an empty database and a new workspace, so what one
        sequence left behind cannot change what the next one is offered to do."""

        def setup(self):
            AdminKey.secret = Workspace(app, "Sequences").admin.secret

        def teardown(self):
            empty_database(app)

        def get_call_kwargs(self, case):
            return {"app": app}

    # Bounded by schemathesis.toml like the rest: examples, steps, deterministic.
    settings = schema.config.get_hypothesis_settings(phase="stateful")
    Sequences.run(
        settings=hypothesis.settings(settings, suppress_health_check=list(hypothesis.HealthCheck))
    )
