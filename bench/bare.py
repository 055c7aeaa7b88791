"""The yardstick of the small-reads and latency rows: a bare Flask route answering a small
JSON body, served by the same gunicorn config as the API. Whatever the API costs beyond
this (auth, rate limits, logging, the query, serialisation) is what the ratio measures."""

from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/bare")
def bare():
    return {
        "id": "0b1c0f4e-3d0e-4c55-9f43-0a5a2c3d4e5f",
        "name": "Project 1",
        "phase": "intake",
        "version": 1,
    }
