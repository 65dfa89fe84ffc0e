"""allegiance: news articles to political event data and the camps in each conflict."""

from .library import Corpus, open
from .pipeline import Pipeline, extract
from .records import Actor, Article, ArticleResult, Event, Mention, RawDoc, Rejected
from .settings import Settings

__all__ = [
    "Actor",
    "Article",
    "ArticleResult",
    "Corpus",
    "Event",
    "Mention",
    "Pipeline",
    "RawDoc",
    "Rejected",
    "Settings",
    "extract",
    "open",
]
__version__ = "0.1.0"
