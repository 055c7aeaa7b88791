# The API as an image: gunicorn with gunicorn.conf.py, over the DATABASE_URL it is given.
# Built and started with PostgreSQL and Redis by compose.yaml (see the README).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app

# Exactly what the lock file pins, every hash checked, in a layer of its own: a change to
# the code alone rebuilds none of it.
COPY requirements-pip.lock requirements.lock ./
RUN python -m pip install --no-cache-dir --require-hashes -r requirements-pip.lock \
 && python -m pip install --no-cache-dir --require-hashes -r requirements.lock

# A user of its own; it writes only instance/ (the generated SECRET_KEY when none is
# given, a SQLite database when DATABASE_URL names none).
RUN useradd --create-home --uid 10001 --user-group od \
    && mkdir instance \
    && chown od:od instance
# What .dockerignore admits: the packages, migrations and the server's settings.
COPY . .
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health\", timeout=2)"]

ENTRYPOINT ["./docker-entrypoint.sh"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"]
