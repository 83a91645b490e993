"""Messages of the kfold_regression assignment's checks (ko/en; each says expected / found / fix)."""

MESSAGES: dict[str, dict[str, str]] = {
    # q1 standardize ------------------------------------------------------------------------------
    "kfold_regression.standardize_not_pair": {
        "en": "`{call}` should return two arrays, `(train_data, test_data)`, both standardised; it returned "
              "{found}. Fix: end the function with `return train_data, test_data`.",
        "ko": "`{call}`은(는) 표준화한 배열 두 개 `(train_data, test_data)`를 반환해야 하는데 {found}을(를) "
              "반환했습니다. 고치는 법: 함수 끝에 `return train_data, test_data`를 쓰세요.",
    },
    "kfold_regression.leak_test_statistics": {
        "en": "`{call}`: the returned `{part}` was standardised with the mean and std of the TEST data. That is "
              "a leak: the test set must play the part of data never seen, so nothing may be computed from it. "
              "Expected: `mean = train_data.mean(axis=0)`, `std = train_data.std(axis=0)` computed on the "
              "training data only, and those two applied to both parts. Fix: compute mean and std once, from "
              "`train_data`, and use them for `test_data` too.",
        "ko": "`{call}`: 반환한 `{part}`을(를) 테스트 데이터의 평균과 표준편차로 표준화했습니다. 이것은 정보 누설"
              "입니다. 테스트 세트는 한 번도 보지 못한 데이터 역할을 해야 하므로 테스트 세트에서 아무것도 계산하면 "
              "안 됩니다. 기대한 것: 훈련 데이터에서만 `mean = train_data.mean(axis=0)`, "
              "`std = train_data.std(axis=0)`을 계산해 두 데이터에 모두 적용. 고치는 법: 평균과 표준편차를 "
              "`train_data`에서 한 번만 계산하고 `test_data`에도 그 값을 쓰세요.",
    },
    "kfold_regression.leak_whole_data": {
        "en": "`{call}`: the returned `{part}` was standardised with the mean and std of the WHOLE data set "
              "(training and test rows together). That leaks the test set into the preprocessing. Expected: "
              "mean and std computed on `train_data` only (`train_data.mean(axis=0)`, `train_data.std(axis=0)`), "
              "applied to both parts. Fix: do not concatenate the two parts before computing the statistics.",
        "ko": "`{call}`: 반환한 `{part}`을(를) 전체 데이터(훈련 + 테스트)의 평균과 표준편차로 표준화했습니다. "
              "테스트 세트의 정보가 전처리에 새어 들어갑니다. 기대한 것: `train_data`에서만 계산한 평균과 "
              "표준편차(`train_data.mean(axis=0)`, `train_data.std(axis=0)`)를 두 데이터에 적용. 고치는 법: "
              "통계를 계산하기 전에 두 데이터를 합치지 마세요.",
    },
    "kfold_regression.standardize_wrong": {
        "en": "`{call}`: the returned `{part}` is not `(x - mean) / std` with the training data's mean and std "
              "per feature (column). Expected: `mean = train_data.mean(axis=0)`, `std = train_data.std(axis=0)`, "
              "then `(train_data - mean) / std` and `(test_data - mean) / std`. Fix: check `axis=0` (per "
              "feature, not per row or over everything) and that you both subtract the mean and divide by "
              "the std.",
        "ko": "`{call}`: 반환한 `{part}`이(가) 훈련 데이터의 특성(열)별 평균과 표준편차로 계산한 "
              "`(x - mean) / std`가 아닙니다. 기대한 것: `mean = train_data.mean(axis=0)`, "
              "`std = train_data.std(axis=0)` 다음 `(train_data - mean) / std`와 `(test_data - mean) / std`. "
              "고치는 법: `axis=0`(행이나 전체가 아니라 특성별)인지, 평균을 빼고 표준편차로 나누기를 모두 "
              "했는지 확인하세요.",
    },
    # q2 build_model ------------------------------------------------------------------------------
    "kfold_regression.model_not_built": {
        "en": "`{what}` returned a model without an input shape, so its layers and parameters do not exist yet. "
              "Expected: a model that takes 13 features. Fix: start the model with `keras.Input(shape=(13,))` "
              "(or `shape=(train_data.shape[1],)`).",
        "ko": "`{what}`이(가) 입력 크기가 없는 모델을 반환해서 레이어와 파라미터가 아직 만들어지지 않았습니다. "
              "기대한 것: 특성 13개를 받는 모델. 고치는 법: 모델을 `keras.Input(shape=(13,))`"
              "(또는 `shape=(train_data.shape[1],)`)로 시작하세요.",
    },
    "kfold_regression.input_shape": {
        "en": "`{what}`: the model's input should be {expected} (13 features per house), found {found}. "
              "Fix: `keras.Input(shape=(13,))`.",
        "ko": "`{what}`: 모델의 입력은 {expected}(집마다 특성 13개)여야 하는데 {found}입니다. 고치는 법: "
              "`keras.Input(shape=(13,))`.",
    },
    "kfold_regression.sigmoid_output": {
        "en": "`{what}`: the last layer has a sigmoid activation, so the model can only predict values between 0 "
              "and 1, while house prices are between about 5 and 50 (thousands of dollars). Expected: for scalar "
              "regression, `Dense(1)` with no activation (linear), so the output can take any value. Fix: "
              "remove `activation=\"sigmoid\"` from the last layer.",
        "ko": "`{what}`: 마지막 레이어에 sigmoid 활성화 함수가 있어서 모델이 0과 1 사이의 값만 예측할 수 있는데, "
              "집값은 약 5에서 50(천 달러) 사이입니다. 기대한 것: 스칼라 회귀에는 활성화 함수가 없는(선형) "
              "`Dense(1)`이라 어떤 값이든 출력할 수 있어야 합니다. 고치는 법: 마지막 레이어에서 "
              "`activation=\"sigmoid\"`를 빼세요.",
    },
    "kfold_regression.relu_output": {
        "en": "`{what}`: the last layer has a relu activation. Expected: for scalar regression, `Dense(1)` with "
              "no activation (linear). A relu output cannot be negative and stops learning on every sample for "
              "which it outputs 0 (its gradient is zero there). Fix: remove `activation=\"relu\"` from the last "
              "layer (keep it on the two hidden layers).",
        "ko": "`{what}`: 마지막 레이어에 relu 활성화 함수가 있습니다. 기대한 것: 스칼라 회귀에는 활성화 함수가 "
              "없는(선형) `Dense(1)`. relu 출력은 음수가 될 수 없고, 0을 출력하는 샘플에서는 그래디언트가 0이라 "
              "학습이 멈춥니다. 고치는 법: 마지막 레이어에서 `activation=\"relu\"`를 빼세요(은닉층 두 개에는 "
              "그대로 둡니다).",
    },
    "kfold_regression.output_activation": {
        "en": "`{what}`: the last layer's activation should be none (linear) for scalar regression, found "
              "`{found}`. Fix: `layers.Dense(1)` without `activation=`.",
        "ko": "`{what}`: 스칼라 회귀에서 마지막 레이어의 활성화 함수는 없어야(선형) 하는데 `{found}`입니다. "
              "고치는 법: `activation=` 없이 `layers.Dense(1)`.",
    },
    # q3 K-fold: the partition --------------------------------------------------------------------
    "kfold_regression.not_folds": {
        "en": "`{call}` should return a list of k folds, each a tuple `(x_train, y_train, x_val, y_val)`; it "
              "returned {found}. Fix: collect the folds in a list (`folds.append((...))`) and return it.",
        "ko": "`{call}`은(는) 폴드 k개의 리스트(각각 튜플 `(x_train, y_train, x_val, y_val)`)를 반환해야 "
              "하는데 {found}을(를) 반환했습니다. 고치는 법: 리스트에 폴드를 모아(`folds.append((...))`) "
              "반환하세요.",
    },
    "kfold_regression.fold_count": {
        "en": "`{call}` should return k = {k} folds, found {found}. Fix: `for i in range(k):`, one fold each.",
        "ko": "`{call}`은(는) 폴드 k = {k}개를 반환해야 하는데 {found}개입니다. 고치는 법: "
              "`for i in range(k):`로 폴드를 하나씩 만드세요.",
    },
    "kfold_regression.fold_not_arrays": {
        "en": "`{call}`: fold {fold} should be a tuple of four arrays `(x_train, y_train, x_val, y_val)`, found "
              "{found}. Fix: `folds.append((x_train, y_train, x_val, y_val))` with NumPy slices of `data` and "
              "`targets`.",
        "ko": "`{call}`: 폴드 {fold}은(는) 배열 네 개의 튜플 `(x_train, y_train, x_val, y_val)`이어야 하는데 "
              "{found}입니다. 고치는 법: `data`와 `targets`를 NumPy로 자른 배열로 "
              "`folds.append((x_train, y_train, x_val, y_val))`.",
    },
    "kfold_regression.fold_rows_changed": {
        "en": "`{call}`, fold {fold}: `{part}` should hold whole, unchanged rows of `data` (slices of it), but "
              "it does not (rows altered, columns cut, or the array reshaped). Fix: slice rows only, e.g. "
              "`data[i * n:(i + 1) * n]`, and join with `np.concatenate([...], axis=0)`.",
        "ko": "`{call}`, 폴드 {fold}: `{part}`에는 `data`의 행이 바뀌지 않은 채로 들어 있어야(슬라이스) 하는데 "
              "그렇지 않습니다(행이 바뀌었거나 열이 잘렸거나 모양이 바뀜). 고치는 법: "
              "`data[i * n:(i + 1) * n]`처럼 행만 자르고 `np.concatenate([...], axis=0)`로 이어 붙이세요.",
    },
    "kfold_regression.fold_targets_misaligned": {
        "en": "`{call}`, fold {fold}: `{part}` does not hold the targets of the rows in `{rows}` (in the same "
              "order). Fix: slice `targets` exactly as you slice `data` (the same indices, the same "
              "`np.concatenate`).",
        "ko": "`{call}`, 폴드 {fold}: `{part}`에 `{rows}`의 행에 해당하는 타깃이 같은 순서로 들어 있지 "
              "않습니다. 고치는 법: `targets`를 `data`와 똑같이(같은 인덱스, 같은 `np.concatenate`) 자르세요.",
    },
    "kfold_regression.train_has_val_rows": {
        "en": "`{call}`, fold {fold}: the training data contains {count} of the {size} validation rows. The "
              "model would be validated on rows it trained on, so the score says nothing about new data. "
              "Expected: training = every row except the validation fold. Fix: `np.concatenate([data[:i * n], "
              "data[(i + 1) * n:]])`.",
        "ko": "`{call}`, 폴드 {fold}: 훈련 데이터에 검증 행 {size}개 중 {count}개가 들어 있습니다. 모델을 학습한 "
              "행으로 검증하게 되어 점수가 새 데이터에 대해 아무것도 말해 주지 않습니다. 기대한 것: 훈련 = 검증 "
              "폴드를 뺀 모든 행. 고치는 법: `np.concatenate([data[:i * n], data[(i + 1) * n:]])`.",
    },
    "kfold_regression.rows_repeated": {
        "en": "`{call}`, fold {fold}: {count} rows appear more than once in `{part}`. Expected: every row of "
              "`data` exactly once per fold, in training or in validation. Fix: check the slice bounds.",
        "ko": "`{call}`, 폴드 {fold}: `{part}`에 {count}개 행이 두 번 이상 들어 있습니다. 기대한 것: 폴드마다 "
              "`data`의 모든 행이 훈련 또는 검증에 정확히 한 번. 고치는 법: 슬라이스 경계를 확인하세요.",
    },
    "kfold_regression.rows_missing": {
        "en": "`{call}`, fold {fold}: {count} of the {total} rows of `data` are in neither the training nor the "
              "validation data. Expected: training = every row outside the validation fold, including the "
              "rows after it and the remainder rows at the end. Fix: `np.concatenate([data[:i * n], "
              "data[(i + 1) * n:]])`.",
        "ko": "`{call}`, 폴드 {fold}: `data`의 행 {total}개 중 {count}개가 훈련에도 검증에도 없습니다. 기대한 것: "
              "훈련 = 검증 폴드 밖의 모든 행(폴드 뒤의 행과 끝에 남는 행 포함). 고치는 법: "
              "`np.concatenate([data[:i * n], data[(i + 1) * n:]])`.",
    },
    "kfold_regression.fold_size": {
        "en": "`{call}`: validation fold {fold} has {found} rows; with {rows} rows and k = {k}, each fold should "
              "have n = len(data) // k = {expected} rows (the book; the len(data) % k rows left over stay in "
              "every training set), or n + 1 for some folds if every row validates once (np.array_split). "
              "Fix: `n = len(data) // k` and `data[i * n:(i + 1) * n]`.",
        "ko": "`{call}`: 검증 폴드 {fold}의 행이 {found}개입니다. 행 {rows}개, k = {k}이면 폴드마다 "
              "n = len(data) // k = {expected}개여야 합니다(책의 방식: 남는 len(data) % k개 행은 모든 훈련 "
              "세트에 들어감). 모든 행을 한 번씩 검증한다면(np.array_split) 일부 폴드는 n + 1개. 고치는 법: "
              "`n = len(data) // k`와 `data[i * n:(i + 1) * n]`.",
    },
    "kfold_regression.folds_overlap": {
        "en": "`{call}`: validation folds {first} and {second} share {count} rows. In K-fold validation the "
              "folds are disjoint: each row validates at most once. Fix: fold i is `data[i * n:(i + 1) * n]` "
              "(not `data[i:i + n]`).",
        "ko": "`{call}`: 검증 폴드 {first}와 {second}가 행 {count}개를 공유합니다. K-겹 검증에서 폴드는 서로 "
              "겹치지 않아야 합니다(각 행은 많아야 한 번 검증). 고치는 법: 폴드 i는 `data[i * n:(i + 1) * n]`"
              "(`data[i:i + n]`이 아님).",
    },
    # q3 K-fold: k_fold_validate ------------------------------------------------------------------
    "kfold_regression.validate_not_triple": {
        "en": "`{call}` should return three things, `(all_scores, all_mae_histories, models)`; it returned "
              "{found}. Fix: `return all_scores, all_mae_histories, models`.",
        "ko": "`{call}`은(는) 세 가지 `(all_scores, all_mae_histories, models)`를 반환해야 하는데 {found}을(를) "
              "반환했습니다. 고치는 법: `return all_scores, all_mae_histories, models`.",
    },
    "kfold_regression.validate_part": {
        "en": "`{call}`: `{part}` should be a list of k = {k} entries (scores: numbers; histories: lists of "
              "per-epoch numbers; models: Keras models), found {found}. Fix: per fold, append `val_mae` to "
              "`all_scores`, `history.history[\"val_mae\"]` to `all_mae_histories` and the fold's model to "
              "`models`.",
        "ko": "`{call}`: `{part}`은(는) 항목 k = {k}개의 리스트여야 합니다(점수: 숫자, 히스토리: 에포크별 숫자 "
              "리스트, 모델: 케라스 모델). 받은 것: {found}. 고치는 법: 폴드마다 `all_scores`에 `val_mae`, "
              "`all_mae_histories`에 `history.history[\"val_mae\"]`, `models`에 그 폴드의 모델을 추가하세요.",
    },
    "kfold_regression.validate_count": {
        "en": "`{call}`: `{part}` should have k = {k} entries, one per fold, found {found}. Fix: append once "
              "per fold, inside `for i in range(k):`.",
        "ko": "`{call}`: `{part}`은(는) 폴드마다 하나씩 k = {k}개여야 하는데 {found}개입니다. 고치는 법: "
              "`for i in range(k):` 안에서 폴드마다 한 번 추가하세요.",
    },
    "kfold_regression.model_reused": {
        "en": "`{call}`: the models of folds {first} and {second} have identical weights: one model was trained "
              "on fold after fold. It has then already trained on the rows it validates on from fold 2 on, "
              "so the scores are too optimistic. Expected: k = {k} fresh models. Fix: call "
              "`model = build_model()` INSIDE the loop, once per fold (and make `build_model` create a new "
              "model each time it is called).",
        "ko": "`{call}`: 폴드 {first}와 {second}의 모델 가중치가 똑같습니다. 모델 하나를 폴드마다 계속 "
              "학습했습니다. 그러면 두 번째 폴드부터는 검증할 행으로 이미 학습한 상태라 점수가 너무 "
              "낙관적입니다. 기대한 것: 새 모델 k = {k}개. 고치는 법: 반복문 안에서 폴드마다 "
              "`model = build_model()`을 호출하세요(`build_model`은 호출할 때마다 새 모델을 만들어야 합니다).",
    },
    "kfold_regression.validate_needs_split": {
        "en": "`{call}`: to check each fold's score the grader asks your `k_fold_split` which rows each fold "
              "validates on, and it did not return k = {k} folds of whole rows (see the `k_fold_split` check). "
              "Expected: `k_fold_validate` trains on the folds of `k_fold_split`. Fix: make `k_fold_split` "
              "return `[(x_train, y_train, x_val, y_val), ...]` first.",
        "ko": "`{call}`: 폴드별 점수를 확인하려고 채점기는 `k_fold_split`에 각 폴드의 검증 행을 묻는데, 온전한 "
              "행으로 된 폴드 k = {k}개를 반환하지 않았습니다(`k_fold_split` 검사를 보세요). 기대한 것: "
              "`k_fold_validate`는 `k_fold_split`의 폴드로 훈련합니다. 고치는 법: 먼저 `k_fold_split`이 "
              "`[(x_train, y_train, x_val, y_val), ...]`을 반환하게 하세요.",
    },
    "kfold_regression.validation_in_training": {
        "en": "`{call}`: the model of fold {fold} trained on that fold's own validation rows. The grader gave each "
              "fold's validation rows a pattern of their own: the model of fold {fold} follows it (its "
              "prediction moves {own} per unit, as much as for the other folds' patterns: {others}), which "
              "only training on those rows can teach. Its validation score is then measured on data it has "
              "seen. Expected: each of the k = {k} models trains on `x_train, y_train` of its fold only. Fix: "
              "`model.fit(x_train, y_train, ...)` with the fold's training part, never `data, targets`.",
        "ko": "`{call}`: 폴드 {fold}의 모델이 그 폴드의 검증 행으로 훈련했습니다. 채점기는 폴드마다 검증 행에 "
              "고유한 패턴을 넣었는데, 폴드 {fold}의 모델이 그 패턴을 따릅니다(예측이 단위당 {own}만큼 움직여 "
              "다른 폴드의 패턴 {others}만큼 움직입니다). 이것은 그 행으로 훈련해야만 배울 수 있습니다. 그러면 "
              "검증 점수는 이미 본 데이터로 잰 것입니다. 기대한 것: 모델 k = {k}개가 각각 자기 폴드의 "
              "`x_train, y_train`으로만 훈련. 고치는 법: `data, targets`가 아니라 폴드의 훈련 부분으로 "
              "`model.fit(x_train, y_train, ...)`을 호출하세요.",
    },
    "kfold_regression.scores_void_leak": {
        "en": "`{call}`: these validation scores do not count: the model of fold {fold} trains on its own "
              "validation rows (see the check that no fold's model trains on its validation rows), so its "
              "score measures rows it has seen. Fix: train each fold's model on that fold's `x_train, y_train` "
              "only.",
        "ko": "`{call}`: 이 검증 점수는 인정되지 않습니다. 폴드 {fold}의 모델이 자기 검증 행으로 훈련하므로"
              "(폴드의 모델이 자기 검증 행으로 훈련하지 않는지 보는 검사를 보세요) 그 점수는 이미 본 행으로 잰 "
              "것입니다. 고치는 법: 폴드마다 모델을 그 폴드의 `x_train, y_train`으로만 훈련하세요.",
    },
    "kfold_regression.score_not_mae": {
        "en": "`{call}`: the score of fold {fold} is not a finite, non-negative number (a MAE). Fix: "
              "`val_mse, val_mae = model.evaluate(val_data, val_targets, verbose=0)` and append `val_mae`; "
              "if it is NaN, check that the data were standardised.",
        "ko": "`{call}`: 폴드 {fold}의 점수가 유한한 0 이상의 숫자(MAE)가 아닙니다. 고치는 법: "
              "`val_mse, val_mae = model.evaluate(val_data, val_targets, verbose=0)`로 구한 `val_mae`를 "
              "추가하세요. NaN이면 데이터를 표준화했는지 확인하세요.",
    },
    "kfold_regression.history_length": {
        "en": "`{call}`: the history of fold {fold} has {found} entries, expected one per epoch ({expected}). "
              "Fix: `history = model.fit(..., epochs=num_epochs, batch_size=batch_size, validation_data=(val_data, "
              "val_targets), verbose=0)` and append `history.history[\"val_mae\"]`.",
        "ko": "`{call}`: 폴드 {fold}의 히스토리 항목이 {found}개인데 에포크마다 하나씩 {expected}개여야 합니다. "
              "고치는 법: `history = model.fit(..., epochs=num_epochs, batch_size=batch_size, "
              "validation_data=(val_data, val_targets), verbose=0)` 다음 `history.history[\"val_mae\"]`를 "
              "추가하세요.",
    },
    "kfold_regression.history_not_val_mae": {
        "en": "`{call}`: the last entry of fold {fold}'s history is not that fold's validation MAE (the score). "
              "Expected: the per-epoch VALIDATION MAE, `history.history[\"val_mae\"]`, not the training "
              "`\"mae\"` or the loss. Fix: pass `validation_data=(val_data, val_targets)` to `fit` and record "
              "`\"val_mae\"`.",
        "ko": "`{call}`: 폴드 {fold} 히스토리의 마지막 값이 그 폴드의 검증 MAE(점수)가 아닙니다. 기대한 것: "
              "에포크별 검증 MAE `history.history[\"val_mae\"]`(훈련 `\"mae\"`나 손실이 아님). 고치는 법: "
              "`fit`에 `validation_data=(val_data, val_targets)`를 주고 `\"val_mae\"`를 기록하세요.",
    },
    "kfold_regression.score_not_val_mae": {
        "en": "`{call}`: the score of fold {fold} is not the mean absolute error that fold's returned model "
              "makes on that fold's validation data (the grader recomputed it). Expected: the validation MAE "
              "of the fold's own model after training. Fix: evaluate the model of this fold on "
              "`(val_data, val_targets)` (not on the training data) and return that same model.",
        "ko": "`{call}`: 폴드 {fold}의 점수가 반환한 그 폴드의 모델이 그 폴드의 검증 데이터에서 내는 평균 절대 "
              "오차가 아닙니다(채점기가 다시 계산함). 기대한 것: 학습이 끝난 그 폴드 모델의 검증 MAE. 고치는 "
              "법: 이 폴드의 모델을 (훈련 데이터가 아니라) `(val_data, val_targets)`로 평가하고, 바로 그 "
              "모델을 반환하세요.",
    },
    "kfold_regression.scores_implausible": {
        "en": "`{call}`: fold {fold} scored a validation MAE of {score} (thousands of dollars), no better than "
              "always predicting the average training price (MAE {baseline}). A model that learned anything does "
              "better. Fix: if your scores are close to the average price itself (about {mean_price}), the "
              "output is squashed to a small range: the last layer needs no activation. Otherwise check the "
              "standardisation and that `fit` runs for `num_epochs` epochs.",
        "ko": "`{call}`: 폴드 {fold}의 검증 MAE가 {score}(천 달러)로, 훈련 데이터의 평균 가격을 항상 예측하는 "
              "것(MAE {baseline})보다 낫지 않습니다. 조금이라도 학습한 모델은 이보다 낫습니다. 점수가 평균 가격"
              "(약 {mean_price})에 가깝다면 출력이 좁은 범위로 눌려 있는 것입니다. 고치는 법: 마지막 레이어에 "
              "활성화 함수를 쓰지 마세요. 아니라면 표준화와 `fit`이 `num_epochs` 에포크 동안 실행되는지 "
              "확인하세요.",
    },
    "kfold_regression.model_unusable": {
        "en": "Model `{what}` could not predict house prices from 13 standardised features: {detail}. Fix: the "
              "model takes input of shape (None, 13) and has one output.",
        "ko": "모델 `{what}`이(가) 표준화한 특성 13개로 집값을 예측하지 못했습니다: {detail}. 고치는 법: 모델의 "
              "입력 크기는 (None, 13), 출력은 하나여야 합니다.",
    },
    "kfold_regression.final_model_missing": {
        "en": "The notebook has no `{name}` to grade: the final model cell did not define it (or it raised an error "
              "before). Expected: `{name} = build_model()` trained with `{name}.fit(train_data, train_targets, "
              "epochs=80, batch_size=16, verbose=0)`. Fix: make that cell and the cells before it run without "
              "errors, and keep the name `{name}`.",
        "ko": "채점할 `{name}`이(가) 노트북에 없습니다. 최종 모델 셀이 정의하지 않았거나 그 전에 오류가 났습니다. "
              "기대한 것: `{name} = build_model()`을 `{name}.fit(train_data, train_targets, epochs=80, "
              "batch_size=16, verbose=0)`로 학습. 고치는 법: 그 셀과 앞의 셀이 오류 없이 실행되게 하고 이름 "
              "`{name}`을 그대로 두세요.",
    },
    "kfold_regression.final_model_outputs": {
        "en": "Model `{what}` should predict one price per house ({rows} houses), but each prediction has shape "
              "{found}. Fix: the last layer is `layers.Dense(1)`.",
        "ko": "모델 `{what}`은(는) 집마다 가격 하나({rows}채)를 예측해야 하는데 예측 하나의 모양이 {found}입니다. "
              "고치는 법: 마지막 레이어는 `layers.Dense(1)`.",
    },
    # q4 smooth_curve -----------------------------------------------------------------------------
    "kfold_regression.smooth_not_list": {
        "en": "`{call}` should return a list of numbers (one smoothed point per point), found {found}. Fix: end "
              "with `return smoothed_points`.",
        "ko": "`{call}`은(는) 숫자 리스트(점마다 부드럽게 만든 점 하나)를 반환해야 하는데 {found}입니다. "
              "고치는 법: 마지막에 `return smoothed_points`.",
    },
    "kfold_regression.smooth_length": {
        "en": "`{call}` should return as many points as it was given ({expected}), found {found}. Fix: append "
              "exactly one smoothed point per input point.",
        "ko": "`{call}`은(는) 받은 점과 같은 개수({expected})를 반환해야 하는데 {found}개입니다. 고치는 법: "
              "입력 점마다 부드럽게 만든 점을 정확히 하나씩 추가하세요.",
    },
    "kfold_regression.smooth_empty": {
        "en": "`{call}` raised an error on an empty list; expected an empty list back. Fix: do not read "
              "`points[0]` before the loop; start from an empty `smoothed_points` list as the book does.",
        "ko": "`{call}`이(가) 빈 리스트에서 오류를 냈습니다. 빈 리스트를 반환해야 합니다. 고치는 법: 반복문 "
              "전에 `points[0]`을 읽지 말고 책처럼 빈 `smoothed_points` 리스트에서 시작하세요.",
    },
    "kfold_regression.smooth_first_point": {
        "en": "`{call}`: the first smoothed point should be the first point unchanged (there is nothing before "
              "it to average with), but it was changed. Fix: `if smoothed_points: ... else: "
              "smoothed_points.append(point)`.",
        "ko": "`{call}`: 첫 번째 점은 (앞에 평균 낼 점이 없으므로) 그대로여야 하는데 바뀌었습니다. 고치는 법: "
              "`if smoothed_points: ... else: smoothed_points.append(point)`.",
    },
    "kfold_regression.smooth_factor_swapped": {
        "en": "`{call}`: the weights are swapped. Expected: `previous * factor + point * (1 - factor)`: the "
              "factor (0.9) weighs the previous SMOOTHED point, so the curve changes slowly. Fix: swap "
              "`factor` and `1 - factor`.",
        "ko": "`{call}`: 가중치가 뒤바뀌었습니다. 기대한 것: `previous * factor + point * (1 - factor)`. "
              "factor(0.9)는 직전의 부드럽게 만든 점에 곱해져서 곡선이 천천히 변합니다. 고치는 법: `factor`와 "
              "`1 - factor`를 바꾸세요.",
    },
    "kfold_regression.smooth_raw_previous": {
        "en": "`{call}`: each point is averaged with the previous RAW point. Expected: an exponential moving "
              "average, which averages with the previous SMOOTHED point, `smoothed_points[-1]`. Fix: "
              "`previous = smoothed_points[-1]`.",
        "ko": "`{call}`: 각 점을 직전의 원래 점과 평균 냈습니다. 기대한 것: 지수 이동 평균은 직전의 부드럽게 "
              "만든 점 `smoothed_points[-1]`과 평균 냅니다. 고치는 법: `previous = smoothed_points[-1]`.",
    },
}
