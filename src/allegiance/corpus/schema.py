"""The store's tables, named once: every CREATE, INSERT and event SELECT is derived from here.

Columns are listed in the order a store of this schema holds them (a column a migration added
comes last, as ALTER TABLE puts it), so a new store and an upgraded one are the same. A new
store is created from these lists at the current version; an older one runs the migrations
that take it there.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 7


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its columns (name, SQL type) in order and its primary key."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def create(self) -> str:
        cols = [f"{name} {kind}" for name, kind in self.columns]
        if self.key:
            cols.append(f"PRIMARY KEY ({', '.join(self.key)})")
        return f"CREATE TABLE {self.name} ({', '.join(cols)});"

    def row(self, **values: object) -> tuple[object, ...]:
        """The values in column order.

        Raises:
            KeyError: a column is not given, or a name is not a column.
        """
        unknown = set(values) - set(self.names)
        if unknown:
            raise KeyError(f"{self.name} has no column {sorted(unknown)}")
        return tuple(values[name] for name in self.names)

    def key_of(self, row: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(row[self.names.index(k)] for k in self.key)


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """``"id VARCHAR, seq BIGINT"`` as ((name, type), ...)."""
    pairs = [c.strip().split(None, 1) for c in spec.split(",")]
    return tuple((name, kind) for name, kind in pairs)


META = Table("meta", _cols("key VARCHAR, value VARCHAR"), ("key",))
ARTICLES = Table(
    "articles",
    _cols(
        "id VARCHAR, external_id VARCHAR, source VARCHAR, title VARCHAR, published DATE, "
        "language VARCHAR, text VARCHAR, words INTEGER, duplicate_of VARCHAR, minhash BLOB, "
        "seq BIGINT, url VARCHAR"
    ),
    ("id",),
)
# ``content``: the hash of an input's raw text, so the same text under another name is known
# before it is coded (``run``).
INPUTS = Table(
    "inputs",
    _cols("input VARCHAR, article_id VARCHAR, status VARCHAR, content VARCHAR"),
    ("input",),
)
REJECTS = Table(
    "rejects",
    _cols(
        "input VARCHAR, stage VARCHAR, reason VARCHAR, detail VARCHAR, "
        "level VARCHAR DEFAULT 'error'"
    ),
    ("input", "stage", "reason"),
)
ACTORS = Table(
    "actors",
    _cols("id VARCHAR, name VARCHAR, country VARCHAR, sector VARCHAR, code VARCHAR, kind VARCHAR"),
    ("id",),
)
MENTIONS = Table(
    "mentions",
    _cols(
        "article_id VARCHAR, actor_id VARCHAR, text VARCHAR, start_char INTEGER, "
        "end_char INTEGER, rule VARCHAR, is_place BOOLEAN"
    ),
    ("article_id", "start_char", "end_char"),
)
EVENTS = Table(
    "events",
    _cols(
        "id VARCHAR, type VARCHAR, mode VARCHAR, plover VARCHAR, cameo VARCHAR, "
        "quad_class INTEGER, goldstein DOUBLE, source_id VARCHAR, target_id VARCHAR, "
        "date VARCHAR, date_precision VARCHAR, location_name VARCHAR, "
        "location_country VARCHAR, lat DOUBLE, lon DOUBLE, modality VARCHAR, "
        "confidence DOUBLE, num_mentions INTEGER, num_articles INTEGER, num_sources INTEGER, "
        "first_article VARCHAR, first_source VARCHAR, target_implied BOOLEAN DEFAULT false"
    ),
    ("id",),
)
REPORTS = Table(
    "reports",
    _cols(
        "event_id VARCHAR, article_id VARCHAR, sentence VARCHAR, sentence_start INTEGER, "
        "sentence_end INTEGER, trigger_text VARCHAR, trigger_start INTEGER, "
        "source_text VARCHAR, source_start INTEGER, target_text VARCHAR, "
        "target_start INTEGER, modality VARCHAR, confidence DOUBLE, rule VARCHAR"
    ),
    ("event_id", "article_id", "sentence_start", "trigger_start"),
)
PARTITIONS = Table("partitions", _cols("shard VARCHAR, items INTEGER"), ("shard",))
# The shifts ``watch`` has reported (so a restart does not report them again), as JSON.
SHIFTS = Table(
    "shifts",
    _cols("key VARCHAR, after VARCHAR, country VARCHAR, record VARCHAR, noticed VARCHAR"),
    ("key",),
)

# Written by a batch, parents first.
WRITTEN = (REJECTS, INPUTS, ARTICLES, ACTORS, MENTIONS, EVENTS, REPORTS)
TABLES = (META, *WRITTEN, PARTITIONS, SHIFTS)


def create_all() -> str:
    """The DDL of a new store at SCHEMA_VERSION."""
    return "\n".join(t.create() for t in TABLES)


# Each migration takes an existing store from version n-1 to n; they run in order, once. A new
# store is created from the tables above at SCHEMA_VERSION instead.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE articles (
        id VARCHAR PRIMARY KEY, external_id VARCHAR, source VARCHAR, title VARCHAR,
        published DATE, language VARCHAR, text VARCHAR, words INTEGER,
        duplicate_of VARCHAR, minhash BLOB, seq BIGINT);
    CREATE TABLE inputs (input VARCHAR PRIMARY KEY, article_id VARCHAR, status VARCHAR);
    CREATE TABLE rejects (input VARCHAR, stage VARCHAR, reason VARCHAR, detail VARCHAR,
        PRIMARY KEY (input, stage, reason));
    CREATE TABLE actors (id VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR,
        sector VARCHAR, code VARCHAR, kind VARCHAR);
    CREATE TABLE mentions (article_id VARCHAR, actor_id VARCHAR, text VARCHAR,
        start_char INTEGER, end_char INTEGER, rule VARCHAR, is_place BOOLEAN,
        PRIMARY KEY (article_id, start_char, end_char));
    CREATE TABLE events (id VARCHAR PRIMARY KEY, type VARCHAR, mode VARCHAR, plover VARCHAR,
        cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE,
        source_id VARCHAR, target_id VARCHAR, date VARCHAR, date_precision VARCHAR,
        location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
        modality VARCHAR, confidence DOUBLE, num_mentions INTEGER, num_articles INTEGER,
        num_sources INTEGER, first_article VARCHAR, first_source VARCHAR);
    CREATE TABLE reports (event_id VARCHAR, article_id VARCHAR, sentence VARCHAR,
        sentence_start INTEGER, sentence_end INTEGER, trigger_text VARCHAR,
        trigger_start INTEGER, source_text VARCHAR, source_start INTEGER,
        target_text VARCHAR, target_start INTEGER, modality VARCHAR, confidence DOUBLE,
        PRIMARY KEY (event_id, article_id, sentence_start, trigger_start));
    """,
    # 2: the cluster path's shards already loaded, so a re-run does not code them again.
    """
    CREATE TABLE partitions (shard VARCHAR PRIMARY KEY, items INTEGER);
    """,
    # 3: a recipient PLOVER's conventions imply (a domestic act's own country) is kept apart
    # from one the text names, so the alignment graph can leave it out.
    """
    ALTER TABLE events ADD COLUMN target_implied BOOLEAN DEFAULT false;
    """,
    # 4: the article's own URL (a record's url, a feed item's link, the fetched page), and
    # warnings beside rejects: an input coded despite a problem (a date that cannot be read).
    """
    ALTER TABLE articles ADD COLUMN url VARCHAR;
    ALTER TABLE rejects ADD COLUMN level VARCHAR DEFAULT 'error';
    """,
    # 5: the rule that read each report (its construction and the overrides that fired),
    # shown with the sentence on the page.
    """
    ALTER TABLE reports ADD COLUMN rule VARCHAR;
    """,
    # 6: the shifts of alignment `watch` has reported, so a restart reports only new ones.
    """
    CREATE TABLE shifts (key VARCHAR PRIMARY KEY, after VARCHAR, country VARCHAR,
                         record VARCHAR, noticed VARCHAR);
    """,
    # 7: the hash of each input's raw text, so a text read before under another name is
    # recorded as a duplicate without being coded again.
    """
    ALTER TABLE inputs ADD COLUMN content VARCHAR;
    """,
)

# The events as queries return them: the event's columns with both actors' records beside.
_ACTOR_FIELDS = ("name", "country", "sector", "code")
EVENT_VIEW: tuple[tuple[str, str], ...] = (
    *((f"e.{c}", c) for c in ("id", "type", "mode", "plover", "cameo", "quad_class", "goldstein")),
    ("e.source_id", "source_id"),
    *((f"s.{f}", f"source_{f}") for f in _ACTOR_FIELDS),
    ("e.target_id", "target_id"),
    *((f"t.{f}", f"target_{f}") for f in _ACTOR_FIELDS),
    *(
        (f"e.{c}", c)
        for c in (
            "date",
            "date_precision",
            "location_name",
            "location_country",
            "lat",
            "lon",
            "modality",
            "confidence",
            "num_mentions",
            "num_articles",
            "num_sources",
            "first_article",
            "first_source",
        )
    ),
)
EVENT_COLUMNS: tuple[str, ...] = tuple(name for _, name in EVENT_VIEW)


def event_select() -> str:
    """The SELECT list of the event view."""
    return ", ".join(
        expr if expr.endswith(f".{name}") else f"{expr} AS {name}" for expr, name in EVENT_VIEW
    )
