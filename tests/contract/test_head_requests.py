"""HEAD is answered by the GET view, so it must be guarded exactly like GET."""

from tests import builders


def test_head_without_a_key_is_refused_like_get(app, client):
    organisation = builders.organisation(client)
    anonymous = app.test_client()
    assert anonymous.head("/api/v1/organisations").status_code == 401
    assert anonymous.head(f"/api/v1/organisations/{organisation['id']}").status_code == 401


def test_head_with_a_key_answers_like_get_without_a_body(client):
    organisation = builders.organisation(client)
    response = client.request("HEAD", f"/api/v1/organisations/{organisation['id']}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"v1"'
    assert response.get_data() == b""
