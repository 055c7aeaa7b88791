"""A TypeScript client generated from the committed contract drives a real server.

openapi-typescript makes the types, ``tsc --strict`` checks the story
(``typescript/src/story.ts``: openapi-fetch calls only, no ``any``, no casts), and node
plays it against gunicorn. The tools are the ones ``typescript/package-lock.json`` pins.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.contract import npm

ROOT = Path(__file__).resolve().parents[2]
HERE = npm.HERE


def run(*command: object, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in command], cwd=HERE, capture_output=True, text=True, timeout=timeout
    )


def test_the_story_code_holds_no_any_and_no_cast():
    story = (HERE / "src" / "story.ts").read_text()
    for word in (": any", "<any>", " as ", "fetch("):
        assert word not in story, word


def test_a_generated_typescript_client_plays_the_story(server):
    base, key = server
    tools = npm.tools()
    generated = run(
        tools / "openapi-typescript",
        ROOT / "openapi" / "openapi.json",
        # A default is what the server fills in, not a field the client must send.
        "--default-non-nullable",
        "false",
        "-o",
        HERE / "src" / "api.d.ts",
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    compiled = run(tools / "tsc", "--strict", "-p", HERE)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    played = run("node", HERE / "build" / "story.js", base, key)
    assert played.returncode == 0, played.stdout + played.stderr
    assert "story played" in played.stdout
