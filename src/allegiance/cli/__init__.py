"""The ``allegiance`` command: a click group, one module per family of commands.

``group`` holds the group and its error handling, ``options`` what the commands share; each
other module registers its commands on the group when imported, here.
"""

from . import alignment, articles, corpus, knowledge, quality, serve
from .group import main

__all__ = ["alignment", "articles", "corpus", "knowledge", "main", "quality", "serve"]
