"""The learned event decision: for each candidate pair, the probability of each PLOVER type and
of no event, from a linear model over the candidate's features.

The weights are trained by ``make train`` (``quality/train.py``) on the team's coded articles and
the PLV training dyads, and shipped in the package (``nlp/events/model/``): a feature list, a
weight matrix and the decision's settings (the probability an event needs, and the calibration
that turns a probability into a confidence, both fitted on news.dev). Only numpy runs them;
nothing is downloaded, and the model loads once per process (forked workers share it).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ModelError

NONE = "NONE"
# Types that put two actors on one side, and those against it (of force: one way).
BACKING = frozenset({"SUPPORT", "AID", "COOPERATE"})
HOSTILE = frozenset(
    {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)
FORCE = frozenset({"ASSAULT", "COERCE"})


@dataclass(frozen=True)
class EventModel:
    """Weights over features for each class (the 16 types and NONE), and how to decide."""

    classes: tuple[str, ...]
    column: dict[str, int]  # class -> column of ``weights``
    index: dict[str, int]  # feature -> row of ``weights``
    weights: np.ndarray  # (features + 1) x classes; the last row is the bias
    threshold: float  # the probability a type needs to be an event
    backing: float  # the probability a backing needs (putting two actors on one side)
    # The probability the model must give a rules' event's type for it to stand (0: every
    # rules' event stands unless on the wrong side); a pair the candidates do not hold keeps
    # the rules' reading when ``unseen`` says so.
    rule_floor: float
    lone_floor: float  # the same for a rules' event with no target
    unseen: bool
    calibration: tuple[float, float, float]  # sigmoid(a * logit(p) + b + c * read by rules)
    about: dict[str, Any]

    def probabilities(self, feature_lists: list[list[str]]) -> np.ndarray:
        """One row of class probabilities per candidate."""
        bias = len(self.index)
        rows, owners = [], []
        for n, feats in enumerate(feature_lists):
            cols = [self.index[f] for f in feats if f in self.index]
            rows += [*cols, bias]
            owners += [n] * (len(cols) + 1)
        logits = np.zeros((len(feature_lists), len(self.classes)), dtype=np.float64)
        if rows:
            np.add.at(logits, np.asarray(owners), self.weights[np.asarray(rows)])
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        out: np.ndarray = p / p.sum(axis=1, keepdims=True)
        return out

    def decide(
        self, probs: np.ndarray, reverse: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """The types a candidate is an event of, each with its probability: every type over
        the threshold that does not put the pair on the wrong side (``wrong_side``)."""
        return [
            (kind, float(p))
            for kind, p in zip(self.classes, probs, strict=True)
            if kind != NONE and p >= self.threshold and not self.wrong_side(kind, probs, reverse)
        ]

    def wrong_side(
        self, kind: str, probs: np.ndarray, reverse: np.ndarray | None, read: bool = False
    ) -> bool:
        """Whether reading the pair as ``kind`` would put an actor on the wrong side: a
        backing that does not outweigh the hostility the pair's two directions carry (a
        sentence that says both never puts the two on one side), or an act of force in its
        less probable direction (a clash, probable both ways, keeps both). A backing the
        rules ``read`` in the words stands unless the pair's hostility is as probable and
        over the threshold (two small probabilities compared say nothing)."""
        p = float(probs[self.column[kind]])
        if kind in BACKING:
            hostile = sum(float(probs[self.column[k]]) for k in HOSTILE if k in self.column)
            if reverse is not None:
                hostile += sum(float(reverse[self.column[k]]) for k in HOSTILE if k in self.column)
            if read:  # the rules' backing falls only to hostility the model would code
                return hostile >= max(p, self.threshold)
            return p < self.backing or p <= hostile
        if kind in FORCE and reverse is not None:
            return float(reverse[self.column[kind]]) > p and p < self.backing
        return False

    def best_type(self, probs: np.ndarray) -> tuple[str, float]:
        """The most probable type other than no event (for a dyad that is an event)."""
        order = np.argsort(-probs)
        k = next(int(i) for i in order if self.classes[int(i)] != NONE)
        return self.classes[k], float(probs[k])

    def confidence(self, p: float, ruled: bool = False) -> float:
        """A probability as a calibrated confidence (the share of such events that are right
        on dev); an event the rules also read is right more often at the same probability."""
        a, b, c = self.calibration
        p = min(max(p, 1e-6), 1 - 1e-6)
        return 1.0 / (1.0 + math.exp(-(a * math.log(p / (1 - p)) + b + c * ruled)))


def model_dir() -> Path:
    """Where the shipped model lives in the package."""
    return Path(str(resources.files("allegiance.nlp.events") / "model"))


def load_model(folder: Path | None = None, name: str = "event") -> EventModel | None:
    """A model in ``folder`` (default: the shipped one), or None when there is none: the
    ``event`` model (which candidates are events, of which types) or the ``typer`` (the type
    of a pair given as an event, for ``classify``), each a ``NAME.json`` and ``NAME.npy``.

    Raises:
        ModelError: the files are there but unreadable or inconsistent.
    """
    folder = folder or model_dir()
    meta_path, weights_path = folder / f"{name}.json", folder / f"{name}.npy"
    if not meta_path.exists() or not weights_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        weights = np.load(weights_path).astype(np.float64)
        features = meta["features"]
        classes = tuple(meta["classes"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(
            f"{folder}: the {name} model cannot be read ({exc}); run `make train`"
        ) from exc
    if weights.shape != (len(features) + 1, len(classes)):
        raise ModelError(
            f"{folder}: {name} weights {weights.shape} do not fit the features; retrain"
        )
    return EventModel(
        classes=classes,
        column={k: i for i, k in enumerate(classes)},
        index={f: i for i, f in enumerate(features)},
        weights=weights,
        threshold=float(meta.get("threshold", 0.5)),
        backing=float(meta.get("backing", meta.get("threshold", 0.5))),
        rule_floor=float(meta.get("rule_floor", 0.0)),
        lone_floor=float(meta.get("lone_floor", 0.0)),
        unseen=bool(meta.get("unseen", True)),
        calibration=_calibration(meta.get("calibration")),
        about={k: v for k, v in meta.items() if k not in ("features", "classes")},
    )


def _calibration(values: Any) -> tuple[float, float, float]:
    """(a, b, c) of the Platt curve; none is the identity, a curve fitted without the rules'
    term has c = 0."""
    a, b, c = [*(float(v) for v in (values or [1.0, 0.0])), 0.0][:3]
    return a, b, c
