"""Routes of articles: one article with its spans, and the one write, ``POST
/api/articles``, which codes outside the store's lock and needs the bearer token."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import AllegianceError
from .guard import ApiError
from .state import State, StateDep

_SURROGATE = re.compile("[\ud800-\udfff]")


class ArticleIn(BaseModel):
    """One article to ingest: its plain text or its HTML, and what is known about it."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, description="Plain text of the article (or give html).")
    html: str | None = Field(None, description="The article's HTML page (or give text).")
    title: str | None = Field(None, max_length=1000, description="Headline, if not in the text.")
    published: date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    id: str | None = Field(None, max_length=200, description="Your id for the article.")
    url: str | None = Field(None, max_length=2000, description="Where it was published.")

    @field_validator("text", "html", "title", "id", "url")
    @classmethod
    def _no_lone_surrogates(cls, value: str | None) -> str | None:
        # JSON can escape half a UTF-16 pair ("\ud800"), which no text encoding can store.
        if value is not None and _SURROGATE.search(value):
            raise ValueError("holds a lone surrogate escape (\\ud800-\\udfff): not text")
        return value


# Articles -----------------------------------------------------------------------------------
def article_routes(r: APIRouter) -> None:
    @r.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(state: StateDep, article_id: str) -> dict[str, Any]:
        """An article's text with its actor mentions and event triggers as character spans."""
        with state.lock:
            article = state.store.article(article_id)
        if article is None:
            raise ApiError(404, f"no article {article_id!r}; event reports give article ids")
        article["spans"] = _article_spans(article)
        return article

    @r.post(
        "/api/articles",
        tags=["articles"],
        status_code=201,
        responses={200: {"description": "Already in the store"}, 401: {}, 403: {}, 413: {}},
        # The body is read after the token is checked (a refused client learns why first,
        # and a stranger's body is never parsed), so its schema is declared here.
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ArticleIn.model_json_schema()}},
            }
        },
        dependencies=[Depends(_require_token)],
    )
    async def post_article(state: StateDep, request: Request, response: Response) -> dict[str, Any]:
        """Ingest one article (text or HTML) through the ``ingest`` pipeline. Needs
        ``Authorization: Bearer <ALLEGIANCE_TOKEN>``."""
        article = _article_in(await request.body())
        outcome = await run_in_threadpool(_ingest, state, article)
        if outcome.status == "rejected":
            raise ApiError(
                422,
                f"article rejected: {outcome.reason}"
                + (f" ({outcome.detail})" if outcome.detail else ""),
            )
        if outcome.status != "stored":
            response.status_code = 200
        response.headers["Location"] = f"/api/articles/{outcome.article_id}"
        return {
            "status": outcome.status,
            "article_id": outcome.article_id,
            "events": outcome.events,
        }


def _article_in(body: bytes) -> ArticleIn:
    """The posted article, or a 422 naming what is wrong with the body."""
    try:
        return ArticleIn.model_validate_json(body)
    except ValidationError as exc:
        fields = [
            {"where": ".".join(str(p) for p in ("body", *e.get("loc", ()))), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        first = fields[0]
        raise ApiError(
            422, f"invalid article: {first['where']}: {first['message']}", fields=fields
        ) from None


def _article_spans(article: dict[str, Any]) -> list[dict[str, Any]]:
    """Actor and place mentions and event triggers, sorted; the page marks them in the text."""
    spans = [
        {
            "kind": "place" if m["is_place"] else "actor",
            "start": m["start"],
            "end": m["end"],
            "text": m["text"],
            "actor_id": m["actor_id"],
            "label": f"{m['code']} {m['name']}",
        }
        for m in article["mentions"]
    ]
    triggers = {}
    for rep in article["reports"]:
        start, text = rep["trigger_start"], rep["trigger_text"]
        label = rep["type"] + (f"/{rep['mode']}" if rep["mode"] else "")
        entry = triggers.setdefault(
            start,
            {
                "kind": "trigger",
                "start": start,
                "end": start + len(text),
                "text": text,
                "event_ids": [],
                "label": label,
            },
        )
        entry["event_ids"].append(rep["event_id"])
    spans += triggers.values()
    return sorted(spans, key=lambda s: (s["start"], -s["end"]))


def _require_token(state: StateDep, request: Request) -> None:
    """Writes need the server's bearer token; with none set, they are off."""
    expected, header = state.settings.token, request.headers.get("authorization")
    if expected is None:
        raise ApiError(
            403,
            "writes are off: this server was started without ALLEGIANCE_TOKEN; set it in the "
            "server's environment and send it as 'Authorization: Bearer <token>'",
        )
    scheme, _, given = (header or "").partition(" ")
    # Compared as bytes: a header may carry any byte (read as Latin-1), which a comparison
    # of text would refuse with an error instead of a no.
    given_bytes = given.strip().encode("latin-1", errors="replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given_bytes, expected.encode()):
        raise ApiError(
            401,
            "missing or wrong bearer token; send 'Authorization: Bearer <ALLEGIANCE_TOKEN>'",
            {"WWW-Authenticate": "Bearer"},
        )


def _ingest(state: State, article: ArticleIn) -> Any:
    """Code the article outside the store's lock (readers go on meanwhile; one article is
    coded at a time), then take the lock only to write it."""
    from ..corpus.run import NearDuplicates, store_coded
    from ..records import RawDoc

    if (article.text is None) == (article.html is None):
        raise ApiError(422, "give the article as exactly one of 'text' or 'html'")
    body = article.html if article.html is not None else article.text
    assert body is not None
    # The input key is the content's hash: posting the same article again is a no-op.
    digest = hashlib.sha256(article.model_dump_json().encode("utf-8")).hexdigest()[:16]
    key = f"api:{article.id}:{digest}" if article.id else f"api:{digest}"
    with state.lock:
        if state.store.seen([key]):
            return _outcome(state, key, already=True)
    raw = RawDoc(
        article.id,
        key,
        body,
        article.html is not None,
        article.title,
        article.published,
        url=article.url,
    )
    try:
        coded = state.coder.code([raw])  # one at a time, outside the store's lock
    except AllegianceError as exc:
        raise ApiError(500, f"the pipeline could not run: {exc}") from exc
    with state.lock:
        if state.store.seen([key]):  # the same article, posted meanwhile, was written first
            return _outcome(state, key, already=True)
        if state.near is None:
            state.near = NearDuplicates(state.store)
        written = store_coded([(key, *coded[0])], state.store, state.near)
        state.generation += 1
        state.cache.clear()
        return _outcome(state, key, already=False, events=written.events)


def _outcome(state: State, key: str, already: bool, events: int = 0) -> Any:
    from ..corpus.run import Outcome

    row = state.store.input_outcome(key) or {"status": "rejected", "article_id": None}
    if already:
        return Outcome("already-read", row["article_id"])
    if row["status"] == "rejected":
        first = (row.get("rejects") or [{}])[0]
        return Outcome("rejected", None, reason=first.get("reason"), detail=first.get("detail"))
    return Outcome(row["status"], row["article_id"], events)
