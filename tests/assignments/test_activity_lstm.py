"""The "activity_lstm" assignment: its checks, one typical mistake at a time, and the examples graded.

Two layers, to keep the cost small:

- In this process, as ``grader.check`` runs on a student's machine: ``split_sequences`` and ``to_one_hot`` are
  taken from the reference notebook and edited into each typical mistake (last label, first label, windows
  past the end, one window too few, 20 one-hot columns); the transfer question gets real (tiny) Keras LSTMs
  trained for an epoch on random windows, frozen or not, trimmed with ``remove_last_layers`` or with
  ``pop()``; the leak check gets the reference's windows and shuffled windows of the real course data.
  Each mistake must lose exactly the checks (and so the points) intended for it.
- In the sandbox, once per module: the example submissions are graded through ``autograder.grade.main``
  with the real data, real training and the calibrated thresholds, and their scores are asserted per question.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.checks import CheckContext, CheckResult, run_checks
from autograder.config import load_config
from autograder.i18n import LANGUAGES
from tests import assignment_helpers
from tests.assignment_helpers import Edit, Handle, example_messages, failed

ROOT = Path(__file__).resolve().parents[2]
NAME = "activity_lstm"
SOLUTION_DIR = ROOT / "solutions" / NAME
MESSAGES = assignment_helpers.messages(SOLUTION_DIR)
REFERENCE = SOLUTION_DIR / f"{NAME}.ipynb"
TEMPLATE = ROOT / "assignments" / NAME / f"{NAME}.ipynb"
POINTS = {"q1": 4.0, "q2": 3.0, "q3": 3.0, "q4": 3.0, "q5": 4.0, "q6": 2.0, "q7": 2.0}
FUNCTIONS = ("split_sequences", "to_one_hot", "remove_last_layers")
MAJORITY = {"split_sequences_majority_label_on_the_notes_example",
            "split_sequences_random_majority_across_label_changes"}
WINDOWS = {"split_sequences_windows_on_the_notes_example", "split_sequences_random_windows_none_past_the_end"}

FULL = dict(POINTS)
EXPECTED_EXAMPLES = {
    # everything right, written differently (a comprehension, np.unique-style numbering with np.eye, LSTM(48))
    "kim_minji": FULL,
    # the last row's label (the two majority checks: 2 of 4) and no freezing (frozen, unchanged: 2 of 4)
    "lee_junho": {**FULL, "q1": 2.0, "q5": 2.0},
    # windows clamped at the end (the two window checks: 2 of 4), shuffled windows split 80/20 (the leak: 2 of 3,
    # and the accuracy measured on subjects whose windows it trained on earns nothing: 0 of 3)
    "park_seoyeon": {**FULL, "q1": 2.0, "q2": 2.0, "q4": 0.0},
    # `Counter` without `collections.`: every split fails, so there are no windows and every `fit` fails. The
    # models are still built and compiled as asked (their structure and the shared weights earn their points; the
    # two freezing checks do not: transfer_model never trained, so nothing shows freezing held in training), but
    # y_train is missing (q2, q3's loss check) and the
    # untrained models guess (q7), and without X_train the leak cannot be ruled out, so q4's accuracy is not
    # credited (q4)
    "choi_yuna": {"q1": 0.0, "q2": 1.0, "q3": 2.0, "q4": 0.0, "q5": 2.0, "q6": 2.0, "q7": 0.0},
}
EXPECTED_EXAMPLE_FAILURES = {
    "kim_minji": {},
    "lee_junho": {"split_sequences_majority_label_on_the_notes_example": "activity_lstm.split_last_label",
                  "split_sequences_random_majority_across_label_changes": "activity_lstm.split_last_label",
                  "transfer_model_base_is_frozen": "model.should_be_frozen",
                  "frozen_layers_did_not_change_in_training": "activity_lstm.frozen_changed"},
    "park_seoyeon": {"split_sequences_windows_on_the_notes_example": "activity_lstm.split_past_end",
                     "split_sequences_random_windows_none_past_the_end": "activity_lstm.split_past_end",
                     "no_test_subject_in_the_training_windows": "activity_lstm.leak",
                     "base_model_accuracy_on_held_out_subjects": "activity_lstm.accuracy_voided_by_leak"},
    "choi_yuna": {**{name: "check.raised" for name in WINDOWS | MAJORITY},
                  "training_windows_and_one_hot_labels": "check.value_missing",
                  "no_test_subject_in_the_training_windows": "check.value_missing",
                  "base_model_loss_fits_one_hot_labels": "check.value_missing",
                  "transfer_model_base_is_frozen": "activity_lstm.transfer_not_trained_frozen",
                  "frozen_layers_did_not_change_in_training": "activity_lstm.transfer_not_trained_frozen",
                  "base_model_accuracy_on_held_out_subjects": "activity_lstm.accuracy_unverified",
                  "finetune_model_accuracy_on_held_out_subjects": "check.metric_too_low"},
}


# -- the checks, as the grader loads them ----------------------------------------------------------------

SPECS = assignment_helpers.specs(SOLUTION_DIR)


def test_questions_points_and_visibility_match_the_config() -> None:
    performance = assignment_helpers.performance_after_config_checks(NAME, SOLUTION_DIR, SPECS, POINTS)
    assert performance == {"q4": "la_heldout_accuracy", "q7": "ra_heldout_accuracy"}
    assert {s.question for s in SPECS if not s.hidden} == set(POINTS) - set(performance)


def test_calibration_is_stored_with_the_cpu_budget() -> None:
    data = json.loads((SOLUTION_DIR / "calibration.json").read_text(encoding="utf-8"))
    assert set(data["metrics"]) == {"la_heldout_accuracy", "ra_heldout_accuracy"}
    for metric in data["metrics"].values():
        assert len(data["seeds"]) >= 2 and len(metric["values"]) == len(data["seeds"])
        assert metric["reference"] == min(metric["values"])
        # far above guessing (1/19) and far below training accuracy: other subjects move differently
        assert 0.3 <= metric["reference"] <= 0.8
        assert metric["threshold"] == pytest.approx(metric["reference"] - 0.08, abs=1e-4)
    assert data["budget"] == load_config(ROOT / "grading_config.yaml").limits_for(NAME).model_dump()


def test_the_template_has_no_solution_and_states_the_cpu_budget() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "collections.Counter(window" not in text
    for words in ("CPU 예산", "CPU budget", "GPU에서는", "On a GPU", "STRIDE = 5"):
        assert words in text, words


def test_the_hand_out_holds_no_answer_code_and_grades_from_stored_values(tmp_path: Path) -> None:
    import shutil

    from autograder import assign
    from autograder.checks import load_checks, sibling

    for name in ("solutions", "assignments"):
        (tmp_path / name).mkdir()
    shutil.copytree(SOLUTION_DIR, tmp_path / "solutions" / NAME)
    shutil.copy(ROOT / "grading_config.yaml", tmp_path)
    made = assign.main(assignment=NAME, config_path=tmp_path / "grading_config.yaml")
    committed = ROOT / "assignments" / NAME
    assert made.public_expected is not None
    assert (committed / "public_expected.json").read_text() == made.public_expected.read_text()
    assert not (committed / "reference.py").exists() and not (committed / "hidden_checks.py").exists()
    handed_out = (committed / "public_checks.py").read_text()
    for answer in ("def windows_expected", "most_common", "Counter"):
        assert answer not in handed_out, answer  # split_sequences' answer stays in solutions/ (reference.py)
    # the stored values are the reference's answer for the notes' example
    reference = sibling(str(SOLUTION_DIR / "hidden_checks.py"), "reference.py")
    x, y = reference.windows_expected(np.array([[10, 15, 1], [20, 25, 1], [30, 35, 2], [40, 45, 2], [50, 55, 2]]), 3)
    stored = json.loads(made.public_expected.read_text())["split_demo"]
    assert np.array_equal(stored["x"], x) and np.array_equal(stored["y"], y) and y.tolist() == [1, 2, 2]
    # the handed-out checks alone (beside their stored values, no reference.py) grade q1 as in solutions/
    alone = tmp_path / "handed_out"
    alone.mkdir()
    shutil.copy(committed / "public_checks.py", alone)
    shutil.copy(committed / "public_expected.json", alone)
    specs = load_checks(alone / "public_checks.py")
    context = CheckContext(lang="en")
    right = {r.name: r for r in run_checks(specs, Handle(functions(), context), ["q1"])}
    assert all(r.passed for r in right.values()) and len(right) == 2
    wrong = {r.name: r.key for r in run_checks(specs, Handle(functions(SPLIT_MISTAKES["last label"]), context), ["q1"])
             if not r.passed}
    assert wrong == {"split_sequences_majority_label_on_the_notes_example": "activity_lstm.split_last_label"}


def test_messages_have_both_languages_render_every_parameter_and_are_all_used() -> None:
    for key in MESSAGES:
        assert key.startswith("activity_lstm."), key
    assignment_helpers.assert_messages_complete(MESSAGES)
    assignment_helpers.assert_message_keys_all_known_and_used(SOLUTION_DIR, "activity_lstm", MESSAGES)


# -- running checks in this process -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def context(shared_data: Path) -> CheckContext:
    """The grader's context: the course data folder and the calibrated thresholds."""
    return assignment_helpers.check_context(SOLUTION_DIR, SPECS, data_dir=shared_data)


def grade(namespace: dict[str, Any], context: CheckContext, questions: list[str]) -> dict[str, CheckResult]:
    return assignment_helpers.grade(SPECS, namespace, context, questions)


def points(results: dict[str, CheckResult]) -> dict[str, float]:
    return assignment_helpers.points(results, POINTS)


def functions(edits: tuple[Edit, ...] = ()) -> dict[str, Any]:
    """The reference's functions with ``edits`` (function, reference text, mistake): a typical mistake."""
    import collections

    import keras

    namespace: dict[str, Any] = {"np": np, "keras": keras, "collections": collections}
    return assignment_helpers.functions(REFERENCE, FUNCTIONS, namespace, edits)


# -- q1 split_sequences, q2 to_one_hot -----------------------------------------------------------------------

MAJORITY_LINE = "y.append(collections.Counter(window[:, -1]).most_common(1)[0][0])"
SPLIT_MISTAKES = {
    "last label": (("split_sequences", MAJORITY_LINE, "y.append(window[-1, -1])"),),
    "first label": (("split_sequences", MAJORITY_LINE, "y.append(window[0, -1])"),),
    "mean label": (("split_sequences", MAJORITY_LINE, "y.append(round(float(window[:, -1].mean())))"),),
    "clamped past the end": (("split_sequences", "            break\n        window = sequences[i:end_ix]",
                              "            end_ix = len(sequences)\n"
                              "        window = sequences[end_ix - n_steps:end_ix]"),),
    "one window too few": (("split_sequences", "if end_ix > len(sequences):", "if end_ix >= len(sequences):"),),
    # the common off-by-one: the loop's range ends one window early
    "range one short": (("split_sequences", "for i in range(len(sequences)):",
                         "for i in range(len(sequences) - n_steps):"),),
}
SPLIT_EXPECTED = {
    "last label": {name: "activity_lstm.split_last_label" for name in MAJORITY},
    "first label": {name: "activity_lstm.split_first_label" for name in MAJORITY},
    # on the notes' example (labels 1 and 2) the rounded mean IS the majority: only the hidden labels catch it
    "mean label": {"split_sequences_random_majority_across_label_changes": "activity_lstm.split_not_majority"},
    "clamped past the end": {name: "activity_lstm.split_past_end" for name in WINDOWS},
    # the labels of the windows it did make are right: one missing window costs the count (the window checks),
    # never the majority-label checks
    "one window too few": {name: "activity_lstm.split_too_few" for name in WINDOWS},
    "range one short": {name: "activity_lstm.split_too_few" for name in WINDOWS},
}


def test_the_reference_functions_earn_full_marks_for_q1(context: CheckContext) -> None:
    results = grade(functions(), context, ["q1"])
    assert failed(results) == {} and points(results) == {"q1": 4.0}


@pytest.mark.parametrize("mistake", sorted(SPLIT_MISTAKES))
def test_each_split_sequences_mistake_loses_exactly_its_checks(mistake: str, context: CheckContext) -> None:
    results = grade(functions(SPLIT_MISTAKES[mistake]), context, ["q1"])
    assert failed(results) == SPLIT_EXPECTED[mistake]


def test_split_sequences_messages_name_the_rule_and_the_fix(context: CheckContext) -> None:
    results = grade(functions(SPLIT_MISTAKES["last label"]), context, ["q1"])
    text = {lang: results["split_sequences_majority_label_on_the_notes_example"].render(lang) for lang in LANGUAGES}
    assert "LAST row" in text["en"] and "most_common" in text["en"] and "window 0" in text["en"]
    assert "마지막 행" in text["ko"] and "고치는 법" in text["ko"]
    # the hidden inputs are described by shape only, never shown
    hidden = results["split_sequences_random_majority_across_label_changes"].render("en")
    assert "float64 array (60, 5)" in hidden and "0.1" not in hidden.split("(window")[0]
    results = grade(functions(SPLIT_MISTAKES["clamped past the end"]), context, ["q1"])
    text_en = results["split_sequences_windows_on_the_notes_example"].render("en")
    assert "made 5 windows" in text_en and "exactly 3" in text_en


def test_one_missing_window_costs_the_count_only_and_the_message_names_the_range_end(context: CheckContext) -> None:
    results = grade(functions(SPLIT_MISTAKES["range one short"]), context, ["q1"])
    assert points(results) == {"q1": 2.0}
    for name in WINDOWS:
        text = {lang: results[name].render(lang) for lang in LANGUAGES}
        # the fix names the range's end, the off-by-one the student wrote, not the reference's `break` loop
        for lang in LANGUAGES:
            assert "range(len(sequences) - n_steps + 1)" in text[lang], text[lang]
        assert "one window short" in text["en"] and "하나만 모자라다면" in text["ko"]
    assert "made 2 windows" in results["split_sequences_windows_on_the_notes_example"].render("en")


def test_an_error_in_split_sequences_fails_every_q1_check(context: CheckContext) -> None:
    broken = (("split_sequences", "collections.Counter", "Counter"),)
    results = grade(functions(broken), context, ["q1"])
    assert set(failed(results)) == WINDOWS | MAJORITY and points(results) == {"q1": 0.0}


def test_to_one_hot_with_20_columns_fails_with_the_reason(context: CheckContext) -> None:
    mistake = (("to_one_hot", 'np.asarray(labels).astype("int64") - 1, 19', "labels"),)
    namespace = functions(mistake)
    results = {r.name: r for r in run_checks(SPECS, Handle(namespace, context), ["q2"])
               if r.name == "to_one_hot_maps_activities_1_to_19"}
    result = results["to_one_hot_maps_activities_1_to_19"]
    assert result.key == "activity_lstm.one_hot_shape" and "(19, 20)" in result.render("en")
    shifted = (("to_one_hot", 'np.asarray(labels).astype("int64") - 1, 19',
                'np.asarray(labels).astype("int64") % 19, 19'),)
    result = next(r for r in run_checks(SPECS, Handle(functions(shifted), context), ["q2"])
                  if r.name == "to_one_hot_maps_activities_1_to_19")
    assert result.key == "activity_lstm.one_hot_values"


# -- q2 the leak, on the real data -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def la_windows(shared_data: Path) -> dict[str, np.ndarray]:
    from autograder.data.daily_sports import load_unit

    table = load_unit(shared_data / "data" / "daily_sports.zip", "LA")
    used = table.where(table.segment <= 5)
    split = functions()["split_sequences"]
    train, _ = split(used.where(used.subject <= 6).table().astype("float32"), 25)
    everything, _ = split(used.table().astype("float32"), 25)
    everything = everything[::5]
    order = np.random.default_rng(0).permutation(len(everything))
    return {"by_subject": train[::5], "shuffled": everything[order[: int(0.8 * len(order))]]}


LEAK = "no_test_subject_in_the_training_windows"


def test_windows_split_by_subject_pass_and_shuffled_windows_leak(context: CheckContext,
                                                                 la_windows: dict[str, np.ndarray]) -> None:
    def run(x_train: np.ndarray) -> CheckResult:
        return next(r for r in run_checks(SPECS, Handle({"X_train": x_train}, context), ["q2"]) if r.name == LEAK)

    assert run(la_windows["by_subject"]).passed
    leaked = run(la_windows["shuffled"])
    assert leaked.key == "activity_lstm.leak"
    share = int(re.search(r"\((\d+)%\)", leaked.render("en")).group(1))  # type: ignore[union-attr]
    assert 15 <= share <= 35  # two of eight subjects: about a quarter
    assert "피험자 7, 8" in leaked.render("ko")


ACCURACY = "base_model_accuracy_on_held_out_subjects"


def test_a_detected_leak_voids_the_accuracy_question(context: CheckContext, la_windows: dict[str, np.ndarray]) -> None:
    import keras
    from keras import layers

    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(25, 9)), layers.LSTM(4), layers.Dense(19, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")

    def q4(namespace: dict[str, Any]) -> dict[str, CheckResult]:
        return {r.name: r for r in run_checks(SPECS, Handle(namespace, context), ["q4"])}

    # split by subject: the accuracy is measured and judged on its own (this untrained model is too low)
    honest = q4({"X_train": la_windows["by_subject"], "base_snapshot": model})[ACCURACY]
    assert honest.key == "check.metric_too_low" and honest.measured is not None
    # shuffled before the split: the leak check fails, and the accuracy measured on subjects the model trained on
    # earns nothing, whatever it is; the message says why and shows the number measured
    leaked = q4({"X_train": la_windows["shuffled"], "base_snapshot": model})
    result = leaked[ACCURACY]
    assert result.status == "failed" and result.key == "activity_lstm.accuracy_voided_by_leak"
    assert points(leaked) == {"q4": 0.0}
    assert f"{honest.measured:.3f}" in result.render("en") and "inflated" in result.render("en")
    assert "누수" in result.render("ko") and "피험자 7, 8" in result.render("ko")
    # X_train deleted: the leak cannot be ruled out, so the accuracy is not credited either
    hidden = q4({"base_snapshot": model})[ACCURACY]
    assert hidden.key == "activity_lstm.accuracy_unverified"
    for lang in LANGUAGES:
        assert "X_train" in hidden.render(lang)


def test_without_the_course_data_the_hidden_data_checks_are_skipped(la_windows: dict[str, np.ndarray]) -> None:
    results = {r.name: r for r in run_checks(SPECS, Handle({"X_train": la_windows["by_subject"]},
                                                           CheckContext(lang="en")), ["q2"])}
    assert results[LEAK].status == "skipped" and results[LEAK].key == "activity_lstm.no_course_data"


# -- q5 transfer: real (tiny) models ------------------------------------------------------------------------------

def _transfer(freeze: bool = True, pop: bool = False, forge: bool = False, fit: bool = True) -> dict[str, Any]:
    """The notebook's q3 / q5 steps at toy size: a base LSTM trained on random windows, then the transfer."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(7)
    remove_last_layers = functions()["remove_last_layers"]
    rng = np.random.default_rng(7)
    x = rng.normal(size=(64, 25, 9)).astype("float32")
    y = keras.utils.to_categorical(rng.integers(0, 19, 64), 19)
    base_model = keras.Sequential([keras.Input(shape=(25, 9)), layers.LSTM(4), layers.Dense(19, activation="softmax")])
    base_model.compile(optimizer="adam", loss="categorical_crossentropy")
    base_model.fit(x, y, epochs=1, verbose=0)
    base_snapshot = keras.models.clone_model(base_model)
    base_snapshot.set_weights(base_model.get_weights())
    if pop:
        base_model.pop()
        feature_model = base_model
    else:
        feature_model = remove_last_layers(base_model, 1)
    transfer_model = keras.Sequential([keras.Input(shape=(25, 9)), *feature_model.layers,
                                       layers.Dense(256, activation="relu"), layers.Dense(19, activation="softmax")])
    if freeze:
        for layer in transfer_model.layers[:-2]:
            layer.trainable = False
    transfer_model.compile(optimizer=keras.optimizers.Adam(0.05), loss="categorical_crossentropy")
    if fit:
        transfer_model.fit(x, y, epochs=1, verbose=0)
    if forge:
        # trained unfrozen, then the flags set and the snapshot taken again: what the notebook records agrees
        for layer in transfer_model.layers[:-2]:
            layer.trainable = False
        base_snapshot = keras.models.clone_model(base_model)
        base_snapshot.set_weights(base_model.get_weights())
    return {"base_model": base_model, "base_snapshot": base_snapshot, "feature_model": feature_model,
            "transfer_model": transfer_model}


Q5 = {"remove_last_layers_keeps_the_base_and_shares_its_weights", "transfer_model_has_the_new_head",
      "transfer_model_base_is_frozen", "frozen_layers_did_not_change_in_training"}


def test_a_frozen_transfer_earns_full_marks_and_no_freezing_loses_two_checks(context: CheckContext) -> None:
    results = grade(_transfer(), context, ["q5"])
    assert set(results) == Q5 and failed(results) == {} and points(results) == {"q5": 4.0}
    results = grade(_transfer(freeze=False), context, ["q5"])
    assert failed(results) == {"transfer_model_base_is_frozen": "model.should_be_frozen",
                               "frozen_layers_did_not_change_in_training": "activity_lstm.frozen_changed"}
    assert points(results) == {"q5": 2.0}
    assert "base_snapshot" in results["frozen_layers_did_not_change_in_training"].render("en")


def test_a_snapshot_taken_again_after_unfrozen_training_fails_both_freezing_checks(context: CheckContext) -> None:
    # the base trained with the head, then frozen and base_snapshot overwritten: the notebook's records agree with
    # the model, but the optimizer saved with transfer_model was built for the weights trainable while it trained,
    # and Keras keeps no state of it for the weights trainable now
    results = grade(_transfer(freeze=False, forge=True), context, ["q5"])
    assert failed(results) == {"transfer_model_base_is_frozen": "activity_lstm.transfer_not_trained_frozen",
                               "frozen_layers_did_not_change_in_training": "activity_lstm.transfer_not_trained_frozen"}
    assert points(results) == {"q5": 2.0}
    for lang in LANGUAGES:
        text = results["transfer_model_base_is_frozen"].render(lang)
        assert "compile" in text and "fit" in text and "trainable = False" in text, text
    # compiled but never trained: nothing shows that freezing held in training either
    results = grade(_transfer(fit=False), context, ["q5"])
    assert failed(results) == {"transfer_model_base_is_frozen": "activity_lstm.transfer_not_trained_frozen",
                               "frozen_layers_did_not_change_in_training": "activity_lstm.transfer_not_trained_frozen"}
    # the honest alternative: the functional API, the kept layers frozen one by one before compile
    import keras
    from keras import layers

    namespace = _transfer(fit=False)
    inputs = keras.Input(shape=(25, 9))
    features = inputs
    for layer in namespace["feature_model"].layers:
        layer.trainable = False
        features = layer(features)
    outputs = layers.Dense(19, activation="softmax")(layers.Dense(256, activation="relu")(features))
    functional = keras.Model(inputs, outputs)
    functional.compile(optimizer="adam", loss="categorical_crossentropy")
    rng = np.random.default_rng(1)
    functional.fit(rng.normal(size=(32, 25, 9)).astype("float32"),
                   keras.utils.to_categorical(rng.integers(0, 19, 32), 19), epochs=1, verbose=0)
    results = grade({**namespace, "transfer_model": functional}, context, ["q5"])
    assert failed(results) == {} and points(results) == {"q5": 4.0}


def test_pop_changes_the_base_model_and_says_so(context: CheckContext) -> None:
    results = grade(_transfer(pop=True), context, ["q5"])
    assert failed(results) == {"remove_last_layers_keeps_the_base_and_shares_its_weights": "activity_lstm.base_mutated"}


def test_a_wrong_head_is_named(context: CheckContext) -> None:
    import keras

    namespace = _transfer()
    model = namespace["transfer_model"]
    wrong = keras.Sequential([keras.Input(shape=(25, 9)), *model.layers[:-2],
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(19, activation="softmax")])
    wrong.compile(optimizer="adam", loss="categorical_crossentropy")  # trained frozen, as asked: only the head is wrong
    rng = np.random.default_rng(2)
    wrong.fit(rng.normal(size=(32, 25, 9)).astype("float32"), keras.utils.to_categorical(rng.integers(0, 19, 32), 19),
              epochs=1, verbose=0)
    results = grade({**namespace, "transfer_model": wrong}, context, ["q5"])
    assert failed(results) == {"transfer_model_has_the_new_head": "activity_lstm.transfer_head"}
    assert "Dense(256" in results["transfer_model_has_the_new_head"].render("en")


# -- the example submissions, graded in the sandbox --------------------------------------------------------

@pytest.fixture(scope="module")
def graded_examples(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return assignment_helpers.grade_examples(NAME, tmp_path_factory.mktemp(NAME), shared_data)


@pytest.mark.slow
def test_examples_score_as_intended(graded_examples: dict[str, Any]) -> None:
    assignment_helpers.assert_examples_score_as_intended(graded_examples, EXPECTED_EXAMPLES,
                                                         EXPECTED_EXAMPLE_FAILURES)


@pytest.mark.slow
def test_examples_stay_within_the_grading_budget(graded_examples: dict[str, Any]) -> None:
    # two submissions at a time on this 2-core machine (shared): each one's wall time about doubles
    assignment_helpers.assert_examples_within_budget(graded_examples, NAME, 0.9)


@pytest.mark.slow
def test_examples_get_korean_feedback_that_names_the_problem(graded_examples: dict[str, Any]) -> None:
    details = graded_examples["details"]
    lee = example_messages(details["lee_junho"])
    assert "마지막 행 레이블" in lee["split_sequences_majority_label_on_the_notes_example"]
    assert "trainable = False" in lee["frozen_layers_did_not_change_in_training"]
    park = example_messages(details["park_seoyeon"])
    assert "피험자 7, 8" in park[LEAK] and "split_sequences" in park[LEAK]
    assert "윈도를 5개" in park["split_sequences_windows_on_the_notes_example"]
    assert "NameError" in example_messages(details["choi_yuna"])["split_sequences_windows_on_the_notes_example"]
    for name in ("kim_minji", "lee_junho", "park_seoyeon"):
        measured = {c["name"]: c.get("measured") for q in details[name]["questions"] for c in q["checks"]}
        if name != "park_seoyeon":  # park's accuracy is voided by the leak: its number is in the message
            assert measured["base_model_accuracy_on_held_out_subjects"] > 0.3, name
        assert measured["finetune_model_accuracy_on_held_out_subjects"] > 0.3, name
    # the leak shows: trained on windows of the test subjects too, park's model scores far above the others, and
    # the message says that this is why it earns nothing
    voided = example_messages(details["park_seoyeon"])["base_model_accuracy_on_held_out_subjects"]
    park = float(re.search(r"\((0\.\d{3})\)", voided).group(1))  # type: ignore[union-attr]
    kim = {c["name"]: c.get("measured") for q in details["kim_minji"]["questions"] for c in q["checks"]}
    assert park > kim["base_model_accuracy_on_held_out_subjects"] + 0.1
    assert "누수" in voided
