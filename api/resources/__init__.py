"""One package per resource: ``routes.py`` (the views) and ``schemas.py`` (the shapes)."""

from api.resources.actions.routes import blp as actions
from api.resources.api_keys.routes import blp as api_keys
from api.resources.audit.routes import blp as audit
from api.resources.changes.routes import blp as changes
from api.resources.competences.routes import blp as competences
from api.resources.development.routes import blp as development
from api.resources.effect.routes import blp as effect
from api.resources.export_jobs.routes import blp as export_jobs
from api.resources.exports.routes import blp as exports
from api.resources.imports.routes import blp as imports
from api.resources.intake.routes import blp as intake
from api.resources.meetings.routes import blp as meetings
from api.resources.organisations.routes import blp as organisations
from api.resources.people.routes import blp as people
from api.resources.projects.routes import blp as projects
from api.resources.pulse.routes import blp as pulse
from api.resources.reminders.routes import blp as reminders
from api.resources.reports.routes import blp as reports
from api.resources.services.routes import blp as services
from api.resources.system.routes import blp as system
from api.resources.themes.routes import blp as themes
from api.resources.users.routes import blp as users
from api.resources.webhooks.routes import blp as webhooks
from api.resources.workspace.routes import blp as workspace

BLUEPRINTS = [
    system,
    api_keys,
    workspace,
    users,
    organisations,
    people,
    competences,
    projects,
    intake,
    services,
    development,
    meetings,
    actions,
    themes,
    pulse,
    effect,
    exports,
    export_jobs,
    reports,
    imports,
    audit,
    changes,
    webhooks,
    reminders,
]
