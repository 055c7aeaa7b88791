"""A client generated from the committed contract drives a real server.

What third parties do with ``openapi/openapi.json``: generate a client
(openapi-python-client), point it at a server started the way ``make run`` starts it
(``flask setup``, then gunicorn with ``gunicorn.conf.py``) and play the whole story
(``client_story.py``) through it. mypy checks the story with the generated package first,
at --strict and with no ``Any`` in any expression: a value the contract leaves untyped fails
here rather than being worked around in the story.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONTRACT = ROOT / "openapi" / "openapi.json"
PACKAGE = "od_platform_client"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STORY = Path(__file__).with_name("client_story.py")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Where the client package generated from the committed document is, importable."""
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.json"
    config.write_text(json.dumps({"post_hooks": []}))  # no ruff run over the output
    result = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            CONTRACT,
            "--output-path",
            where / PACKAGE,
            "--meta",
            "none",
            "--config",
            config,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Nothing of the contract was skipped, but the import bodies this generator has no
    # body type for (CSV, NDJSON, the workbook): the JSON document import stays typed.
    skipped = re.findall(r"Unsupported content type (\S+)", result.stdout + result.stderr)
    assert set(skipped) <= {"application/x-ndjson", "text/csv", XLSX}, result.stderr
    warned = re.findall(r"WARNING parsing (.+) within", result.stdout + result.stderr)
    assert set(warned) <= {"POST /api/v1/imports"}, result.stderr
    sys.path.insert(0, str(where))
    try:
        yield where
    finally:
        sys.path.remove(str(where))
        story = "tests.contract.client_story"  # imports the package, so goes with it
        for name in [
            m for m in sys.modules if m in (PACKAGE, story) or m.startswith(f"{PACKAGE}.")
        ]:
            del sys.modules[name]


# mypy's flags for the story beyond --strict: no Any anywhere in it, not even inferred.
NO_ANY = {
    "disallow_any_expr": True,
    "disallow_any_explicit": True,
    "disallow_any_decorated": True,
    "disallow_any_unimported": True,
}
# The one Any the generator makes on its own: the member it types an answer without a body
# as (a 304 to If-None-Match, a 204), inside the Response of an operation that has one.
MEMBER = r"(?!Any\b)[\w.]+(?:\[(?!Any\])[\w.]+\])?"  # a model, or a list of one
BODILESS = re.compile(
    rf'Expression type contains "Any" \(has type "Response\[(?:{MEMBER} \| )*Any'
    rf'(?: \| {MEMBER})*\]"\)'
)
MODULES_OF_HTTP = {"httpx", "requests", "urllib", "urllib3", "http", "socket", "aiohttp"}
# The generated client hands out its httpx client too: a request through it is HTTP of
# the story's own.
HTTPX_OF_THE_CLIENT = {"get_httpx_client", "get_async_httpx_client", "set_httpx_client"}


def papered_over(source: str) -> list[str]:
    """What in ``source`` would paper over the contract: a cast, ``Any``, a silenced
    checker, or HTTP spoken beside the generated client."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in {"cast", "Any"}:
                found.append(name)
            elif name in HTTPX_OF_THE_CLIENT:
                found.append("raw HTTP")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if any((m or "").split(".")[0] in MODULES_OF_HTTP for m in modules):
                found.append("raw HTTP")
            found += [n for n in names if n in {"cast", "Any"}]
    if re.search(r"#\s*(type:\s*ignore|noqa|mypy:|pyright:)", source):
        found.append("a silenced checker")
    return found


def test_the_story_holds_no_cast_no_any_no_silenced_checker_and_no_raw_http():
    assert papered_over(STORY.read_text()) == []


@pytest.mark.parametrize(
    "line",
    [
        "from typing import cast",
        "x = typing.cast(Project, y)",
        "from typing import Any",
        "def f(x: typing.Any) -> None: ...",
        "x = 1  # type: ignore[assignment]",
        "x = 1  # noqa: E501",
        "import httpx",
        "from urllib.request import urlopen",
        "import requests.adapters",
        "from http import client",
        "api.get_httpx_client().get('/api/v1/projects')",
    ],
)
def test_the_story_check_sees_what_papers_over_the_contract(line):
    assert papered_over(line), line


def test_the_story_check_leaves_the_generated_client_alone():
    assert (
        papered_over(
            "from od_platform_client.types import Response, Unset\n"
            'check(problem.type_ == "about:blank", "any cast of the type is refused")\n'
        )
        == []
    )


# Checked beside the story with the same flags, so the test shows they bite: what a client
# would do with a value the contract left untyped.
PROBE = """
from od_platform_client.models import Problem


def detail_of(problem: Problem) -> object:
    return problem.to_dict()["detail"]
"""


def test_the_story_type_checks_with_the_generated_client_and_no_any(generated):
    probe = generated / "untyped_probe.py"
    probe.write_text(PROBE)
    flags = "\n".join(f"{flag} = True" for flag in NO_ANY)
    config = generated / "mypy.ini"
    config.write_text(
        f"[mypy]\nstrict = True\n\n[mypy-tests.contract.client_story,untyped_probe]\n{flags}\n"
    )
    checked = subprocess.run(
        [
            BIN / "mypy",
            "--config-file",
            config,
            "--no-incremental",
            "--python-version",
            "3.11",
            generated / PACKAGE,
            STORY.relative_to(ROOT),
            probe,
        ],
        cwd=ROOT,
        env={"MYPYPATH": str(generated), "PATH": str(BIN)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr  # the probe fails
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert any(line.startswith(str(probe)) and '"Any"' in line for line in errors), errors
    story = [line for line in errors if not line.startswith(str(probe))]
    assert [line for line in story if not BODILESS.search(line)] == [], checked.stdout
    # What BODILESS lets through is an answer without a body, and only those have none.
    document = json.loads(CONTRACT.read_text())
    bodiless = {
        status
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "responses" in operation
        for status, response in operation["responses"].items()
        if "$ref" not in response and "content" not in response
    }
    assert bodiless <= {"204", "304"}, bodiless


def test_a_generated_client_plays_the_whole_story(generated, server):
    base, key = server
    client = importlib.import_module(PACKAGE)
    story = importlib.import_module("tests.contract.client_story")
    calls = []
    api = client.AuthenticatedClient(
        base_url=base,
        token=key,
        raise_on_unexpected_status=True,
        timeout=30.0,
        httpx_args={"event_hooks": {"request": [calls.append]}},
    )
    with api:
        steps = story.play(api)
    print(f"story played: {len(calls)} calls, {steps} steps")
    assert len(calls) >= 100  # the whole story, not a part of it
    assert steps >= len(calls)
