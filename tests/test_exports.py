"""Each export format loads with the reader its users have: GDELT's column list, pandas and
DuckDB for CSV, Parquet and JSON Lines."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from allegiance.cli import main
from allegiance.corpus.exports import EVENT_EXTRA_COLUMNS, MENTION_COLUMNS, date_span
from allegiance.corpus.store import EVENT_COLUMNS, Store

pd = pytest.importorskip("pandas")
pytestmark = pytest.mark.slow

# GDELT 2.0's event table as GDELT publishes it (its codebook's order), written out here so
# the test does not take the list from the code it checks.
PUBLISHED_GDELT = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name
Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code
Actor1Type1Code Actor1Type2Code Actor1Type3Code Actor2Code Actor2Name Actor2CountryCode
Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code
Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass
GoldsteinScale NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName
Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long
Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code
Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type
ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat
ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL""".split()
# The code columns GDELT users read as text (EventCode "070" is not 70).
GDELT_TEXT = {
    c: "string"
    for c in PUBLISHED_GDELT
    if c.endswith(("Code", "Name", "FullName", "SOURCEURL")) and "Geo_Type" not in c
}


def _export(db: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["export", str(out), "--db", str(db), *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def stored(demo_store: Path) -> dict[str, int]:
    with Store.open(demo_store, read_only=True) as store:
        events = sum(1 for _ in store.events())
        reports = store.con.execute("SELECT count(*) FROM reports").fetchone()[0]
    return {"events": events, "reports": reports}


def test_gdelt_export_loads_with_the_published_columns(demo_store, tmp_path, stored):
    out = tmp_path / "events.tsv"
    _export(demo_store, out, "--format", "gdelt")
    frame = pd.read_csv(out, sep="\t", header=None, names=PUBLISHED_GDELT, dtype=GDELT_TEXT)
    assert len(frame) == stored["events"] and len(frame.columns) == 61
    assert frame["GLOBALEVENTID"].dtype == "int64" and frame["GLOBALEVENTID"].is_unique
    dated = frame["SQLDATE"].dropna().astype("int64")
    assert len(dated) > 0.9 * len(frame) and dated.between(19000101, 20991231).all()
    assert (frame["EventRootCode"] == frame["EventCode"].str[:2]).all()
    assert frame["EventCode"].str.fullmatch(r"\d{3,4}").all()
    assert frame["AvgTone"].isna().all()  # no value: an empty cell, not a zero
    # The place's country as GDELT's geography columns write it: FIPS 10-4, Ukraine "UP"
    places = set(frame["ActionGeo_CountryCode"].dropna())
    assert places and all(len(code) == 2 for code in places) and "UP" in places
    with duckdb.connect() as con:
        columns = {name: "VARCHAR" for name in PUBLISHED_GDELT}
        rows = con.execute(
            "SELECT count(*) FROM read_csv(?, delim = '\t', header = false, columns = ?)",
            [str(out), columns],
        ).fetchone()
    assert rows == (stored["events"],)
    with_header = tmp_path / "header.tsv"
    _export(demo_store, with_header, "--format", "gdelt", "--header")
    assert with_header.read_text().split("\n", 1)[0].split("\t") == PUBLISHED_GDELT


def test_event_exports_load_typed_in_pandas_and_duckdb(demo_store, tmp_path, stored):
    columns = [*EVENT_COLUMNS, *EVENT_EXTRA_COLUMNS]
    for fmt in ("csv", "parquet", "jsonl"):
        out = tmp_path / f"events.{fmt}"
        _export(demo_store, out, "--format", fmt)
        if fmt == "csv":
            frame = pd.read_csv(out, dtype={"cameo": "string"}, parse_dates=["date_start"])
        elif fmt == "parquet":
            frame = pd.read_parquet(out)
        else:
            frame = pd.read_json(out, lines=True, dtype={"cameo": "string"})
        assert list(frame.columns) == columns and len(frame) == stored["events"], fmt
        assert frame["cameo"].str.fullmatch(r"\d{3,4}").all(), fmt  # "070", not 70
        assert frame["sentence"].notna().all() and frame["rule"].notna().all(), fmt
        with duckdb.connect() as con:
            reader = {"csv": "read_csv", "parquet": "read_parquet", "jsonl": "read_json"}[fmt]
            described = con.execute(f"DESCRIBE SELECT * FROM {reader}(?)", [str(out)])
            kinds = {row[0]: row[1] for row in described.fetchall()}
        assert kinds["date_start"] == "DATE" and kinds["date_end"] == "DATE", (fmt, kinds)
    parquet = pd.read_parquet(tmp_path / "events.parquet")
    assert parquet["cameo"].map(type).eq(str).all()
    assert (parquet["date_start"].dropna() <= parquet["date_end"].dropna()).all()


def test_mentions_export_has_every_report(demo_store, tmp_path, stored):
    out = tmp_path / "mentions.parquet"
    _export(demo_store, out, "--format", "parquet", "--mentions")
    frame = pd.read_parquet(out)
    assert list(frame.columns) == list(MENTION_COLUMNS) and len(frame) == stored["reports"]
    gdelt = tmp_path / "mentions.tsv"
    _export(demo_store, gdelt, "--format", "gdelt", "--mentions")
    rows = gdelt.read_text().splitlines()
    assert len(rows) == stored["reports"] and all(len(r.split("\t")) == 16 for r in rows)


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2020-06-13", "2020-06-13", "2020-06-13"),
        ("2020-W24", "2020-06-08", "2020-06-14"),  # ISO week 24 of 2020: Monday 8 June
        ("2021-W01", "2021-01-04", "2021-01-10"),
        ("2020-02", "2020-02-01", "2020-02-29"),
        ("2020", "2020-01-01", "2020-12-31"),
        ("PRESENT_REF", None, None),
    ],
)
def test_date_span_of_a_timex_value(value, start, end):
    first, last = date_span("v")
    with duckdb.connect() as con:
        got = con.execute(
            f"SELECT CAST({first} AS VARCHAR), CAST({last} AS VARCHAR) FROM (SELECT ? AS v)",
            [value],
        ).fetchone()
    assert got == (start, end)


def test_open_gives_the_store_as_dataframes(demo_store, stored):
    import allegiance

    with allegiance.open(demo_store) as corpus:
        events = corpus.events()
        assert len(events) == stored["events"]
        assert str(events["date_start"].dtype).startswith("datetime64")
        assert events["cameo"].str.fullmatch(r"\d{3,4}").all()
        ukraine = corpus.events(country="UKR", modality="asserted", since="2022-01-01")
        assert len(ukraine) > 0 and (ukraine["modality"] == "asserted").all()
        assert (ukraine["date_start"].dropna() >= "2022-01-01").all()
        table = corpus.events(as_arrow=True)
        assert (
            table.num_rows == stored["events"] and str(table.schema.field("cameo").type) == "string"
        )
        actors = corpus.actors()
        assert {"id", "name", "country", "sector", "mentions"} <= set(actors.columns)
        camps = corpus.sides(year=2020, theatre="LBY")
        assert camps and camps[0]["country"] == "LBY" and len(camps[0]["camps"]) >= 2
        assert corpus.backers("Turkey", year=2020)["actor"]["id"] == "TUR"
        with pytest.raises(ValueError, match="modality 'rumour'"):
            corpus.events(modality="rumour")
    with pytest.raises(FileNotFoundError, match="no such store"):
        allegiance.open(demo_store.parent / "missing.duckdb")


# ACLED's columns as its codebook lists them.
PUBLISHED_ACLED = """event_id_cnty event_date year time_precision disorder_type event_type
sub_event_type actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction
civilian_targeting iso region country admin1 admin2 admin3 location latitude longitude
geo_precision source source_scale notes fatalities tags timestamp""".split()
ACLED_EVENT_TYPES = {
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
}
PLOVER_TYPES = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN "
    "PROTEST SANCTION MOBILIZE COERCE ASSAULT"
).split()


def test_acled_export_loads_with_acled_columns_and_codes(demo_store, tmp_path):
    out = tmp_path / "acled.csv"
    _export(demo_store, out, "--format", "acled")
    frame = pd.read_csv(out, dtype={"event_id_cnty": "string"}, parse_dates=["event_date"])
    assert list(frame.columns) == PUBLISHED_ACLED and len(frame) > 10
    assert set(frame["event_type"]) <= ACLED_EVENT_TYPES and "Battles" in set(frame["event_type"])
    # an actor whose sector is unknown has no ACLED type: an empty cell, not a guess
    known = frame.dropna(subset=["inter1"])
    assert len(known) > 0.9 * len(frame) and known["inter1"].between(1, 8).all()
    both = known.dropna(subset=["inter2"])
    low = both[["inter1", "inter2"]].min(axis=1) * 10 + both[["inter1", "inter2"]].max(axis=1)
    assert (both["interaction"] == low).all()
    alone = known[known["inter2"].isna()]
    assert (alone["interaction"] == alone["inter1"] * 10).all()
    violence = frame["event_type"].isin({"Battles", "Explosions/Remote violence"})
    assert (frame.loc[violence, "disorder_type"] == "Political violence").all()
    assert frame["time_precision"].isin([1, 2, 3]).all() and frame["notes"].notna().all()


def test_polecat_export_is_plover_json(demo_store, tmp_path, stored):
    import json
    import re

    out = tmp_path / "events.jsonl"
    _export(demo_store, out, "--format", "polecat")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == stored["events"]
    for rec in records:
        # the PLOVER manual's required fields, and the types of the optional ones given
        assert isinstance(rec["id"], str) and rec["id"]
        assert rec["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", rec["date"])
        assert isinstance(rec["actor"], list) and len(rec["actor"]) == 1
        assert isinstance(rec["recipient"], list) and len(rec["recipient"]) <= 1
        for entity in rec["actor"] + rec["recipient"]:
            assert entity["code"] is None or re.fullmatch(r"[A-Z]{3}", entity["code"])
            assert entity["identifier_id"] and entity["identifier_text"]
        assert rec["event"] and set(rec["event"]) <= set(PLOVER_TYPES)
        assert rec["quad_code"] in (1, 2, 3, 4) and isinstance(rec["event_scale"], float)
        assert isinstance(rec["mode"], list) and isinstance(rec["event_text"], list)
        assert rec["event_loc"] is None or rec["event_loc"]["resolution"] in (1, 4)
    assert any(rec["recipient"] for rec in records)
    frame = pd.read_json(out, lines=True)
    assert len(frame) == stored["events"]
