"""What a page shows of a recorded grade: the student's view hides the hidden checks until they are due."""

from __future__ import annotations

from dataclasses import replace

from autograder.gradebook.records import StoredResult
from autograder.results import QuestionScore, check_points


def without_hidden(record: StoredResult) -> tuple[StoredResult, float]:
    """``record`` with its hidden checks (and the notebook's printed output) taken out; the points they hold.

    Each question keeps its public checks with the points they were worth, so the score shown is the public
    checks' own. The output excerpt goes too: a hidden check calls the student's functions, and what those
    print could show the hidden inputs.
    """
    questions: list[QuestionScore] = []
    hidden_points = 0.0
    for score in record.result.questions:
        shares = check_points(score)
        public = [share for share in shares if not share.check.hidden]
        hidden_points += sum(share.max_points for share in shares if share.check.hidden)
        if len(public) == len(shares):
            questions.append(score)
            continue
        if not public:  # a question of hidden checks only: not shown at all yet
            continue
        questions.append(QuestionScore(score.question, round(sum(s.points for s in public), 4),
                                       round(sum(s.max_points for s in public), 4),
                                       tuple(share.check for share in public)))
    result = replace(record.result, questions=tuple(questions), output="")
    return replace(record, result=result), round(hidden_points, 4)
