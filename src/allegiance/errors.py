"""Errors allegiance raises, each with a stable code and a likely fix.

AllegianceError
 +-- InputError      an input cannot be read or used (missing, binary, not UTF-8, empty, ...)
 +-- KnowledgeError  a knowledge-base or user actor file is malformed
 +-- ModelError      the spaCy pipeline is not installed
 +-- ClusterError    the Dask extra is missing, or no scheduler or workers can be reached
"""

from __future__ import annotations


class AllegianceError(Exception):
    """Base class: ``code`` is stable, the message says what, where and the likely fix."""

    code = "A000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class InputError(AllegianceError):
    code = "A100"


class KnowledgeError(AllegianceError):
    code = "A200"


class ModelError(AllegianceError):
    code = "A300"


class ClusterError(AllegianceError):
    code = "A500"
