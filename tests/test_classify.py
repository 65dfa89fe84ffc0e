import json

import pytest
from click.testing import CliRunner

from allegiance.cli import main

pytestmark = pytest.mark.slow


def _dyad(rid, text, source, target):
    s, t = text.index(source), text.index(target)
    return {
        "id": rid,
        "text": text,
        "source": {"start": s, "end": s + len(source)},
        "target": {"start": t, "end": t + len(target)},
    }


DYADS = [
    _dyad(
        "a",
        "The ministry condemned the neighbouring government on Monday.",
        "The ministry",
        "the neighbouring government",
    ),
    _dyad(
        "b", "The rebels released two aid workers from captivity.", "The rebels", "two aid workers"
    ),
    _dyad("c", "The army withdrew its troops from the border town.", "The army", "the border town"),
    _dyad("d", "The weather was mild in the capital.", "The weather", "the capital"),
]


def test_classify_cli_types_given_dyads(tmp_path, pipeline):
    path = tmp_path / "dyads.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DYADS) + "\n")
    result = CliRunner().invoke(main, ["classify", str(path)])
    assert result.exit_code == 0, result.output
    out = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert out["a"]["type"] == "ACCUSE"
    assert out["b"]["type"] == "CONCEDE"
    assert out["c"]["type"] == "RETREAT"
    assert out["d"]["type"] is None
    assert set(out["a"]) == {"id", "type", "mode", "confidence"}


def test_classify_labels_fold_a_missing_type(tmp_path, pipeline):
    path = tmp_path / "dyads.jsonl"
    path.write_text(json.dumps(DYADS[2]) + "\n")
    result = CliRunner().invoke(main, ["classify", str(path), "--labels", "CONCEDE,ACCUSE,ASSAULT"])
    assert json.loads(result.stdout)["type"] == "CONCEDE"


def test_classify_reports_bad_records_and_goes_on(tmp_path, pipeline):
    path = tmp_path / "dyads.jsonl"
    path.write_text(json.dumps(DYADS[0]) + "\n{broken\n" + json.dumps({"id": "x"}) + "\n")
    result = CliRunner().invoke(main, ["classify", str(path)])
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert rows[0]["type"] == "ACCUSE"
    assert sum(1 for r in rows if "error" in r) == 2
    assert result.exit_code == 1


def test_dates_cli(tmp_path, pipeline):
    text = "The envoy will arrive on Sunday, officials said."
    start = text.index("Sunday")
    path = tmp_path / "dates.jsonl"
    path.write_text(
        json.dumps(
            {"id": "1", "text": text, "start": start, "end": start + 6, "published": "2020-06-13"}
        )
        + "\n"
    )
    result = CliRunner().invoke(main, ["dates", str(path)])
    assert json.loads(result.stdout) == {"id": "1", "value": "2020-06-14"}


def test_the_learned_coder_types_dyads_with_the_typer(tmp_path):
    path = tmp_path / "dyads.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DYADS[:2]) + "\n")
    result = CliRunner().invoke(main, ["--coder", "learned", "classify", str(path)])
    assert result.exit_code == 0, result.output
    out = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    # The typer always answers a type (a dyad is given as an event), with its probability.
    assert out["a"]["type"] == "ACCUSE" and 0 < out["a"]["confidence"] <= 1
    assert out["b"]["type"] is not None


def _dyad_line(rid: str, text: str, kind: str, source: str, target: str) -> str:
    s, t = text.index(source), text.index(target)
    span = {"source": {"start": s, "end": s + len(source)}}
    span["target"] = {"start": t, "end": t + len(target)}
    return json.dumps({"id": rid, "text": text, "events": [{"type": kind, **span}]})


def test_typer_examples_unfold_withdrawals_of_a_set_without_retreat(tmp_path, pipeline):
    """A set that never uses RETREAT (the PLV dyads) codes withdrawals as CONCEDE: there the
    typer learns a withdrawal the rules read as RETREAT; a set with RETREAT keeps its labels."""
    from allegiance.quality.train import typer_examples

    withdrawal = "Chile withdrew its troops from Peru."
    release = "Chile released the prisoners of Peru."
    folded = tmp_path / "folded.jsonl"
    folded.write_text(
        _dyad_line("a", withdrawal, "CONCEDE", "Chile", "Peru")
        + "\n"
        + _dyad_line("b", release, "CONCEDE", "Chile", "Peru")
        + "\n"
    )
    kept = tmp_path / "kept.jsonl"
    kept.write_text(
        _dyad_line("c", withdrawal, "CONCEDE", "Chile", "Peru")
        + "\n"
        + _dyad_line("d", "Peru withdrew from the talks with Chile.", "RETREAT", "Peru", "Chile")
        + "\n"
    )
    labels = [kind for _, kind in typer_examples(pipeline, [folded, kept])]
    assert labels == ["RETREAT", "CONCEDE", "CONCEDE", "RETREAT"]


# Conventions the rules read for a given dyad (sentences written by the team).
CONVENTIONS = [
    # A demand made by demonstrating is a protest against the one it is made of.
    (
        "Thousands of teachers across Peru staged rallies on Monday to demand higher pay "
        "from President Dina Boluarte.",
        "teachers across Peru",
        "President Dina Boluarte",
        "PROTEST",
    ),
    # A protest lodged with a government is a diplomatic complaint.
    (
        "Ghana lodged a formal protest with Togo on Friday over the border closure.",
        "Ghana",
        "Togo",
        "ACCUSE",
    ),
    # "it" of a reported clause is the reporter: the act is the reporter's.
    (
        "The alliance announced that it will withdraw its observers from Sudan.",
        "The alliance",
        "Sudan",
        "THREATEN",
    ),
    # An order to restrict is the orderer's coercion.
    (
        "The junta ordered the independent daily El Faro to suspend publication for a month.",
        "The junta",
        "the independent daily El Faro",
        "COERCE",
    ),
    (
        "A Bolivian judge ordered four former ministers jailed pending trial.",
        "A Bolivian judge",
        "four former ministers",
        "COERCE",
    ),
    # Aid given to support someone is aid to them.
    (
        "Norway has provided 40 million dollars in humanitarian assistance to support Sudanese "
        "refugees in Chad.",
        "Norway",
        "Sudanese refugees",
        "AID",
    ),
    # An act promised unless the other side complies is an ultimatum.
    (
        "France said it will withdraw its troops from Mali unless the junta holds elections.",
        "France",
        "Mali",
        "THREATEN",
    ),
]


@pytest.mark.parametrize(("text", "source", "target", "kind"), CONVENTIONS)
def test_classify_reads_plover_conventions(tmp_path, pipeline, text, source, target, kind):
    path = tmp_path / "dyads.jsonl"
    path.write_text(json.dumps(_dyad("x", text, source, target)) + "\n")
    result = CliRunner().invoke(main, ["classify", str(path)])
    assert json.loads(result.stdout)["type"] == kind, result.output


def test_typer_cross_validation_scores_the_rules_and_the_typer():
    from allegiance.quality.train import macro_f1, typer_cv

    assert macro_f1(["A", "B", None], ["A", "B", "B"]) == pytest.approx((1 + 2 / 3) / 2)
    # Features that give the type away: the typer learns them; the rules' answer is noise;
    # extra examples that contradict them make the held-out folds worse.
    plv = [([f"w:{k}", "ans:X"], k) for k in ("A", "B", "C") * 40]
    scores = typer_cv(plv, [(["w:A"], "C"), (["w:C"], "A")] * 200)
    assert scores["rules' answer"] == 0.0
    assert scores["PLV"] == 1.0
    assert scores["PLV + codebook"] < scores["PLV"]
