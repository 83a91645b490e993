"""The thresholds of a ``levels`` rule from a trained reference model file, measured like any submission.

The instructor trains ``reference.py`` (``python reference.py`` writes ``mymodel.keras``) and runs
``autograder exam calibrate CATEGORY mymodel.keras``: the file is scored in the model host on the hidden data,
and the rule's ``reference`` becomes the measured value (4 decimals), the rest of the rule kept. What to write
in ``category.yaml`` and the task statements is printed; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.errors import AutograderError
from autograder.exam.catalogue import Category
from autograder.exam.outcome import Outcome
from autograder.exam.scoring import Rule
from autograder.exam.session import Scorer


@dataclass(frozen=True)
class Calibration:
    outcome: Outcome
    rule: Rule

    def lines(self, category: Category) -> list[str]:
        rule = self.rule
        fields = ", ".join(f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}"
                           for k, v in rule.model_dump(exclude_defaults=True).items())
        return [f"{category.id}: the reference measured {category.metric} {self.outcome.metric:.4f} on the hidden data",
                f"  category.yaml  rule: {{{fields}}}",
                "  task.en.md / task.ko.md thresholds: " + ", ".join(f"{t:g}" for t in rule.thresholds)]


def calibrate(path: Path, category: Category, score: Scorer) -> Calibration:
    """Measure the reference model file at ``path``; the category's rule with that value as its reference."""
    if category.rule.kind != "levels":
        raise AutograderError(f"{category.id}: its rule is `{category.rule.kind}`, fixed by the exam; only a "
                              "`levels` rule takes its thresholds from the reference")
    outcome = score(path, category)
    if outcome.status != "scored" or outcome.metric is None:
        raise AutograderError(f"{path}: the reference model was not scored ({outcome.key} {outcome.params}); "
                              f"fix {category.folder / 'reference.py'} and train it again")
    return Calibration(outcome, category.rule.model_copy(update={"reference": round(outcome.metric, 4)}))
