"""``allegiance serve``: the HTTP API and the web page over a store."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import click

from ..errors import AllegianceError
from ..settings import Settings
from .group import learned_coder, main
from .options import (
    actors_option,
    db_option,
)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@actors_option
def serve(db: str, host: str, port: int, actors_file: Path | None) -> None:
    """Serve the HTTP API (/api, /openapi.json) and the web page (/) over a store.

    Writes (POST /api/articles) need the bearer token in ALLEGIANCE_TOKEN; without it the
    store is opened read-only and writes are refused with the reason.
    """

    import uvicorn

    from ..serve import ServeSettings, create_app, warm

    _check_port(host, port)
    token = os.environ.get("ALLEGIANCE_TOKEN") or None
    settings = ServeSettings(
        db=Path(db),
        token=token,
        pipeline=Settings(actors_file=actors_file, learned=learned_coder()),
    )
    try:
        app = create_app(settings)
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    warm(app)
    writes = "writes need the bearer token" if token else "read-only (ALLEGIANCE_TOKEN not set)"
    click.echo(f"allegiance: serving {db} at http://{host}:{port}/ ({writes})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_port(host: str, port: int) -> None:
    """One line when the address cannot be listened on (a port in use, an unknown host),
    before the store and the model are loaded."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            hint = "; stop the other server or give --port" if exc.errno == errno.EADDRINUSE else ""
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {exc.strerror}{hint}"
            ) from None
