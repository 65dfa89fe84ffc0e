import json

import pytest
from click.testing import CliRunner

from allegiance.cli import main

STORY = (
    "Qatar hosts Afghan talks\n\nQatar hosted Taliban and Afghan government negotiators in "
    "Doha on Saturday, the foreign ministry said. The United States backed the talks.\n"
)


@pytest.fixture
def runner():
    return CliRunner()


def _bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "latin1.txt").write_bytes("Le ministre a dit à Genève".encode("latin-1"))
    (tmp_path / "german.txt").write_text(
        "Titel\n\nDie Regierung hat am Montag beschlossen, dass die Truppen aus dem Land "
        "abgezogen werden, sagte ein Sprecher des Ministeriums in der Hauptstadt.\n"
    )
    return {
        "missing.txt": "no such file",
        "empty.txt": "empty input",
        "binary.txt": "binary file",
        "latin1.txt": "not UTF-8",
        "german.txt": "not English",
    }


@pytest.mark.slow
def test_extract_bad_single_inputs_fail_with_one_line(runner, tmp_path, pipeline):
    for name, reason in _bad_inputs(tmp_path).items():
        result = runner.invoke(main, ["extract", str(tmp_path / name)])
        assert result.exit_code == 1, name
        assert reason in result.output, name
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.slow
def test_extract_jsonl_batch_keeps_going_past_bad_records(runner, tmp_path, pipeline):
    lines = [
        json.dumps({"id": "a", "text": STORY, "published": "2020-02-29"}),
        "{not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": STORY, "published": "29/02/2020"}),
        json.dumps({"id": "e", "text": STORY}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(main, ["extract", str(path), "--format", "jsonl"])
    out = [json.loads(x) for x in result.stdout.strip().splitlines()]
    assert [o["id"] for o in out] == ["a", "2", "c", "d", "e"]
    assert out[0]["error"] is None and out[0]["events"]
    assert "malformed JSON" in out[1]["error"]
    assert "empty" in out[2]["error"]
    # A date in a site's own form is read (day-first when it cannot be month-first).
    assert out[3]["error"] is None and out[3]["published"] == "2020-02-29"
    assert out[4]["error"] is None
    assert result.exit_code == 1


@pytest.mark.slow
def test_extract_json_contract(runner, tmp_path, pipeline):
    path = tmp_path / "story.txt"
    path.write_text(STORY)
    result = runner.invoke(
        main, ["extract", str(path), "--published", "2020-02-29", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    assert set(rec) == {
        "id",
        "title",
        "published",
        "language",
        "text",
        "removed",
        "actors",
        "events",
        "url",
        "warnings",
        "error",
    }
    assert rec["title"] == "Qatar hosts Afghan talks"
    for ev in rec["events"]:
        assert set(ev) >= {
            "type",
            "mode",
            "cameo",
            "quad_class",
            "goldstein",
            "source",
            "target",
            "date",
            "date_precision",
            "date_text",
            "location",
            "modality",
            "confidence",
            "sentence",
            "sentence_start",
            "sentence_end",
            "trigger",
        }
        assert rec["text"][ev["sentence_start"] : ev["sentence_end"]] == ev["sentence"]
        trig = ev["trigger"]
        assert rec["text"][trig["start"] : trig["end"]] == trig["text"]
        for side in ("source", "target"):
            if ev[side]:
                assert rec["text"][ev[side]["start"] : ev[side]["end"]] == ev[side]["text"]
    for actor in rec["actors"]:
        for m in actor["mentions"]:
            assert rec["text"][m["start"] : m["end"]] == m["text"]


def test_extract_rejects_bad_date_option(runner, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY)
    result = runner.invoke(main, ["extract", str(path), "--published", "June 5"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.slow
def test_extract_reads_stdin(runner, pipeline):
    result = runner.invoke(
        main, ["extract", "-", "--published", "2020-02-29", "--format", "jsonl"], input=STORY
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["events"]


@pytest.mark.slow
def test_extract_explain_gives_each_event_its_rule(runner, pipeline):
    args = ["extract", "-", "--published", "2020-02-29"]
    plain = json.loads(runner.invoke(main, [*args, "--format", "jsonl"], input=STORY).stdout)
    assert plain["events"] and all("rule" not in e for e in plain["events"])
    result = runner.invoke(main, [*args, "--format", "jsonl", "--explain"], input=STORY)
    events = json.loads(result.stdout)["events"]
    assert [{k: v for k, v in e.items() if k != "rule"} for e in events] == plain["events"]
    assert {e["rule"].split(";")[0] for e in events} <= {"verb", "light", "nominal"}
    table = runner.invoke(main, [*args, "--explain"], input=STORY).stdout.splitlines()
    assert table[1].split()[-1] == "rule" and table[3].split()[-1] in ("verb", "light")


def test_every_command_has_help(runner):
    for name, command in main.commands.items():
        assert command.help, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0


WAR = (
    "Powers pick sides in Libya\n\n"
    "Turkey and Qatar support the Government of National Accord in Tripoli. Russia and Egypt "
    "support Khalifa Haftar. Haftar's forces attacked the Government of National Accord on "
    "Monday. Russia and Iran support Bashar al-Assad in Syria, while Turkey supports Syrian "
    "rebels. Assad's forces shelled rebel positions in Idlib on Sunday. The Turkish foreign "
    "minister met his Russian counterpart in Ankara on Tuesday.\n"
)


@pytest.mark.slow
def test_sides_rivals_backers_graph_and_plot_on_one_article(runner, tmp_path, pipeline):
    story = tmp_path / "war.txt"
    story.write_text(WAR)
    common = [str(story), "--published", "2020-06-10"]
    result = runner.invoke(main, ["sides", *common, "--format", "json"])
    assert result.exit_code == 0, result.output
    theatres = {t["country"]: t for t in json.loads(result.output)}
    assert set(theatres) == {"LBY", "SYR"}
    libya = [sorted(a["code"] for a in camp) for camp in theatres["LBY"]["camps"]]
    # Haftar and "Haftar's forces" (his Libyan National Army) are one party
    assert sorted(libya) == [["EGY", "LBYREB", "RUS"], ["LBYGOV", "QAT", "TUR"]]

    assert theatres["LBY"]["key"] == "LBY 2020"  # camps per calendar year
    table = runner.invoke(main, ["sides", *common, "--year", "2020", "--theatre", "Libya"])
    assert table.exit_code == 0, table.output
    assert table.output.startswith("# Libya (LBY) 2020: internal, "), table.output
    assert "confidence 0." in table.output.splitlines()[0]
    other = runner.invoke(main, ["sides", *common, "--year", "2019"])
    assert other.exit_code == 0 and "(no theatre with camps)" in other.output
    bad = runner.invoke(main, ["sides", *common, "--window", "weekly"])
    assert bad.exit_code == 2 and "'180d'" in bad.output
    one_year = runner.invoke(main, ["shifts", *common])
    assert one_year.exit_code == 0 and "no actor changed sides" in one_year.output

    result = runner.invoke(main, ["rivals", *common, "--format", "json"])
    (pair,) = json.loads(result.output)
    assert {pair["a"]["id"], pair["b"]["id"]} == {"RUS", "TUR"} and pair["contact"]

    result = runner.invoke(main, ["backers", "Haftar", *common])
    assert result.exit_code == 0 and "EGY Egypt" in result.output, result.output

    out = tmp_path / "g.gexf"
    result = runner.invoke(main, ["graph", str(out), *common])
    assert result.exit_code == 0 and out.read_text().startswith("<?xml"), result.output
    result = runner.invoke(main, ["graph", str(out), *common])
    assert result.exit_code == 1 and "--force" in result.output

    png = tmp_path / "sides.png"
    result = runner.invoke(main, ["plot", "sides", str(png), *common])
    assert result.exit_code == 0 and png.read_bytes()[:4] == b"\x89PNG", result.output
    result = runner.invoke(main, ["plot", "timeline", str(png), *common])
    assert result.exit_code == 1 and "--between" in result.output


def test_sides_without_a_store_says_how_to_make_one(runner, tmp_path):
    result = runner.invoke(main, ["sides", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "allegiance ingest" in result.output


@pytest.mark.slow
def test_the_learned_coder_by_option_or_environment(runner, monkeypatch):
    args = ["extract", "-", "--published", "2020-02-29", "--format", "jsonl", "--explain"]
    by_option = runner.invoke(main, ["--coder", "learned", *args], input=STORY)
    assert by_option.exit_code == 0, by_option.output
    events = json.loads(by_option.stdout)["events"]
    assert events and all("model p=" in e["rule"] for e in events)
    monkeypatch.setenv("ALLEGIANCE_CODER", "learned")
    assert runner.invoke(main, args, input=STORY).stdout == by_option.stdout
    # --min-confidence leaves out what the model is less sure of
    sure = runner.invoke(main, [*args, "--min-confidence", "0.99"], input=STORY)
    assert json.loads(sure.stdout)["events"] == []


def test_bench_times_the_coder_the_group_option_names(runner, monkeypatch, tmp_path):
    # A bench of the rules under `--coder learned` would report the wrong coder's speed.
    from allegiance.quality import benchmark

    seen = []
    monkeypatch.setattr(
        benchmark, "run_bench", lambda *args: seen.append(args[-1].learned) or {"articles": 0}
    )
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Turkey sends drones to Libya."}\n')
    for argv, learned in (
        (["bench", str(corpus)], False),
        (["--coder", "learned", "bench", str(corpus)], True),
    ):
        result = runner.invoke(main, argv)
        assert result.exit_code == 0, result.output
        assert seen.pop() is learned
