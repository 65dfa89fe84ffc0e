"""Clean stage: a RawDoc becomes an Article (title, body, language) or a Rejected.

Plain text scraped from a news page carries page furniture around the story: section tags and
bylines above it, reading-time badges, image captions that repeat the headline, related-story
teasers between paragraphs, share and comment widgets below it. The rules here look at the shape
and position of a line and at whether it repeats the headline, never at particular strings of
one site, and every removal is reported with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ..records import Article, RawDoc, Rejected, Removed, content_id
from ..settings import Settings

# A headline is one short line without a closing full stop.
_MAX_HEADLINE_WORDS = 25
# Lines of at most this many words with no sentence punctuation are not story text when they
# stand before the first or after the last paragraph of the story.
_MAX_FURNITURE_WORDS = 4
# A story paragraph has at least this many words (or ends like a sentence).
_MIN_PARAGRAPH_WORDS = 8
# A question teaser is one short question standing alone between paragraphs.
_MAX_TEASER_WORDS = 20

# Characters that change how text shows or splits words without being text: zero-width
# spaces and joiners, the soft hyphen, the byte-order mark, bidirectional controls.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_READING_TIME = re.compile(r"^\d+\s*(?:min(?:ute)?s?|mins?)\.?(?:\s+read)?$", re.I)
_TEASER_PREFIX = re.compile(r"^(?:read more|related|see also|more on this|recommended)\b", re.I)
# Calls to action of share, comment and subscription widgets: the verb opens a short line.
_WIDGET_VERBS = frozenset(
    [
        "share",
        "leave",
        "comment",
        "comments",
        "follow",
        "subscribe",
        "sign",
        "print",
        "email",
        "tweet",
        "like",
        "download",
        "listen",
        "watch",
        "advertisement",
        "sponsored",
        "click",
        "copy",
        "join",
        "reply",
    ]
)
_QUOTES = '"“”«»'
# Texts shorter than this are not judged; below the second length a text must also show
# another language's function words to be called foreign.
_MIN_LANGUAGE_WORDS = 8
_SURE_LANGUAGE_WORDS = 40
_FOREIGN = frozenset(
    "der die das und ist nicht mit den dem ein eine sich auf für von zu le la les et est un une "
    "des du dans pour pas avec sur el los las y es en por con una del al se lo il di che non "
    "per gli della het een van niet op ook zijn do da em os não".split()
)
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "it",
        "at",
        "from",
        "his",
        "be",
        "has",
        "have",
        "are",
        "said",
        "were",
        "an",
        "its",
        "not",
        "this",
        "but",
        "had",
        "they",
        "which",
        "their",
        "who",
        "been",
        "will",
        "would",
        "he",
        "she",
        "after",
        "over",
        "also",
        "more",
        "than",
        "into",
        "about",
        "could",
        "after",
        "we",
        "our",
        "or",
    ]
)


def plain(text: str) -> str:
    """Text without invisible format characters, and with any lone surrogate (which a JSON
    string can hold but no file can store) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", _INVISIBLE.sub("", text))


def _words(line: str) -> list[str]:
    return re.findall(r"[\w'’-]+", line)


def _normal(line: str) -> str:
    text = unicodedata.normalize("NFKD", line).casefold()
    return " ".join(_words("".join(c for c in text if not unicodedata.combining(c))))


def english_share(text: str) -> float:
    """Return the share of words that are common English function words."""
    words = [w.casefold() for w in _words(text[:20_000])]
    return sum(w in _ENGLISH for w in words) / len(words) if words else 0.0


def foreign_share(text: str) -> float:
    """Return the share of words that are function words of other European languages."""
    words = [w.casefold() for w in _words(text[:20_000])]
    return sum(w in _FOREIGN for w in words) / len(words) if words else 0.0


def latin_share(text: str) -> float:
    """The share of letters that are Latin (English is written in them; Cyrillic, Arabic,
    Chinese... are not)."""
    letters = [c for c in text[:20_000] if c.isalpha()]
    if not letters:
        return 1.0
    return sum("LATIN" in unicodedata.name(c, "") for c in letters) / len(letters)


def is_english(text: str, threshold: float) -> tuple[bool, float]:
    """English unless few English function words and, in a short text, more foreign ones,
    or mostly letters of another script, however short.

    A one-sentence report ("Taiwan's minister visited Russia today...") can have few
    function words; it is only called foreign when another language's show up instead.
    """
    if threshold > 0 and latin_share(text) < 0.5:  # a threshold of 0 checks nothing
        return False, 0.0
    share = english_share(text)
    if share >= threshold or len(_words(text)) < _MIN_LANGUAGE_WORDS:
        return True, share
    long_enough = len(_words(text)) >= _SURE_LANGUAGE_WORDS
    return not (long_enough or foreign_share(text) > share), share


def _is_paragraph(line: str) -> bool:
    n = len(_words(line))
    return n >= _MIN_PARAGRAPH_WORDS or (n >= 5 and bool(_SENTENCE_END.search(line)))


def _is_widget(line: str) -> bool:
    words = _words(line)
    return (
        0 < len(words) <= _MAX_FURNITURE_WORDS
        and words[0].casefold() in _WIDGET_VERBS
        and not _SENTENCE_END.search(line)
    )


def _repeats_title(line: str, title: str | None) -> bool:
    """A caption line: the headline again, followed by at most a photo number or credit."""
    if not title:
        return False
    norm_line, norm_title = _normal(line), _normal(title)
    if not norm_title or not norm_line.startswith(norm_title):
        return False
    rest = norm_line[len(norm_title) :].split()
    return len(rest) <= 3


def _is_teaser(line: str) -> bool:
    if _TEASER_PREFIX.match(line):
        return True
    n = len(_words(line))
    return (
        line.endswith("?")
        and n <= _MAX_TEASER_WORDS
        and not any(q in line for q in _QUOTES)
        and line.count("?") == 1
        and not re.search(r"[.!;:]\s", line)
    )


def split_title(lines: list[str], title: str | None) -> tuple[str | None, int]:
    """Return the title and the index of the first body line.

    Without a given title the first non-empty line is the headline when it is short, does
    not end like a sentence and has text after it; a given title that opens the text is
    skipped too. A text of one line is the story, whatever its punctuation (a headline-only
    feed item, a one-sentence input): it is coded, not taken away as a title.
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return title, 0
    first = filled[0]
    head = lines[first].strip()
    if len(filled) == 1:
        return title, first
    if title and _normal(head) == _normal(title):
        return title, first + 1
    if title is None and len(_words(head)) <= _MAX_HEADLINE_WORDS and not head.endswith("."):
        return head, first + 1
    return title, first


def _removal_reason(
    line: str, index: int, story: tuple[int, int], title: str | None, seen: set[str]
) -> str | None:
    """Say why a body line is boilerplate, or return None to keep it. Checked in order."""
    # 1. Page widgets and reading-time badges, wherever they stand.
    if _READING_TIME.match(line):
        return "reading-time badge"
    if _is_widget(line):
        return "share or comment widget"
    # 2. An image caption that repeats the headline (often with a photo number).
    if _repeats_title(line, title):
        return "image caption repeating the headline"
    # 3. The same short line twice (bylines and tags are often doubled by scrapers).
    key = _normal(line)
    if key in seen and not _is_paragraph(line):
        return "repeated line"
    # 4. Short non-sentence lines above or below the story: section tags, bylines, footers.
    first, last = story
    short = len(_words(line)) <= _MAX_FURNITURE_WORDS and not _SENTENCE_END.search(line)
    if short and index < first:
        return "byline or section tag above the story"
    if short and index > last:
        return "page furniture below the story"
    # 5. A one-line question between paragraphs is a related-story teaser.
    if first < index < last and _is_teaser(line):
        return "related-story teaser between paragraphs"
    return None


def _unwrap(text: str) -> str:
    """A story wrapped whole in braces or brackets, without them: ``{Turkey sent drones...}``
    is the story, not a line of page furniture."""
    inner = text.strip()
    while len(inner) > 2 and _wrapped(inner):
        inner = inner[1:-1].strip()
    return inner


def _wrapped(text: str) -> bool:
    """Whether the bracket that opens the text is the one that closes it."""
    close = {"{": "}", "[": "]"}.get(text[0])
    if close is None or text[-1] != close:
        return False
    depth = 0
    for i, c in enumerate(text):
        depth += (c == text[0]) - (c == close)
        if depth == 0:
            return i == len(text) - 1
    return False


def clean_lines(text: str, title: str | None = None) -> tuple[str | None, str, tuple[Removed, ...]]:
    """Split plain text into title, cleaned body and the lines removed with their reasons."""
    text = _unwrap(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title, start = split_title(lines, title)
    body = [(i, line.strip()) for i, line in enumerate(lines) if i >= start and line.strip()]
    if len(body) == 1 and start == body[0][0]:
        return title, body[0][1], ()  # a text of one line is all story: nothing to drop
    paragraphs = [i for i, line in body if _is_paragraph(line)]
    story = (paragraphs[0], paragraphs[-1]) if paragraphs else (len(lines), -1)
    kept: list[str] = []
    removed: list[Removed] = []
    seen: set[str] = set()
    for index, line in body:
        reason = _removal_reason(line, index, story, title, seen)
        seen.add(_normal(line))
        if reason:
            removed.append(Removed(text=line, reason=reason, line=index + 1))
        else:
            kept.append(line)
    return title, "\n\n".join(kept), tuple(removed)


def _from_html(raw: RawDoc) -> tuple[str | None, str, date | None]:
    """Main text, title and date of an HTML page with trafilatura (and its htmldate)."""
    import trafilatura  # imported here: only HTML input pays for it

    doc = trafilatura.bare_extraction(
        raw.text, with_metadata=True, include_comments=False, include_tables=False
    )
    if doc is None:
        return None, "", None
    published = None
    if getattr(doc, "date", None):
        try:
            published = date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            published = None
    return getattr(doc, "title", None), getattr(doc, "text", "") or "", published


def clean_article(raw: RawDoc, settings: Settings) -> Article | Rejected:
    """Turn one RawDoc into an Article, or a Rejected saying why it cannot be used."""
    text, title, published = plain(raw.text), raw.title, raw.published
    if raw.is_html:
        html_title, text, html_date = _from_html(raw)
        title = title or html_title
        published = published or html_date
    if len(text) > settings.max_chars:
        return Rejected(
            raw.id,
            raw.source,
            "clean",
            "too large",
            f"{len(text):,} characters; the limit is {settings.max_chars:,}",
        )
    title, body, removed = clean_lines(text, title)
    if not body.strip():
        return Rejected(
            raw.id,
            raw.source,
            "clean",
            "empty after cleaning",
            "no story text left; is this the article body?",
        )
    english, share = is_english(body, settings.min_english)
    if not english:
        return Rejected(
            raw.id,
            raw.source,
            "clean",
            "not English",
            f"only {share:.0%} English function words; allegiance reads English news",
        )
    return Article(
        id=content_id(body),
        external_id=raw.id,
        source=raw.source,
        title=title,
        text=body,
        published=published,
        language="en",
        removed=removed,
        url=raw.url,
        notices=raw.notices,
    )
