#!/bin/sh
# The image's entry point: bring the database to the newest schema (on an empty one, also
# create the first workspace and print its admin key, BOOTSTRAP_API_KEY if set), then run
# the command, by default gunicorn with gunicorn.conf.py. `flask --app wsgi setup` is
# idempotent; with several instances, migrate once per release instead (README).
set -eu
flask --app wsgi setup
exec "$@"
