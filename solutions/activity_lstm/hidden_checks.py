"""Hidden checks of "activity_lstm": random sequences, no test subject in training, held-out accuracies.

Run only by the grader.

- q1 ``split_sequences`` on sequences drawn here: several lengths and window sizes (a window as long as
  the whole sequence, windows of one row), label runs of different lengths so that many windows span a
  change of label (odd window sizes and at most two labels per window: no ties).
- q2 the grader reads subjects 7 and 8's LA rows from the course data itself and counts the windows of
  ``X_train`` whose first row is one of them (a few recordings
  occur twice in the UCI data, so up to 5% is tolerated): windows shuffled before the split put the test subjects
  into training (about a quarter of the windows).
- q4 / q7 the accuracies, measured here on windows the grader builds itself from the course data: every
  recording (activity x subject) of subjects 7 and 8, all 30 segments, windows of 25 rows every 25 rows
  (never across two recordings), ``float32`` values as the zip holds them, labels ``activity - 1``. q4
  measures ``base_snapshot`` on the LA unit (``base_model`` as question 3 left it), q7 ``finetune_model``
  on the RA unit. Thresholds from ``calibration.json`` (``autograder calibrate activity_lstm``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from autograder.author import (
    CheckFailed,
    CheckSkipped,
    check,
    evaluate,
    expect,
    load_model,
    load_unit,
    performance,
    sibling,
)

N_STEPS = 25
TEST_SUBJECTS = (7, 8)
# share of X_train's windows that may start on a row found in the test subjects' data: the UCI data holds a few
# recordings twice (subject 4's activities 17 and 18 equal a test subject's), about 2% of the reference's windows;
# windows shuffled before the split put about a quarter there
LEAK_TOLERANCE = 0.05


def random_sequences(rows, features, run_lengths, seed):
    """``rows`` rows of random features and a label column made of runs drawn from ``run_lengths``."""
    rng = np.random.default_rng(seed)
    labels: list[int] = []
    while len(labels) < rows:
        labels.extend([int(rng.integers(1, 20))] * int(rng.choice(run_lengths)))
    values = rng.normal(size=(rows, features)).round(3)
    return np.column_stack([values, np.array(labels[:rows], dtype=np.float64)])


public = sibling(__file__)
reference = sibling(__file__, "reference.py")  # split_sequences' answer, never handed out


CASES = ((60, 4, 5, (7, 11, 3), 4101), (33, 2, 1, (4, 9), 4102), (17, 3, 17, (5, 6), 4103),
         (90, 9, 25, (30, 40, 26), 4104))
# every run at least as long as the (odd) window: a window spans at most two labels, so no ties
MAJORITY_CASES = ((60, 4, 5, (5, 7, 11), 4151), (80, 3, 7, (7, 9, 13), 4152), (120, 9, 21, (21, 30), 4153))


@check("q1", weight=1, hidden=True,
       title={"ko": "무작위 시퀀스: 끝을 넘지 않는 모든 윈도",
              "en": "Random sequences: every window, none past the end"})
def split_sequences_random_windows_none_past_the_end(nb):
    for rows, features, n_steps, runs, seed in CASES:
        sequences = random_sequences(rows, features, runs, seed)
        call, x, y = public.split(nb, sequences, n_steps)
        public.expect_windows(call, x, y, sequences, n_steps, reference.windows_expected(sequences, n_steps)[0])


@check("q1", weight=1, hidden=True,
       title={"ko": "무작위 시퀀스: 레이블이 바뀌는 윈도의 다수 레이블",
              "en": "Random sequences: the majority label across label changes"})
def split_sequences_random_majority_across_label_changes(nb):
    for rows, features, n_steps, runs, seed in MAJORITY_CASES:
        sequences = random_sequences(rows, features, runs, seed)
        call, _, y = public.split(nb, sequences, n_steps)
        public.expect_majority(call, y, sequences, n_steps, reference.windows_expected(sequences, n_steps)[1])


# -- the course data, read here ----------------------------------------------------------------------------------

def archive(nb):
    """The course data's zip, or skip: without it nothing can be measured (not the student's doing)."""
    base = nb.context.data_dir
    path = Path(base, "data", "daily_sports.zip") if base else None
    if path is None or not path.is_file():
        raise CheckSkipped("activity_lstm.no_course_data", path=str(path) if path else "-")
    return path


def held_out_windows(nb, unit):
    """Windows of 25 rows every 25 rows inside each recording of the test subjects; labels 0-18 (once per
    submission: its checks share them)."""
    return nb.memo(("held_out_windows", unit), lambda: windows_of(str(archive(nb)), unit))


def windows_of(path, unit):
    table = load_unit(path, unit)
    table = table.where(np.isin(table.subject, TEST_SUBJECTS))
    recording = table.activity * 10 + table.subject
    starts = np.arange(0, len(recording) - N_STEPS + 1, N_STEPS)
    starts = starts[recording[starts] == recording[starts + N_STEPS - 1]]
    x = np.stack([table.features[s:s + N_STEPS] for s in starts]).astype(np.float32)
    return x, (table.activity[starts] - 1).astype(np.int64)


def as_records(rows):
    """Each row of 9 float32 readings as one opaque 36-byte record (for exact set membership)."""
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    return rows.view(np.dtype((np.void, rows.shape[1] * 4))).reshape(-1)


def test_subject_rows(nb):
    """The LA rows of the test subjects as records, sorted (once per submission)."""
    def rows():
        table = load_unit(str(archive(nb)), "LA")
        return np.unique(as_records(table.features[np.isin(table.subject, TEST_SUBJECTS)]))
    return nb.memo("test_subject_rows", rows)


def training_windows(nb):
    """``X_train`` as windows (n, 25, 9), or fail saying what it is."""
    x_train = expect.returned(nb.value("X_train"), "X_train")
    if not isinstance(x_train, np.ndarray) or x_train.ndim != 3 or x_train.shape[-1] != 9 or not len(x_train):
        raise CheckFailed("check.not_array", call="X_train", received=expect.describe(x_train))
    return x_train


def leaked_windows(nb, x_train):
    """How many of ``x_train``'s windows start on a row of the test subjects, and whether that is a leak."""
    leaked = int(np.isin(as_records(x_train[:, 0, :]), test_subject_rows(nb)).sum())
    return leaked, leaked > LEAK_TOLERANCE * len(x_train)


@check("q2", weight=1, hidden=True,
       title={"ko": "훈련 윈도에 테스트 피험자의 데이터가 없음",
              "en": "No test subject's data in the training windows"})
def no_test_subject_in_the_training_windows(nb):
    x_train = training_windows(nb)
    leaked, leak = leaked_windows(nb, x_train)
    if leak:
        raise CheckFailed("activity_lstm.leak", count=f"{leaked:,}", total=f"{len(x_train):,}",
                          share=f"{leaked / len(x_train):.0%}")


def accuracy(nb, name, unit):
    model = load_model(nb, name)
    x, y = held_out_windows(nb, unit)
    try:
        return evaluate.accuracy(model, x, y)
    except CheckFailed:  # the model host ran out of time or memory: that is the message
        raise
    except Exception as error:  # noqa: BLE001  (a model that cannot take the input is the student's answer)
        text = str(error).strip().splitlines()
        detail = f"{type(error).__name__}: {text[-1][:200] if text else ''}"
        raise CheckFailed("activity_lstm.cannot_evaluate", what=name, detail=detail) from None


@performance("q4", metric="la_heldout_accuracy", margin=0.08,
             title={"ko": "제외한 피험자에 대한 `base_model`의 LA 정확도",
                    "en": "`base_model`'s LA accuracy on held-out subjects"})
def base_model_accuracy_on_held_out_subjects(nb):
    """Coupled with the leak check: an accuracy on subjects whose windows ``base_model`` trained on earns nothing.

    ``X_train`` is what the model was trained on (the notebook's own value, the only record of it); when it holds
    the test subjects' windows, or cannot be read at all (so the leak cannot be ruled out), the accuracy the
    grader measures is not credited and the message says why, with the number measured.
    """
    archive(nb)  # without the course data nothing is measured (skipped), leak or not
    try:
        x_train = training_windows(nb)
    except CheckFailed as error:
        raise CheckFailed("activity_lstm.accuracy_unverified", found=str(error.params.get("received", "-"))) from None
    leaked, leak = leaked_windows(nb, x_train)
    measured = accuracy(nb, "base_snapshot", "LA")
    if leak:
        raise CheckFailed("activity_lstm.accuracy_voided_by_leak", measured=f"{measured:.3f}", count=f"{leaked:,}",
                          total=f"{len(x_train):,}", share=f"{leaked / len(x_train):.0%}")
    return measured


@performance("q7", metric="ra_heldout_accuracy", margin=0.08,
             title={"ko": "제외한 피험자에 대한 `finetune_model`의 RA 정확도",
                    "en": "`finetune_model`'s RA accuracy on held-out subjects"})
def finetune_model_accuracy_on_held_out_subjects(nb):
    return accuracy(nb, "finetune_model", "RA")
