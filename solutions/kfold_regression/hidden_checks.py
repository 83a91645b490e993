"""Hidden checks of "kfold_regression" (Deep Learning with Python, sections 3.6 / 4.2: Boston housing).

Run only by the grader. Inputs are drawn from fixed seeds and are never shown:
- q1: training and test parts with clearly different means and spreads per
  column (float32 and float64, several shapes) and the real Boston split, so
  standardising with the test statistics or with the whole data set gives
  values unlike the right ones, and the message names which leak it was;
- q3: K-fold partitions of data whose first column is each row's number, in
  sizes that ``k`` does not divide (the book's remainder rows), one row per
  fold, and the Boston size;
- q4: smooth_curve on random curves, a single point, an empty list, a NumPy
  array, and other factors;
- q5: the final model's MAE on the Boston test split, standardised by the
  grader with the training statistics; the threshold is calibrated from the
  reference solution (``autograder calibrate kfold_regression``).

The diagnosing helpers live in ``public_checks.py`` (loaded from beside this file), the
answer-computing ones in ``reference.py`` (never handed out; ``public_checks.py`` compares the public
inputs' outputs with the values ``autograder assign`` stores from it in ``public_expected.json``).
"""

from __future__ import annotations

import numpy as np

from autograder.author import CheckFailed, check, evaluate, load_model, performance, sibling

public = sibling(__file__)
reference = sibling(__file__, "reference.py")  # the answer-computing helpers, never handed out


# q1 standardize ------------------------------------------------------------------------------------

@check("q1", weight=1, hidden=True,
       title={"ko": "무작위 입력도 훈련 데이터의 통계로만 표준화",
              "en": "Random inputs: standardises with the training statistics only"})
def standardize_hidden_inputs(nb):
    rng = np.random.default_rng(3101)
    for rows_train, rows_test, width, dtype in ((60, 20, 5, np.float64), (33, 9, 13, np.float32),
                                                (200, 50, 1, np.float64)):
        means = rng.uniform(-50, 50, width)
        scales = rng.uniform(0.5, 20, width)
        train = public._columns(rng, rows_train, means, scales).astype(dtype)
        # the test part is shifted by one to three training stds and spread differently
        shift = rng.uniform(1, 3, width) * rng.choice([-1.0, 1.0], width)
        test = public._columns(rng, rows_test, means + shift * scales, scales * rng.uniform(0.3, 0.6, width))
        test = test.astype(dtype)
        public.expect_standardized(nb, train, test, reference.standardize_expected(train, test))
    (x_train, _), (x_test, _) = public.boston(nb)
    public.expect_standardized(nb, x_train, x_test, reference.standardize_expected(x_train, x_test))


# q3 K-fold partition -------------------------------------------------------------------------------

@check("q3", weight=1, hidden=True,
       title={"ko": "여러 크기의 무작위 입력도 올바른 K-겹 분할",
              "en": "Random inputs of several sizes: a correct K-fold partition"})
def k_fold_split_hidden_inputs(nb):
    rng = np.random.default_rng(3301)
    for rows, width, k, dtype in ((23, 4, 4, np.float64), (7, 2, 7, np.float64), (50, 3, 3, np.float32),
                                  (404, 13, 4, np.float64), (11, 5, 2, np.float64)):
        data, targets = public.id_rows(rows, width, rng, dtype)
        public.expect_partition(nb, data, targets, k)


# q4 smooth_curve -----------------------------------------------------------------------------------

@check("q4", weight=1, hidden=True, title={"ko": "무작위 곡선과 경계 사례", "en": "Random curves and edge cases"})
def smooth_curve_hidden_inputs(nb):
    rng = np.random.default_rng(3401)
    curve = list(3.0 + 5.0 * np.exp(-np.arange(60) / 8) + rng.normal(0, 0.3, 60))
    for points, factor in (([float(v) for v in curve], None), ([float(v) for v in rng.uniform(-10, 10, 25)], 0.6),
                           ([7.25], None), ([], None),
                           (rng.uniform(0, 5, 12), None),  # a NumPy array of points works too
                           ([float(v) for v in rng.uniform(0, 5, 8)], 0.0)):
        public.expect_smoothed(nb, points, reference.smooth_expected(points, factor), factor)


# q5 the final model --------------------------------------------------------------------------------

@performance("q5", metric="boston_test_mae", goal="min", margin=0.5,
             title={"ko": "최종 모델의 테스트 MAE", "en": "The final model's test MAE"})
def final_model_test_mae(nb):
    model = load_model(nb, "model", missing="kfold_regression.final_model_missing")
    _, _, x_test, y_test = public.standardized_boston(nb)
    try:
        predictions = evaluate.predict(model, x_test)
    except CheckFailed:  # the model host ran out of time or memory: that is the message
        raise
    except Exception as error:  # the student's model decides what fails
        raise CheckFailed("kfold_regression.model_unusable", what="model",
                          detail=f"{type(error).__name__}: {str(error)[:200]}") from error
    if predictions.size != len(y_test):
        raise CheckFailed("kfold_regression.final_model_outputs", what="model", found=tuple(predictions.shape[1:]),
                          rows=len(y_test))
    return float(np.mean(np.abs(predictions.reshape(-1).astype(np.float64) - y_test)))
