"""The API's guard rails: one JSON error shape for every failure, a request body limit, and
the security headers of every response. Pure ASGI middleware, so they hold for FastAPI's own
errors too."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(Exception):
    """A failure the client can act on: HTTP status, a message and the likely fix."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        fields: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}
        self.fields = fields


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
}
# The page loads only its own script and style; data arrives as JSON and is put in the page
# as text, and this policy keeps any script that slipped into the markup from running.
_SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


# One error shape ----------------------------------------------------------------------------
def error_body(status: int, message: str, fields: list[dict[str, str]] | None = None) -> bytes:
    """The JSON every failure answers with."""
    error: dict[str, Any] = {
        "status": status,
        "code": _STATUS_CODES.get(status, "error"),
        "message": message,
    }
    if fields:
        error["fields"] = fields
    return json.dumps({"error": error}, ensure_ascii=False).encode("utf-8")


def _error_response(
    status: int,
    message: str,
    fields: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        error_body(status, message, fields), status, headers, media_type="application/json"
    )


def add_error_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error_response(exc.status, exc.message, exc.fields, headers=exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = {
            404: f"no such path: {request.url.path}; the API is under /api (see /openapi.json)",
            405: f"{request.method} is not allowed on {request.url.path}",
        }.get(exc.status_code, str(exc.detail))
        return _error_response(exc.status_code, message, headers=exc.headers)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        where = ", ".join(f["where"] for f in fields)
        return _error_response(422, f"invalid request ({where}); see fields", fields)

    async def crashed(request: Request, exc: Exception) -> Response:
        # No traceback to the client: the message names the request, the log has the rest.
        name = type(exc).__name__
        return _error_response(
            500, f"internal error ({name}) on {request.method} {request.url.path}"
        )

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, crashed)


# Query parameters -----------------------------------------------------------------------------
def known_parameters(request: Request) -> None:
    """Refuses a query parameter the route does not take (a misspelt or unsupported filter
    would otherwise be ignored and the answer look filtered): 422 naming it and the route's
    parameters, as the published schema (/openapi.json) lists them."""
    route = request.scope.get("route")
    operation = (
        request.app.openapi()["paths"]
        .get(getattr(route, "path", ""), {})
        .get(request.method.lower())
    )
    if operation is None:  # the page and its files: not in the schema, no parameters
        return
    allowed = sorted(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        takes = ", ".join(allowed) if allowed else "none"
        raise ApiError(
            422,
            f"unknown query parameter {', '.join(map(repr, unknown))} on {request.url.path}; "
            f"it takes: {takes}",
            fields=[{"where": f"query.{name}", "message": "unknown parameter"} for name in unknown],
        )


# Middleware ---------------------------------------------------------------------------------
class SecurityHeaders:
    """Adds the content security policy and friends to every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses bodies over ``limit`` bytes with 413, whether or not they say their length:
    the body is read here up to the limit and handed on whole."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            await self._refuse(send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        handed = False

        async def replay() -> dict[str, Any]:
            nonlocal handed
            if not handed:
                handed = True
                return body
            result: dict[str, Any] = await receive()
            return result

        await self.app(scope, replay, send)

    async def _refuse(self, send: Any) -> None:
        await _error_response(
            413,
            f"request body over {self.limit:,} bytes; send one article at a time, "
            "or ingest large files with `allegiance ingest`",
        )({"type": "http"}, None, send)
