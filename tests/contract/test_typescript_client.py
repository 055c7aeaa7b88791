"""A TypeScript client generated from the committed contract drives a real server.

openapi-typescript makes the types, ``tsc --strict`` checks the story
(``typescript/src/story.ts``: openapi-fetch calls only, no ``any``, no casts), and node
plays it against gunicorn. The tools are the ones ``typescript/package-lock.json`` pins.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.contract import npm

ROOT = Path(__file__).resolve().parents[2]
HERE = npm.HERE


def run(*command: object, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in command], cwd=HERE, capture_output=True, text=True, timeout=timeout
    )


# Comments and string literals, leftmost first (an apostrophe in a comment opens no string).
LITERALS = re.compile(
    r"//[^\n]*|/\*.*?\*/|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`", re.S
)
# What would paper over the contract in the code: any, a cast (`as`, `<T>x`), a non-null
# assertion (`x!.y`, `f()!`, `a[0]!`), or HTTP beside the generated client; and, in its
# comments, a silenced checker.
FORBIDDEN = {
    "any": re.compile(r"\bany\b"),
    # `<T>x` where a value starts, not `f<T>(x)`: a type argument follows its name.
    "a cast": re.compile(r"\bas\b|(?:[=(,:?]|\breturn)\s*<\w"),
    "a non-null assertion": re.compile(r"[\w)\]]!(?!=)"),
    "raw HTTP": re.compile(r"\bfetch\b|XMLHttpRequest|node:http"),
}
SILENCED = re.compile(r"@ts-|eslint-disable")


def code_of(source: str) -> str:
    """The story without its comments and string literals: what the checker checks."""
    return LITERALS.sub(lambda m: '""' if m.group()[0] in "\"'`" else "", source)


def papered_over(source: str) -> list[str]:
    """What in ``source`` would paper over the contract."""
    code = code_of(source)
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(code)]
    return found + (["a silenced checker"] if SILENCED.search(source) else [])


def test_the_story_code_holds_no_any_no_cast_and_no_assertion():
    assert papered_over((HERE / "src" / "story.ts").read_text()) == []


@pytest.mark.parametrize(
    "line",
    [
        "const a: any = 1;",
        "const b = c as Project;",
        "const d = e as unknown;",
        "const f = <Project>g;",
        "const h = i!.id;",
        "const j = k()!;",
        "const l = m[0]!;",
        "// @ts-ignore",
        "const n = await fetch(url);",
    ],
)
def test_the_story_check_sees_what_papers_over_the_contract(line):
    assert papered_over(line), line


def test_the_story_check_ignores_comments_and_strings():
    source = (
        'check(a !== b, "Samen sterker!"); // as typed, nothing any\n'
        "const s = `v${x}`; const api = createClient<paths>({}); if (!ok) f<T>(x);"
    )
    assert papered_over(source) == []


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
    story = re.search(r"story played: (\d+) calls", played.stdout)
    assert story, played.stdout
    assert int(story[1]) >= 100  # the whole story, not a part of it
