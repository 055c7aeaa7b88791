"""Operator commands: ``flask --app wsgi <command>``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from domain.access import Role, Scope
from domain.errors import DomainError
from domain.services.access import (
    create_api_key,
    create_workspace,
    find_workspace,
    workspace_count,
)
from repositories.migrate import upgrade
from repositories.unit_of_work import SqlUnitOfWork


def _state():
    return current_app.extensions["od"]


def _uow_for(scope):
    return SqlUnitOfWork(_state().engine, scope)


def register(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate():
        """Bring the database schema to the newest revision."""
        upgrade(_state().engine)
        click.echo("Database migrated to the newest schema.")

    @app.cli.command("translations")
    def translations():
        """Bring the Dutch catalogue up to date with the code; list what is untranslated."""
        from api.catalogue import update

        left = update()
        for gap in left:
            click.echo(f"{gap.language}: {gap.msgid!r}: {gap.why}")
        click.echo(f"{len(left)} message(s) to translate." if left else "Every message translated.")

    workspace = AppGroup("workspace", help="Workspaces (tenants).")
    app.cli.add_command(workspace)

    @workspace.command("create")
    @click.argument("name")
    def create(name):
        """Create a workspace; prints its first admin key on the last line."""
        ws, _key, secret = create_workspace(_uow_for, _state().hasher, name)
        click.echo(f"Workspace {ws.name!r} created ({ws.id}). Its admin key (shown once):")
        click.echo(secret)

    keys = AppGroup("keys", help="API keys of an existing workspace.")
    app.cli.add_command(keys)

    @keys.command("create")
    @click.option("--workspace", "workspace_ref", required=True, help="Its id or its name.")
    @click.option(
        "--role",
        type=click.Choice([role.value for role in Role]),
        default=Role.ADMIN.value,
        show_default=True,
    )
    @click.option("--name", default="Operator key", show_default=True, help="What it is for.")
    def create_key(workspace_ref, role, name):
        """Issue a key for an existing workspace (a lost admin key); prints it on the last
        line. The workspace's other keys keep working: revoke a leaked one through the API."""
        state = _state()
        try:
            ws = find_workspace(SqlUnitOfWork(state.engine, scope=None, write=False), workspace_ref)
            key, secret = create_api_key(
                _uow_for(Scope(workspace_id=ws.id)),
                state.hasher,
                name=name,
                role=Role(role),
                organisation_id=None,
            )
        except DomainError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"Key {key.name!r} ({key.role}, {key.id}) for workspace {ws.name!r} ({ws.id}),")
        click.echo("shown once:")
        click.echo(secret)

    @app.cli.command("setup")
    def setup():
        """Migrate; on an empty database create a workspace and admin key; say how to start."""
        state = _state()
        upgrade(state.engine)
        settings = state.settings
        base = settings.public_url
        if workspace_count(SqlUnitOfWork(state.engine, scope=None, write=False)):
            click.echo(f"Database ready. API docs: {base}/api/v1/docs")
            return
        secret = settings.bootstrap_api_key
        ws, _key, secret = create_workspace(_uow_for, state.hasher, "My consultancy", secret)
        click.echo(
            "\n".join(
                [
                    "",
                    f"Created workspace {ws.name!r} with an admin API key (shown only now):",
                    "",
                    f"    {secret}",
                    "",
                    f"API docs (interactive): {base}/api/v1/docs",
                    f"OpenAPI document:       {base}/api/v1/openapi.json",
                    "First call to try:",
                    f"    curl -H 'Authorization: Bearer {secret}' {base}/api/v1/organisations",
                    "",
                ]
            )
        )
