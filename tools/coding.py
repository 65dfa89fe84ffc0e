"""The team's tools for coding training articles by hand (GUIDELINES.md of ../shared/eval/news).

    python tools/coding.py select [--n 420]         choose the articles, write the selection
    python tools/coding.py show ID [ID ...]         an article as numbered sentences with offsets
    python tools/coding.py fill FILE.jsonl          set char_start/char_end from sentence_index
    python tools/coding.py validate FILE.jsonl ...  check records against the corpus; exit 1 on
                                                    any problem
    python tools/coding.py agree A.jsonl B.jsonl    agreement of two independent codings
    python tools/coding.py sentences FILE.jsonl ... check sentences written from the codebook

Records hold article ids and offsets, never article text: the texts stay in
../shared/bench/news.jsonl. Coders work from the text and the guidelines alone; nothing here
runs allegiance on an article, so the coding is never anchored on the system's output.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from allegiance.quality.newsgold import check_record, iter_records, read_corpus, split_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "bench" / "news.jsonl"
EVAL_SETS = sorted((SHARED / "eval" / "news").glob("*.jsonl"))
TRAIN = ROOT / "training" / "news"
SELECTION = TRAIN / "selection.tsv"

# Articles per source in the selection: every source of the corpus, the wire stories of each
# of their three years, weighted toward the sources with most political news.
QUOTAS = {
    "te3_silver:1997": 50,
    "te3_silver:2005": 50,
    "te3_silver:2006": 50,
    "bbc": 70,
    "l3s_gn1": 60,
    "lgl": 40,
    "geowebnews": 30,
    "zyte": 25,
    "tr_news": 20,
    "news-fair-v2": 20,
    "msnbc-updated": 5,
}
_MIN_WORDS, _MAX_WORDS = 120, 900
# Words of political news: a crude density that ranks articles for hand coding, nothing more.
_POLITICAL = re.compile(
    r"\b(?:government|minister|president|parliament|army|troops|military|rebels?|militants?|"
    r"police|talks|sanctions?|attack\w*|elections?|opposition|party|U\.?N\.?|NATO|EU|"
    r"ceasefire|truce|killed|arrest\w*|protest\w*|embassy|diplomat\w*|treaty|accus\w*|"
    r"condemn\w*|warn\w*|vow\w*|pledg\w*|officials?|ministry|spokes(?:man|woman)|forces|"
    r"bomb\w*|war|insurgents?|summit|negotiat\w*)\b"
)


def _stratum(rec: dict[str, Any]) -> str:
    if rec["corpus"] == "te3_silver":
        return f"te3_silver:{str(rec.get('date'))[:4]}"
    return str(rec["corpus"])


def select(n: int) -> None:
    """Rank each source's articles by political density and take its quota, leaving out
    every article of the evaluation sets."""
    excluded = {rec["article_id"] for path in EVAL_SETS for _, rec in iter_records(path)}
    pools: dict[str, list[tuple[float, str, int]]] = defaultdict(list)
    for rid, rec in read_corpus(CORPUS).items():
        words = len(rec["text"].split())
        if rid in excluded or not _MIN_WORDS <= words <= _MAX_WORDS:
            continue
        hits = len(_POLITICAL.findall(rec["text"]))
        if hits >= 5:
            pools[_stratum(rec)].append((hits / words, rid, words))
    scale = n / sum(QUOTAS.values())
    rows = []
    for stratum, quota in QUOTAS.items():
        ranked = sorted(pools[stratum], reverse=True)[: round(quota * scale)]
        rows += [(rid, stratum, words, density) for density, rid, words in ranked]
    TRAIN.mkdir(parents=True, exist_ok=True)
    with SELECTION.open("w", encoding="utf-8") as fh:
        fh.write("article_id\tstratum\twords\tdensity\n")
        for rid, stratum, words, density in rows:
            fh.write(f"{rid}\t{stratum}\t{words}\t{density:.4f}\n")
    print(f"{len(rows)} articles written to {SELECTION}", file=sys.stderr)
    print(Counter(r[1] for r in rows), file=sys.stderr)


def show(ids: list[str]) -> None:
    """Print each article as the coder sees it: id, corpus date, title, numbered sentences."""
    corpus = read_corpus(CORPUS, ids)
    for rid in ids:
        if rid not in corpus:
            print(f"{rid}: no such article in {CORPUS}", file=sys.stderr)
            continue
        rec = corpus[rid]
        text = rec["text"]
        print(f"=== {rid}  (corpus date: {rec.get('date')!r}; title: {rec.get('title')!r})")
        for i, (start, end) in enumerate(split_sentences(text)):
            print(f"[{i}] {start}-{end}  {text[start:end]}")
        print()


def fill(path: Path) -> None:
    """Set each event's char_start/char_end from its sentence_index, in place."""
    records = [rec for _, rec in iter_records(path)]
    corpus = read_corpus(CORPUS, (r["article_id"] for r in records))
    for rec in records:
        spans = split_sentences(corpus[rec["article_id"]]["text"])
        for ev in rec.get("events", []):
            idx = ev.get("sentence_index")
            if isinstance(idx, int) and 0 <= idx < len(spans):
                ev["char_start"], ev["char_end"] = spans[idx]
            ev.setdefault("article_id", rec["article_id"])
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


def validate(paths: list[Path]) -> int:
    """Check every record; print one line per problem; 1 if any."""
    excluded = {rec["article_id"] for p in EVAL_SETS for _, rec in iter_records(p)}
    bad = 0
    total = events = 0
    for path in paths:
        records = list(iter_records(path))
        corpus = read_corpus(CORPUS, (str(r.get("article_id")) for _, r in records))
        seen: set[str] = set()
        for n, rec in records:
            aid = str(rec.get("article_id"))
            where = f"{path}:{n} ({aid})"
            problems = []
            if aid not in corpus:
                problems.append("unknown article id")
            elif aid in excluded:
                problems.append("article is in an evaluation set: never code it for training")
            else:
                problems = check_record(rec, corpus[aid]["text"])
                problems += _quoted_notes(rec, corpus[aid]["text"])
            if aid in seen:
                problems.append("article coded twice in one file")
            seen.add(aid)
            for p in problems:
                print(f"{where}: {p}")
            bad += bool(problems)
            total += 1
            events += len(rec.get("events") or [])
    print(f"{total} records, {events} events, {bad} with problems", file=sys.stderr)
    return 1 if bad else 0


# Notes paraphrase, never quote: no run of this many words of the article in a note.
_QUOTE_WORDS = 6


def _quoted_notes(rec: dict[str, Any], text: str) -> list[str]:
    words = re.findall(r"\w+", text.casefold())
    runs = {tuple(words[i : i + _QUOTE_WORDS]) for i in range(len(words) - _QUOTE_WORDS + 1)}
    out = []
    for i, ev in enumerate(rec.get("events") or []):
        note = re.findall(r"\w+", (ev.get("notes") or "").casefold())
        for j in range(len(note) - _QUOTE_WORDS + 1):
            if tuple(note[j : j + _QUOTE_WORDS]) in runs:
                out.append(
                    f"event {i}: the note repeats the article's words "
                    f"'{' '.join(note[j : j + _QUOTE_WORDS])}'; paraphrase it"
                )
                break
    return out


# Agreement ----------------------------------------------------------------------------------
def _fold(s: str | None) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s or "").casefold()
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).split())


def _same_actor(a: dict[str, Any] | None, b: dict[str, Any] | None, strict: bool) -> bool:
    """The same actor: a name or alias in common, or (unless strict) the same country, as
    ``allegiance eval articles`` matches them."""
    if a is None or b is None:
        return a is None and b is None
    names_a = {_fold(a["name"]), *(_fold(x) for x in a.get("aliases") or ())}
    names_b = {_fold(b["name"]), *(_fold(x) for x in b.get("aliases") or ())}
    same_country = a.get("country") is not None and a.get("country") == b.get("country")
    return bool(names_a & names_b) or (not strict and same_country)


def _pairs(
    a: list[dict[str, Any]], b: list[dict[str, Any]], typed: bool, strict: bool = False
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: same sentence (or one lists the other's), same actors, and
    (when typed) the same type."""
    used: set[int] = set()
    out = []
    for i, x in enumerate(a):
        sx = {x["sentence_index"], *x.get("other_sentence_indices", [])}
        for j, y in enumerate(b):
            if j in used:
                continue
            sy = {y["sentence_index"], *y.get("other_sentence_indices", [])}
            if not sx & sy or (typed and x["type"] != y["type"]):
                continue
            same_source = _same_actor(x["source"], y["source"], strict)
            if same_source and _same_actor(x["target"], y["target"], strict):
                used.add(j)
                out.append((i, j))
                break
    return out


def _records(path: Path) -> dict[str, dict[str, Any]]:
    """Records by article id, of one file or of every .jsonl file in a folder."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return {r["article_id"]: r for f in files for _, r in iter_records(f)}


def agree(path_a: Path, path_b: Path) -> None:
    """Event F1 between two codings of the same articles (files or folders; the articles in
    both), and Cohen's kappa on the types of the events matched on sentence and actors."""
    a, b = _records(path_a), _records(path_b)
    common = sorted(set(a) & set(b))
    print(f"articles coded twice: {len(common)}")
    print(
        f"events: {sum(len(a[i]['events']) for i in common)} (first coding), "
        f"{sum(len(b[i]['events']) for i in common)} (second)"
    )
    for strict in (False, True):
        how = "names only" if strict else "names or country, as eval articles"
        f1, p, r, labels = _agreement(
            [a[i]["events"] for i in common], [b[i]["events"] for i in common], strict
        )
        observed, kappa = _kappa(labels)
        print(f"actors matched by {how}:")
        print(f"  event F1 (sentence, actors, type): {f1:.3f} (P {p:.3f}, R {r:.3f})")
        print(
            f"  events matched on sentence and actors: {len(labels)}; type agreement "
            f"{observed:.3f}, Cohen's kappa {kappa:.3f}"
        )


def _agreement(
    first: list[list[dict[str, Any]]], second: list[list[dict[str, Any]]], strict: bool
) -> tuple[float, float, float, list[tuple[str, str]]]:
    n_a = n_b = n_match = 0
    labels: list[tuple[str, str]] = []
    for ea, eb in zip(first, second, strict=True):
        n_a, n_b = n_a + len(ea), n_b + len(eb)
        n_match += len(_pairs(ea, eb, typed=True, strict=strict))
        labels += [(ea[i]["type"], eb[j]["type"]) for i, j in _pairs(ea, eb, False, strict)]
    p = n_match / n_b if n_b else 0.0
    r = n_match / n_a if n_a else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, labels


def _kappa(labels: list[tuple[str, str]]) -> tuple[float, float]:
    if not labels:
        return 0.0, 0.0
    observed = sum(x == y for x, y in labels) / len(labels)
    ca, cb = Counter(x for x, _ in labels), Counter(y for _, y in labels)
    expected = sum(ca[k] * cb[k] for k in ca) / len(labels) ** 2
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def check_sentences(paths: list[Path]) -> int:
    """Check sentences the team wrote from the codebook: {id, text, events: [{type, mode,
    modality, source: {start, end, text}, target: {...} | null}]}, every span the text it
    names, every event between two different actors."""
    from allegiance.quality.newsgold import MODALITIES, MODES, TYPES

    bad = n = events = 0
    ids: set[str] = set()
    for path in paths:
        for line_no, rec in iter_records(path):
            n += 1
            problems = _sentence_problems(rec, ids, TYPES, MODES, MODALITIES)
            events += len(rec.get("events") or [])
            for p in problems:
                print(f"{path}:{line_no}: {p}")
            bad += bool(problems)
    print(f"{n} sentences, {events} events, {bad} with problems", file=sys.stderr)
    return 1 if bad else 0


def _sentence_problems(
    rec: dict[str, Any], ids: set[str], types: Any, modes: Any, modalities: Any
) -> list[str]:
    out = []
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return ["no text"]
    if rec.get("id") in ids:
        out.append(f"id {rec.get('id')!r} repeated")
    ids.add(rec.get("id"))
    if not isinstance(rec.get("events"), list):
        return [*out, "events must be a list"]
    for i, ev in enumerate(rec["events"]):
        if ev.get("type") not in types:
            out.append(f"event {i}: unknown type {ev.get('type')!r}")
        elif ev.get("mode") is not None and ev["mode"] not in modes.get(ev["type"], ()):
            out.append(f"event {i}: mode {ev['mode']!r} is not a mode of {ev['type']}")
        if ev.get("modality") not in modalities:
            out.append(f"event {i}: unknown modality {ev.get('modality')!r}")
        for role in ("source", "target"):
            span = ev.get(role)
            if span is None and role == "target":
                continue
            if not isinstance(span, dict) or not isinstance(span.get("start"), int):
                out.append(f"event {i}: {role} must be {{start, end, text}}")
            elif text[span["start"] : span["end"]] != span.get("text"):
                out.append(f"event {i}: {role} text is not text[start:end]")
        if ev.get("source") and ev.get("target") and ev["source"] == ev["target"]:
            out.append(f"event {i}: source and target are the same span")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("select").add_argument("--n", type=int, default=420)
    sub.add_parser("show").add_argument("ids", nargs="+")
    sub.add_parser("fill").add_argument("path", type=Path)
    sub.add_parser("validate").add_argument("paths", type=Path, nargs="+")
    sub.add_parser("sentences").add_argument("paths", type=Path, nargs="+")
    ag = sub.add_parser("agree")
    ag.add_argument("a", type=Path)
    ag.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.cmd == "select":
        select(args.n)
    elif args.cmd == "show":
        show(args.ids)
    elif args.cmd == "fill":
        fill(args.path)
    elif args.cmd == "validate":
        return validate(args.paths)
    elif args.cmd == "sentences":
        return check_sentences(args.paths)
    else:
        agree(args.a, args.b)
    return 0


if __name__ == "__main__":
    sys.exit(main())
