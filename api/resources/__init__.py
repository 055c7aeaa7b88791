"""One package per resource: ``routes.py`` (the views) and ``schemas.py`` (the shapes)."""

from api.resources.api_keys.routes import blp as api_keys
from api.resources.audit.routes import blp as audit
from api.resources.changes.routes import blp as changes
from api.resources.competences.routes import blp as competences
from api.resources.development.routes import blp as development
from api.resources.exports.routes import blp as exports
from api.resources.imports.routes import blp as imports
from api.resources.intake.routes import blp as intake
from api.resources.meetings.routes import blp as meetings
from api.resources.organisations.routes import blp as organisations
from api.resources.people.routes import blp as people
from api.resources.projects.routes import blp as projects
from api.resources.reminders.routes import blp as reminders
from api.resources.services.routes import blp as services
from api.resources.system.routes import blp as system
from api.resources.themes.routes import blp as themes
from api.resources.webhooks.routes import blp as webhooks

BLUEPRINTS = [
    system,
    api_keys,
    organisations,
    people,
    competences,
    projects,
    intake,
    services,
    development,
    meetings,
    themes,
    exports,
    imports,
    audit,
    changes,
    webhooks,
    reminders,
]
