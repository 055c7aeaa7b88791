"""A second yardstick for the small-reads row: the plainest route that still reads the
project from the database, with one SQLAlchemy Core query and the API's own marshmallow
schema, and nothing else (no key, no rate limit, no request line, no unit of work).

quality.md sets the API against the bare route alone; this one shows, in the same run,
how much of the distance is the stack's floor (a query through SQLAlchemy, a schema, a
JSON body) and how much is what the API adds to it. It reads in autocommit, one round
trip, as the API's reads do.
"""

import os
import uuid

from flask import Flask, jsonify
from sqlalchemy import bindparam, create_engine, make_url, select

from api.resources.projects.schemas import ProjectSchema
from repositories.tables import projects

# SQLAlchemy's own dialects, not the API's (which begin a transaction unless told it is a
# read): the server's URL may name either.
url = make_url(os.environ["DATABASE_URL"])
postgresql = url.get_backend_name() == "postgresql"
engine = create_engine(
    url.set(drivername="postgresql+psycopg" if postgresql else "sqlite"),
    **({"isolation_level": "AUTOCOMMIT"} if postgresql else {}),
)
by_id = select(projects).where(projects.c.id == bindparam("id"))
schema = ProjectSchema()
app = Flask(__name__)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/projects/<uuid:project_id>")
def project(project_id: uuid.UUID):
    with engine.connect() as connection:
        row = connection.execute(by_id, {"id": project_id}).mappings().first()
    return jsonify(schema.dump(row))
