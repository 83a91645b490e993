"""Category 1 (a basic model) end to end, and the timed session on it: real Keras models saved as files,
scored in the real bounded model host, state in a real SQLite gradebook."""

from __future__ import annotations

import os
import resource
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from autograder.exam import session as exam_session
from autograder.exam.artifact import score_file, scorer
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.gradebook_rows import write_class
from autograder.exam.hidden import hidden_data
from autograder.exam.store import open_store, submissions
from autograder.gradebook import Gradebook
from autograder.models.host import HostLimits
from tests.exam.helpers import category_reference
from tests.hostile.models import dense_bomb, h5_bomb

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "exam"
GIB = 2**30


def _descendant_host_workers() -> list[int]:
    """Model host children of this test process (other agents' hosts on the machine are not ours)."""
    parents: dict[int, int] = {}
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if b"autograder.models.host_worker" in (entry / "cmdline").read_bytes():
                    workers.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    mine = []
    for pid in workers:
        step = pid
        while step > 1 and step in parents:
            step = parents[step]
            if step == os.getpid():
                mine.append(pid)
                break
    return mine


def _reference() -> Any:
    with category_reference("1") as reference:
        return reference.solution_model()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reference, a weak model and one file per refusal reason, built once."""
    import keras
    import numpy as np

    folder = tmp_path_factory.mktemp("category1")
    made: dict[str, Path] = {}

    def save(name: str, model: Any, suffix: str = ".keras") -> None:
        made[name] = folder / f"{name}{suffix}"
        model.save(made[name])

    reference = _reference()
    save("reference", reference)
    save("reference_h5", reference, ".h5")
    keras.utils.set_random_seed(1)
    weak = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    weak.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mean_squared_error")
    xs = np.arange(-4.0, 4.5, 0.5, dtype=np.float32).reshape(-1, 1)
    weak.fit(xs, 2.0 * xs - 1.0, epochs=6, batch_size=len(xs), verbose=0)  # stopped long before it learnt
    save("weak", weak)
    save("wrong_input", keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)]))
    save("wrong_output", keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, activation="sigmoid")]))
    save("lambda", keras.Sequential([keras.Input(shape=(1,)), keras.layers.Lambda(lambda x: x * 2.0),
                                     keras.layers.Dense(1)]))

    class Doubling(keras.layers.Layer):
        def call(self, x: Any) -> Any:
            return x * 2.0

    save("custom", keras.Sequential([keras.Input(shape=(1,)), Doubling(), keras.layers.Dense(1)]))
    save("lambda_h5", keras.Sequential([keras.Input(shape=(1,)), keras.layers.Lambda(lambda x: x * 2.0),
                                        keras.layers.Dense(1)]), ".h5")
    save("custom_h5", keras.Sequential([keras.Input(shape=(1,)), Doubling(), keras.layers.Dense(1)]), ".h5")
    small = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    made["weights_h5"] = folder / "weights_h5.h5"
    small.save_weights(folder / "weights_h5.weights.h5")
    (folder / "weights_h5.weights.h5").rename(made["weights_h5"])
    save("hollow_h5", small, ".h5")
    import h5py

    with h5py.File(made["hollow_h5"], "a") as store:  # 4 GiB declared, nothing stored: a few KB on disk
        store.create_dataset("hollow", shape=(2**30,), dtype="float32")
    assert made["hollow_h5"].stat().st_size < 2**20
    (folder / "notes.txt").write_text("my model")
    made["text"] = folder / "notes.txt"
    (folder / "fake.keras").write_bytes(b"not a zip archive")
    made["fake"] = folder / "fake.keras"
    for name, attack in (("dense_bomb", dense_bomb), ("h5_bomb", h5_bomb)):
        made[name] = folder / f"{name}.keras"
        made[name].write_bytes(attack())
    return made


@pytest.fixture(scope="module")
def exam() -> Exam:
    return load_exam(EXAM)


def _score(exam: Exam, path: Path, **limits: Any) -> Any:
    category = exam.category("category1")
    return score_file(path, category, hidden_data(category, None), max_bytes=limits.pop("max_bytes", exam.max_bytes),
                      limits=HostLimits(**{"memory_bytes": 1024 * 2**20, "request_s": 60.0, **limits}))


def test_the_reference_scores_five(exam: Exam, files: dict[str, Path]) -> None:
    outcome = _score(exam, files["reference"])
    assert (outcome.status, outcome.score) == ("scored", 5)
    assert outcome.metric is not None and outcome.metric <= exam.category("1").rule.thresholds[-1]


def test_a_legacy_h5_file_is_converted_in_a_sandbox_and_scored_the_same(exam: Exam, files: dict[str, Path]) -> None:
    keras_file, h5_file = _score(exam, files["reference"]), _score(exam, files["reference_h5"])
    assert (h5_file.status, h5_file.score) == ("scored", 5), h5_file
    assert h5_file.metric == pytest.approx(keras_file.metric, rel=1e-5, abs=1e-7)
    assert _descendant_host_workers() == []


def test_a_weak_model_scores_in_between(exam: Exam, files: dict[str, Path]) -> None:
    outcome = _score(exam, files["weak"])
    assert outcome.status == "scored" and 1 <= outcome.score <= 4, outcome
    thresholds = exam.category("1").rule.thresholds
    assert thresholds[outcome.score - 1] >= outcome.metric > thresholds[outcome.score]


@pytest.mark.parametrize(("name", "key", "said"), [
    ("wrong_input", "exam.input_shape", {"found": "(None, 2)", "expected": "(None, 1)"}),
    ("wrong_output", "exam.output_layer", {"found": 'Dense(1, activation="sigmoid")',
                                           "expected": 'Dense(1, activation="linear")'}),
    ("lambda", "model.lambda_refused", {"what": "mymodel"}),
    ("custom", "model.custom_refused", {"name": "Doubling"}),
    ("lambda_h5", "model.lambda_refused", {"what": "mymodel"}),
    ("custom_h5", "model.custom_refused", {"name": "Doubling"}),
    ("hollow_h5", "model.too_large", {"what": "mymodel"}),
    ("weights_h5", "model.not_keras_file", {"what": "mymodel"}),
    ("text", "exam.file_kind", {"name": "notes.txt"}),
    ("fake", "model.not_keras_file", {"what": "mymodel"}),
])
def test_each_refusal_reason(exam: Exam, files: dict[str, Path], name: str, key: str, said: dict[str, str]) -> None:
    outcome = _score(exam, files[name])
    assert (outcome.status, outcome.key, outcome.score) == ("refused", key, 0)
    assert said.items() <= outcome.params.items()


def test_a_file_over_the_cap_is_refused_before_it_is_read(exam: Exam, files: dict[str, Path]) -> None:
    size = files["reference"].stat().st_size
    outcome = _score(exam, files["reference"], max_bytes=size - 1)
    assert (outcome.status, outcome.key) == ("refused", "model.too_large")
    assert outcome.params["limit_mb"] == "0" and outcome.params["what"] == "mymodel"


@pytest.mark.parametrize("name", ["dense_bomb", "h5_bomb"])
def test_a_hostile_file_is_refused_and_the_grader_stays_bounded(exam: Exam, files: dict[str, Path],
                                                                name: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    outcome = _score(exam, files[name], memory_bytes=768 * 2**20)
    assert (outcome.status, outcome.score) == ("refused", 0)
    assert (outcome.key, outcome.params["limit_mb"]) == ("model.host_memory", "768"), outcome
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < GIB / 4
    assert _descendant_host_workers() == []


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_session_start_resume_submit_resubmit_deadline_finish(exam: Exam, files: dict[str, Path],
                                                                tmp_path: Path) -> None:
    clock = Clock()
    gradebook = tmp_path / "gradebook.sqlite"
    db = open_store(gradebook)
    started, resumed = exam_session.start(db, exam, "kim", clock=clock)
    assert not resumed and started.deadline - started.started_at == timedelta(hours=5)
    db.close()  # the grader crashes; an hour later the candidate comes back
    clock.now += timedelta(hours=1)
    db = open_store(gradebook)
    again, resumed = exam_session.start(db, exam, "kim", clock=clock)
    assert resumed and again == started and exam_session.current(db, exam, None) == started
    score = scorer(exam, None)
    weak = exam_session.submit(db, exam, started, "category1", files["weak"], score, clock=clock)
    assert weak.status == "scored" and 1 <= weak.score <= 4
    clock.now += timedelta(minutes=30)
    best = exam_session.submit(db, exam, started, "1", files["reference"], score, clock=clock)
    assert (best.status, best.score) == ("scored", 5)
    clock.now += timedelta(minutes=30)
    wrong = exam_session.submit(db, exam, started, "1", files["wrong_input"], score, clock=clock)
    assert (wrong.status, wrong.score, wrong.key) == ("refused", 0, "exam.input_shape")
    standing = exam_session.standing(db, exam, started, clock=clock)
    by_id = {c.category.id: c for c in standing.categories}
    category = by_id["category1"]
    assert (category.score, category.attempts, category.counted, category.last) == (5, 3, best, wrong)
    assert (by_id["category5"].score, by_id["category5"].attempts) == (0, 0)  # never submitted: 0
    assert standing.seconds_left == 3 * 3600 and standing.open
    share = round(100 / len(exam.categories), 1)  # categories of equal weight: one at 5/5, the others never submitted
    assert len(exam.categories) > 1 and standing.percent == share and not standing.passed  # pass line 80
    last = Exam(exam.folder, exam.config.model_copy(update={"counts": "last"}), exam.categories)
    other, _ = exam_session.start(db, last, "lee", clock=clock)
    assert other.counts == "last"
    clock.now = started.deadline  # the window closes: nothing is accepted, the attempt is on record
    with pytest.raises(exam_session.ExamClosed) as closed:
        exam_session.submit(db, exam, started, "1", files["reference"], score, clock=clock)
    assert closed.value.key == "exam.window_closed" and closed.value.params["deadline"] == "2026-12-02 14:00:00"
    assert [s.status for s in submissions(db, started.id)] == ["scored", "scored", "refused", "late"]
    assert exam_session.standing(db, exam, started, clock=clock).categories[0].score == 5
    assert exam.categories["category1"] is exam_session.standing(db, exam, started).categories[0].category
    standing, page = exam_session.finish(db, exam, exam_session.current(db, exam, "kim"), tmp_path / "out", "ko",
                                         clock=clock)
    text = page.read_text(encoding="utf-8")
    assert not standing.passed and f"합계 {share:g}%" in text and "불합격" in text and "5/5" in text and "kim" in text
    assert "제출하지 않음" in text  # category 5
    assert "입력 크기가 (None, 2)" in text  # what the refused submission meant, in the candidate's language
    finished = exam_session.current(db, exam, "kim")
    assert finished.finished_at == started.deadline and not exam_session.standing(db, exam, finished).open
    with pytest.raises(exam_session.ExamClosed, match=r"exam\.finished"):
        exam_session.submit(db, exam, finished, "1", files["reference"], score, clock=clock)
    lee = exam_session.current(db, exam, None)  # kim's is finished: lee's is the only open one
    assert lee.candidate == "lee"
    exam_session.submit(db, last, lee, "1", files["reference"], score,
                        clock=lambda: started.deadline - timedelta(hours=1))
    exam_session.submit(db, last, lee, "1", files["weak"], score, clock=lambda: started.deadline)
    result, lee_page = exam_session.finish(db, last, lee, tmp_path / "out", "en", clock=clock)
    assert result.categories[0].score == weak.score < 5  # the last one counts, not the best
    assert result.percent == round(weak.score * 100 / (5 * len(exam.categories)), 1)
    assert "FAIL" in lee_page.read_text(encoding="utf-8")
    # the gradebook rows: one per finished session, a question per category worth weight * 5
    exam_session.finish(db, exam, finished, tmp_path / "out", "ko", clock=clock)  # again: the page, no new row
    rows = {r.key.student: r for r in Gradebook(db).results(exam.config.name)}
    assert sorted(rows) == ["kim", "lee"] and len(Gradebook(db).results(exam.config.name)) == 2
    kim = {q.question: q for q in rows["kim"].result.questions}
    assert (kim["category1"].points, kim["category1"].max_points, kim["category1"].checks[0].passed) == (5, 5, True)
    assert kim["category1"].checks[0].measured == best.metric
    assert (kim["category5"].points, kim["category5"].checks[0].key) == (0, "exam.not_submitted")
    assert rows["kim"].result.points == 5 and rows["lee"].result.points == weak.score
    report, grades = write_class(db, exam, tmp_path / "class", "en")
    html = report.read_text(encoding="utf-8")
    assert "Exam categories" in html and "1. A basic model (regression on generated data) (category1)" in html
    first = html.split("(category1)</h3>")[1].split("</table>")[0]
    cells = [c.split(">")[-1] for c in first.split("</td>")[:-1]]
    expected = ["2", "2", f"{(5 + weak.score) / 2:.2f}"] + [str([5, weak.score].count(n)) for n in range(6)]
    assert cells == expected, cells
    assert "kim" in grades.read_text(encoding="utf-8") and "lee" in grades.read_text(encoding="utf-8")
    db.close()
