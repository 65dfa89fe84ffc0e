"""Evaluation against gold sets written by others (never trained on, never copied).

Each scorer reads a JSONL gold file of the shape ../shared/eval/README.md describes and
returns a report: counts, precision/recall/F1 where they apply, and the worst errors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..pipeline import Pipeline

DEFAULT_SETS = {
    "actors": "../shared/eval/events/plover_gsr.dev.jsonl",
    "events": "../shared/eval/events/plover_gsr.dev.jsonl",
    # The PLV dyads' training split trains the typer: classify is scored on the GSR dev set.
    "classify": "../shared/eval/events/plover_gsr.dev.jsonl",
    "dates": "../shared/eval/dates/tempeval3.train.jsonl",
    "extraction": "../shared/eval/extraction/zyte",
    "articles": "../shared/eval/news/news.dev.jsonl",
}
# How many wrong cases a report lists.
_WORST = 15


@dataclass
class Report:
    """What a scorer found: named figures, per-label counts and example errors."""

    name: str
    figures: dict[str, float] = field(default_factory=dict)
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Further tables, each a heading and its rows already laid out (the reliability of the
    # confidence, for one).
    tables: dict[str, list[str]] = field(default_factory=dict)

    def to_text(self) -> str:
        lines = [f"== {self.name}"]
        lines += [
            f"{k:>24}: {v:.3f}" if isinstance(v, float) else f"{k:>24}: {v}"
            for k, v in self.figures.items()
        ]
        if self.per_label:
            lines.append(f"{'label':>24}  {'P':>5}  {'R':>5}  {'F1':>5}  {'n':>5}")
            for label, row in sorted(self.per_label.items()):
                lines.append(
                    f"{label:>24}  {row['p']:.3f}  {row['r']:.3f}  {row['f1']:.3f}  "
                    f"{int(row['n']):>5}"
                )
        for heading, rows in self.tables.items():
            lines.append(f"{heading}:")
            lines += [f"  {row}" for row in rows]
        if self.errors:
            lines.append("worst errors:")
            lines += [f"  - {e}" for e in self.errors]
        return "\n".join(lines)


def read_gold(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _locate(text: str, actor: dict[str, Any]) -> tuple[int, int] | None:
    """The gold span's offsets; a span given without them is looked up by its words."""
    if actor.get("start") is not None and actor.get("end") is not None:
        return int(actor["start"]), int(actor["end"])
    for word in re.findall(r"[\w.'-]+", actor.get("text") or ""):
        at = text.find(word)
        if at >= 0 and word[:1].isupper():
            return at, at + len(word)
    return None


def _published(rec: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(rec.get("published"))[:10])
    except ValueError:
        return None


def eval_actors(path: Path, pipeline: Pipeline) -> Report:
    """Share of coded actor spans whose resolved country (or IGO) is the gold code."""
    right = total = 0
    by_code: Counter[str] = Counter()
    wrong_code: Counter[str] = Counter()
    errors: list[str] = []
    for rec in read_gold(path):
        wanted: dict[tuple[int, int], str] = {}
        lost = 0
        for ev in rec.get("events", []):
            for side in ("source", "target"):
                actor = ev.get(side)
                if not actor or not actor.get("code"):
                    continue
                where = _locate(rec["text"], actor)
                if where is None:
                    lost += 1
                    errors.append(f"{rec['id']}: cannot locate '{actor.get('text')}'")
                    continue
                wanted[where] = actor["code"]
        total += len(wanted) + lost
        spans = list(wanted)
        found = pipeline.resolve_spans(rec["text"], _published(rec), spans)
        for span, mention in zip(spans, found, strict=True):
            gold = wanted[span]
            got = None
            if mention is not None:
                got = "IGO" if mention.actor.sector == "IGO" else mention.actor.country
            by_code[gold] += 1
            if got == gold:
                right += 1
            else:
                wrong_code[gold] += 1
                text = rec["text"][span[0] : span[1]]
                rule = mention.rule if mention else "no mention"
                errors.append(f"{rec['id']}: '{text}' gold {gold}, got {got} ({rule})")
    report = Report("actors: country (or IGO) of each coded actor span")
    report.figures = {"spans": total, "correct": right, "accuracy": right / total if total else 0.0}
    report.errors = errors
    return report


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "n": float(tp + fn)}


def _code(actor: dict[str, Any] | None, sectors: bool = False) -> str | None:
    """Country (or IGO) of an event actor, with its sector when asked."""
    if not actor:
        return None
    code = "IGO" if actor.get("sector") == "IGO" else actor.get("country") or actor.get("code")
    if sectors:
        return f"{code}/{actor.get('sector') or ''}"
    return code


def eval_events(path: Path, pipeline: Pipeline, sectors: bool = False) -> Report:
    """Event F1: an event counts when its type and source and target countries match."""
    from ..records import RawDoc, Rejected

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: list[str] = []
    for rec in read_gold(path):
        gold = {
            (e["type"], _code(e["source"], sectors), _code(e["target"], sectors))
            for e in rec.get("events", [])
            if e.get("source")
        }
        result = pipeline.run(
            RawDoc(rec["id"], rec["id"], rec["text"], title="", published=_published(rec))
        )
        got: set[tuple[str, str | None, str | None]] = set()
        if not isinstance(result, Rejected):
            # Scored under PLOVER's conventions (events.plover_view); the converse of a
            # visit, which PLOVER does not code, is left out.
            got = {
                (
                    e.plover,
                    _code(e.source.to_dict(), sectors),
                    _code(e.target.to_dict(), sectors) if e.target else None,
                )
                for e in result.events
                if e.plover is not None
            }
        for t in gold & got:
            tp[t[0]] += 1
        for t in got - gold:
            fp[t[0]] += 1
        for t in sorted(gold - got, key=str):
            fn[t[0]] += 1
            errors.append(f"{rec['id']}: missed {t}; got {sorted(got, key=str)[:3]}")
    report = Report("events: type + source + target " + ("code/sector" if sectors else "country"))
    report.per_label = {t: _prf(tp[t], fp[t], fn[t]) for t in set(tp) | set(fn) | set(fp)}
    total = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    report.figures = {
        "precision": total["p"],
        "recall": total["r"],
        "f1": total["f1"],
        "gold events": int(total["n"]),
    }
    report.errors = errors
    return report


def eval_classify(path: Path, pipeline: Pipeline) -> Report:
    """Macro-F1 and accuracy of the event type given each marked dyad."""
    from ..nlp.events.classify import DyadClassifier, record_dyads

    dyads, gold = [], {}
    for rec in read_gold(path):
        for dyad, ev in record_dyads(rec):
            dyads.append(dyad)
            gold[dyad.id] = ev["type"]
    # The set's own labels: a type it does not use folds into its nearest one.
    classifier = DyadClassifier(
        pipeline.nlp,
        pipeline.extractor,
        frozenset(gold.values()),
        pipeline.typer,
    )
    predicted = {c.id: c.type for c in classifier.classify_many(dyads)}
    labels = sorted(set(gold.values()))
    report = Report("classify: event type of each marked dyad")
    errors = []
    for label in labels:
        tp = sum(1 for k, g in gold.items() if g == label and predicted.get(k) == label)
        fp = sum(1 for k, p in predicted.items() if p == label and gold[k] != label)
        fn = sum(1 for k, g in gold.items() if g == label and predicted.get(k) != label)
        report.per_label[label] = _prf(tp, fp, fn)
    confusions = Counter((g, predicted.get(k)) for k, g in gold.items() if predicted.get(k) != g)
    errors = [f"gold {g} predicted {p}: {n}" for (g, p), n in confusions.most_common()]
    correct = sum(1 for k, g in gold.items() if predicted.get(k) == g)
    report.figures = {
        "dyads": len(gold),
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro-F1": sum(r["f1"] for r in report.per_label.values()) / len(labels)
        if labels
        else 0.0,
        "no event found": sum(1 for k in gold if predicted.get(k) is None),
    }
    report.errors = errors
    return report


def _precision_of(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    return "other"


def eval_dates(path: Path, pipeline: Pipeline) -> Report:
    """Exact TIMEX3 values of DATE expressions, by the precision of the gold value."""
    from ..nlp.timex import TimeRequest, resolve_requests

    requests, gold = [], {}
    for n, rec in enumerate(read_gold(path)):
        if rec.get("type") != "DATE":
            continue
        key = str(n)
        requests.append(
            TimeRequest(
                key, rec["sentence"], rec["start"], rec["end"], date.fromisoformat(rec["dct"][:10])
            )
        )
        gold[key] = (rec["value"], rec["expression"], rec["dct"][:10])
    got = {key: value for key, value in resolve_requests(pipeline.nlp, requests)}
    report = Report("dates: exact TIMEX3 value of DATE expressions")
    by: Counter[str] = Counter()
    right: Counter[str] = Counter()
    errors = []
    for key, (value, expression, dct) in gold.items():
        kind = _precision_of(value)
        by[kind] += 1
        if got.get(key) == value:
            right[kind] += 1
        elif kind == "day":
            errors.append(f"'{expression}' (dct {dct}): gold {value}, got {got.get(key)}")
    for kind in ("day", "week", "month", "year", "other"):
        if by[kind]:
            report.figures[f"{kind} exact"] = right[kind] / by[kind]
            report.figures[f"{kind} n"] = by[kind]
    report.errors = errors
    return report


def _shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    """Shingles of lowercased word tokens, as the article-extraction benchmark counts them."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def eval_extraction(directory: Path, settings: Any) -> Report:
    """Main-text extraction on the Zyte benchmark: shingle precision, recall and F1.

    Per page, precision and recall of the 4-word shingles of allegiance's cleaned body
    against the gold body; the means over pages give the F1, as the benchmark's scorer does.
    """
    import gzip

    from ..nlp.clean import clean_article
    from ..records import RawDoc, Rejected

    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls, errors = [], [], []
    for key, gold in sorted(truth.items()):
        data = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
        html = data.decode("utf-8", errors="replace")
        result = clean_article(RawDoc(key, key, html, is_html=True), settings)
        text = "" if isinstance(result, Rejected) else result.text
        got, want = _shingles(text), _shingles(gold["articleBody"])
        p = len(got & want) / len(got) if got else 0.0
        r = len(got & want) / len(want) if want else 1.0
        precisions.append(p)
        recalls.append(r)
        if p < 0.8 or r < 0.8:
            errors.append(f"{key[:12]}: precision {p:.2f}, recall {r:.2f} ({gold['url']})")
    mean_p = sum(precisions) / len(precisions) if precisions else 0.0
    mean_r = sum(recalls) / len(recalls) if recalls else 0.0
    report = Report("extraction: main text of article pages (4-word shingles)")
    report.figures = {
        "pages": len(precisions),
        "precision": mean_p,
        "recall": mean_r,
        "f1": 2 * mean_p * mean_r / (mean_p + mean_r) if mean_p + mean_r else 0.0,
    }
    report.errors = sorted(errors)
    return report
