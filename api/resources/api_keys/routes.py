"""API keys of the workspace (admin only)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from api.conventions import created, if_match, paginated, uow, with_etag
from api.extensions import ETAG_HEADER, LOCATION_HEADER, PAGINATION_HEADERS, Blueprint
from api.resources.api_keys.schemas import (
    API_KEY_EXAMPLE,
    ApiKeyCreatedSchema,
    ApiKeyCreateSchema,
    ApiKeyQueryArgsSchema,
    ApiKeySchema,
)
from domain.services import access as service

blp = Blueprint(
    "api_keys", __name__, url_prefix="/api/v1", description="Who may call this API, and as what."
)


@blp.route("/api-keys")
class ApiKeys(MethodView):
    @blp.operation("list_api_keys")
    @blp.arguments(ApiKeyQueryArgsSchema, location="query")
    @blp.response(200, ApiKeySchema(many=True), headers=PAGINATION_HEADERS)
    def get(self, args):
        """List API keys, revoked ones included"""
        query = ApiKeyQueryArgsSchema().list_query(args)
        return paginated(service.list_api_keys(uow(), query), query)

    @blp.operation("create_api_key")
    @blp.arguments(ApiKeyCreateSchema, example=API_KEY_EXAMPLE)
    @blp.response(201, ApiKeyCreatedSchema, headers={**ETAG_HEADER, **LOCATION_HEADER})
    def post(self, data):
        """Issue an API key; its secret is shown in this response only"""
        key, secret = service.create_api_key(uow(), current_app.extensions["od"].hasher, **data)
        key.secret = secret
        return created(key, "api_keys.ApiKey", key_id=key.id)


@blp.route("/api-keys/<uuid:key_id>")
class ApiKey(MethodView):
    @blp.operation("get_api_key")
    @blp.response(200, ApiKeySchema, headers=ETAG_HEADER)
    def get(self, key_id):
        """Get an API key (never its secret)"""
        return with_etag(service.get_api_key(uow(), key_id))

    @blp.operation("revoke_api_key")
    @blp.response(204)
    def delete(self, key_id):
        """Revoke an API key: from now on it authenticates nothing"""
        service.revoke_api_key(uow(), key_id, if_match())
        current_app.extensions["od"].key_cache.clear()
