"""The ``allegiance`` command."""

from .main import main

__all__ = ["main"]
