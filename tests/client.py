"""A test client that speaks the API as a caller does: a key, JSON, and problem checks."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


class ApiClient:
    def __init__(self, client: FlaskClient, secret: str | None) -> None:
        self.client = client
        self.secret = secret

    def request(
        self, method: str, path: str, json: Any = None, headers: dict | None = None, **kwargs
    ) -> TestResponse:
        all_headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        all_headers.update(headers or {})
        if json is not None:
            kwargs["json"] = json
        return self.client.open(path, method=method, headers=all_headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def ok(
        self, method: str, path: str, json: Any = None, status: int | None = None, **kwargs
    ) -> Any:
        """Make a call that must succeed; answers the JSON body (or None for 204)."""
        response = self.request(method, path, json=json, **kwargs)
        expected = status or {"POST": 201, "DELETE": 204}.get(method, 200)
        assert response.status_code == expected, (
            method,
            path,
            response.status_code,
            response.get_json(),
        )
        return response.get_json() if response.status_code != 204 else None


def assert_problem(response: TestResponse, status: int) -> dict:
    """The response is an RFC 9457 problem with this status; answers its body."""
    assert response.status_code == status, (
        response.status_code,
        response.get_data(as_text=True)[:500],
    )
    assert response.mimetype == "application/problem+json", response.mimetype
    body = response.get_json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body
