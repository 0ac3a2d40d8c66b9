"""The JSON of the read-only /api routes, serialized once per snapshot and kept on it
(`Snapshot.representations`), as the pages are (rbm.web.render): keyed by path, query,
language and, where the answer depends on who asks, the user. New data make a new snapshot,
which starts with none.

A route builds its dict only on a miss; the bytes are those FastAPI would write for the same
dict (the route's own response field validates and serializes it), so a cached answer is the
answer built afresh. Each carries an ETag; a matching If-None-Match gets 304."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from rbm.domain.workflow import User
from rbm.web.language import language
from rbm.web.state import Snapshot

MEDIA_TYPE = "application/json"  # FastAPI's, for a route that returns a dict


@dataclass(frozen=True)
class Representation:
    body: bytes
    etag: str


def serialized(request: Request, value: dict[str, Any]) -> bytes:
    """`value` as FastAPI serializes what the request's route returns."""
    route = request.scope.get("route")
    field = route.response_field if isinstance(route, APIRoute) else None
    assert field is not None, "a cached route declares its response model"
    validated, errors = field.validate(value, {}, loc=("response",))
    assert not errors, errors
    return field.serialize_json(validated)


def cached_json(
    request: Request,
    snap: Snapshot,
    build: Callable[[], dict[str, Any]],
    user: User | None = None,
) -> Response:
    """The route's answer from the snapshot's cache, `build()` serialized on a miss; pass
    `user` when the answer depends on who asks (their role, sectors or permissions)."""
    query = tuple((k, v) for k, v in request.query_params.multi_items() if k != "lang")
    key = ("api", request.url.path, query, language(request), user)
    found = snap.representations.get(key)
    if found is None:
        body = serialized(request, build())
        found = Representation(body, f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"')
        snap.representations.put(key, found)
    if found.etag in _tags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers={"ETag": found.etag})
    return Response(found.body, media_type=MEDIA_TYPE, headers={"ETag": found.etag})


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
