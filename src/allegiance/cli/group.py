"""The ``allegiance`` command group: one line for whatever a command did not handle."""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import click

from ..errors import AllegianceError
from ..hygiene import printable


class _Main(click.Group):
    """The command group: whatever a command did not handle ends as one line on stderr and
    exit 1, never a traceback (``ALLEGIANCE_DEBUG=1`` shows it); messages are printed with
    control characters escaped."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            exc.message = printable(exc.message)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("ALLEGIANCE_DEBUG"):
                raise
            raise click.ClickException(printable(failure_message(exc))) from None


def failure_message(exc: BaseException) -> str:
    """One line for an error no command handled: what failed and the likely fix."""
    text = " ".join(str(exc).split())[:300]
    if isinstance(exc, AllegianceError):
        return text
    if isinstance(exc, OSError) or "No space left on device" in text:
        no_space = getattr(exc, "errno", None) == errno.ENOSPC or "No space left" in text
        if no_space or getattr(exc, "errno", None) == errno.EPIPE:
            _quiet_stdout()  # the final flush would fail again and print a traceback
        if no_space:
            return f"no space left on device ({text}); free some space or write elsewhere"
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return f"{where}{getattr(exc, 'strerror', None) or text}"
    if type(exc).__module__.split(".")[0] in ("duckdb", "_duckdb"):
        return f"the store failed: {text}; if it is damaged, ingest again into a new store"
    return (
        f"unexpected {type(exc).__name__}: {text}; run again with ALLEGIANCE_DEBUG=1 to see "
        "where, and report it"
    )


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="allegiance")
@click.option(
    "--coder",
    type=click.Choice(["rules", "learned"]),
    default="rules",
    show_default=True,
    envvar="ALLEGIANCE_CODER",
    help="How events are coded: the rules, or the learned event model over the rules' "
    "candidates (better event F1 on real news; see the README before using its camps).",
)
def main(coder: str) -> None:
    """allegiance: news articles to political events (PLOVER/CAMEO) and who backs whom."""


def learned_coder() -> bool:
    """Whether the command runs under ``allegiance --coder learned``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("coder") == "learned")
