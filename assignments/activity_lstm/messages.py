"""Messages of the activity_lstm assignment's checks (ko/en; each says expected / found / fix).

``{call}`` is the call being checked with its arguments described by shape and dtype, e.g.
``split_sequences(float64 array (60, 5), 5)``. Messages show shapes, counts and positions, never the
values of the grader's hidden sequences or of the held-out subjects' data.
"""

# The majority label, said in words: the hint names the tool, not the line of the answer (messages are handed out)
_MAJORITY_LABEL_EN = "the most common value of `window[:, -1]` (`most_common(1)` of a `collections.Counter`)"
_MAJORITY_LABEL_KO = "`window[:, -1]`에서 가장 흔한 값(`collections.Counter`의 `most_common(1)`)"
_SPLIT_FIX_EN = ("Fix: `for i in range(len(sequences)): end_ix = i + n_steps; if end_ix > len(sequences): break`, "
                 "then `window = sequences[i:end_ix]`, `X.append(window[:, :-1])`, "
                 "append " + _MAJORITY_LABEL_EN + " to `y`, and `return np.array(X), np.array(y)`.")
_SPLIT_FIX_KO = ("고치는 법: `for i in range(len(sequences)): end_ix = i + n_steps; if end_ix > len(sequences): "
                 "break` 다음에 `window = sequences[i:end_ix]`, `X.append(window[:, :-1])`, "
                 "`y`에 " + _MAJORITY_LABEL_KO + "을 추가, 마지막에 "
                 "`return np.array(X), np.array(y)`.")
_MAJORITY_EN = ("Expected: each window's MOST COMMON label (" + _MAJORITY_LABEL_EN + "), "
                "so a window across a change of activity gets the activity that fills more of its rows. ")
_MAJORITY_KO = ("기대한 것: 윈도마다 가장 흔한 레이블(" + _MAJORITY_LABEL_KO + "). "
                "활동이 바뀌는 곳에 걸친 윈도는 더 많은 행을 차지한 활동이 레이블입니다. ")

MESSAGES: dict[str, dict[str, str]] = {
    # -- q1 split_sequences -----------------------------------------------------------------------------------
    "activity_lstm.split_not_pair": {
        "en": "`{call}` should return two arrays `(X, y)`; it returned {found}. " + _SPLIT_FIX_EN,
        "ko": "`{call}`은(는) 배열 두 개 `(X, y)`를 반환해야 하는데 {found}을(를) 반환했습니다. " + _SPLIT_FIX_KO,
    },
    "activity_lstm.split_not_arrays": {
        "en": "`{call}`: the returned `{name}` should be a NumPy array of numbers; found {found}. "
              "Fix: return `np.array(X), np.array(y)` built from lists of windows and labels.",
        "ko": "`{call}`: 반환한 `{name}`은(는) 숫자로 된 NumPy 배열이어야 하는데 {found}입니다. "
              "고치는 법: 윈도와 레이블 리스트로 `np.array(X), np.array(y)`를 반환하세요.",
    },
    "activity_lstm.split_shapes": {
        "en": "`{call}` returned X of shape {found_x} and y of shape {found_y}; expected X {expected_x} "
              "(windows, n_steps, features: every column but the last) and y {expected_y} (one label per window). "
              + _SPLIT_FIX_EN,
        "ko": "`{call}`이(가) shape {found_x}인 X와 {found_y}인 y를 반환했습니다. 기대한 것: X {expected_x} "
              "(윈도 수, n_steps, 특성 수: 마지막 열을 뺀 전부), y {expected_y} (윈도마다 레이블 하나). "
              + _SPLIT_FIX_KO,
    },
    "activity_lstm.split_past_end": {
        "en": "`{call}` made {found} windows; {rows} rows with n_steps={n_steps} give exactly {expected} "
              "(len(sequences) - n_steps + 1). The extra windows run past the end of the sequence (they are short "
              "or repeat the last rows). Fix: stop when `i + n_steps > len(sequences)` (`break`), and never pad or "
              "shift a window back to fill it.",
        "ko": "`{call}`이(가) 윈도를 {found}개 만들었습니다. 행 {rows}개, n_steps={n_steps}이면 정확히 "
              "{expected}개(len(sequences) - n_steps + 1)입니다. 남는 윈도는 시퀀스 끝을 넘어갑니다(짧거나 마지막 "
              "행을 되풀이합니다). 고치는 법: `i + n_steps > len(sequences)`이면 멈추세요(`break`). 윈도를 채우려고 "
              "덧붙이거나 뒤로 옮기지 마세요.",
    },
    "activity_lstm.split_too_few": {
        "en": "`{call}` made {found} windows; {rows} rows with n_steps={n_steps} give {expected} "
              "(len(sequences) - n_steps + 1), the last one ending exactly on the last row. When the loop comes out "
              "one window short, its end is off by one: it stops before the window that ends on the last row. "
              "Fix: start positions run over `range(len(sequences) - n_steps + 1)` (`range(len(sequences) - "
              "n_steps)` leaves out the last one); with a `break` instead, stop only when "
              "`i + n_steps > len(sequences)`, not `>=`.",
        "ko": "`{call}`이(가) 윈도를 {found}개 만들었습니다. 행 {rows}개, n_steps={n_steps}이면 "
              "{expected}개(len(sequences) - n_steps + 1)이고, 마지막 윈도는 마지막 행에서 딱 맞게 끝납니다. 윈도가 "
              "하나만 모자라다면 반복의 끝이 하나 어긋난 것입니다: 마지막 행에서 끝나는 윈도 앞에서 멈춥니다. "
              "고치는 법: 시작 위치는 `range(len(sequences) - n_steps + 1)`로 도세요(`range(len(sequences) - "
              "n_steps)`는 마지막 윈도를 빠뜨립니다). `break`를 쓴다면 `>=`가 아니라 `i + n_steps > "
              "len(sequences)`일 때만 멈추세요.",
    },
    "activity_lstm.split_window_values": {
        "en": "`{call}`: window {index} (and {count} of {total} in all) does not hold `sequences[i:i + n_steps, :-1]` "
              "(the rows from i on, every column but the label). " + _SPLIT_FIX_EN,
        "ko": "`{call}`: {index}번 윈도(모두 {total}개 중 {count}개)가 `sequences[i:i + n_steps, :-1]`(i번 행부터, "
              "레이블 열을 뺀 전부)이 아닙니다. " + _SPLIT_FIX_KO,
    },
    "activity_lstm.split_last_label": {
        "en": "`{call}`: {count} of {total} labels are wrong (window {index}: expected {expected}, found {found}). "
              "Your labels are the LAST row's label of each window. " + _MAJORITY_EN
              + "Fix: append " + _MAJORITY_LABEL_EN + " instead of `window[-1, -1]`.",
        "ko": "`{call}`: 레이블 {total}개 중 {count}개가 틀렸습니다({index}번 윈도: 기대 {expected}, 실제 {found}). "
              "윈도의 마지막 행 레이블을 썼습니다. " + _MAJORITY_KO
              + "고치는 법: `window[-1, -1]` 대신 " + _MAJORITY_LABEL_KO + "을 `y`에 추가.",
    },
    "activity_lstm.split_first_label": {
        "en": "`{call}`: {count} of {total} labels are wrong (window {index}: expected {expected}, found {found}). "
              "Your labels are the FIRST row's label of each window. " + _MAJORITY_EN
              + "Fix: append " + _MAJORITY_LABEL_EN + " instead of `window[0, -1]`.",
        "ko": "`{call}`: 레이블 {total}개 중 {count}개가 틀렸습니다({index}번 윈도: 기대 {expected}, 실제 {found}). "
              "윈도의 첫 행 레이블을 썼습니다. " + _MAJORITY_KO
              + "고치는 법: `window[0, -1]` 대신 " + _MAJORITY_LABEL_KO + "을 `y`에 추가.",
    },
    "activity_lstm.split_not_majority": {
        "en": "`{call}`: {count} of {total} labels are wrong (window {index}: expected {expected}, found {found}). "
              + _MAJORITY_EN + "Fix: for each window, append " + _MAJORITY_LABEL_EN + ".",
        "ko": "`{call}`: 레이블 {total}개 중 {count}개가 틀렸습니다({index}번 윈도: 기대 {expected}, 실제 {found}). "
              + _MAJORITY_KO + "고치는 법: 윈도마다 " + _MAJORITY_LABEL_KO + "을 `y`에 추가.",
    },
    # -- q2 labels and data -------------------------------------------------------------------------------------
    "activity_lstm.one_hot_shape": {
        "en": "`{call}` returned shape {found}; expected {expected}: one row per label and one column per activity "
              "(19). `keras.utils.to_categorical(labels)` on labels 1-19 makes 20 columns (an empty column 0). "
              "Fix: `keras.utils.to_categorical(labels.astype(\"int64\") - 1, 19)`.",
        "ko": "`{call}`이(가) shape {found}을(를) 반환했습니다. 기대한 것: {expected} (레이블마다 한 행, 활동마다 한 "
              "열, 19열). 레이블 1-19에 `keras.utils.to_categorical(labels)`을 그대로 쓰면 20열이 됩니다(비어 있는 "
              "0번 열). 고치는 법: `keras.utils.to_categorical(labels.astype(\"int64\") - 1, 19)`.",
    },
    "activity_lstm.one_hot_values": {
        "en": "`{call}`: activity {label} should be a one-hot row with its 1 in column {expected}; found column "
              "{found} (-1: no 1 at all). Activity 1 is column 0 and activity 19 column 18. "
              "Fix: subtract 1 before `to_categorical` (`labels - 1`), keeping the order of the rows.",
        "ko": "`{call}`: 활동 {label}은(는) {expected}번 열이 1인 원-핫 행이어야 하는데 {found}번 열이 1입니다"
              "(-1: 1이 없음). 활동 1이 0번 열, 활동 19가 18번 열입니다. 고치는 법: `to_categorical` 전에 1을 "
              "빼세요(`labels - 1`). 행 순서는 그대로 두세요.",
    },
    "activity_lstm.data_shape": {
        "en": "`{name}` has shape {found}; expected {expected}: windows of N_STEPS rows of the 9 LA channels. "
              "Fix: `{name}, labels = split_sequences(part.table().astype(\"float32\"), N_STEPS)` (the table's last "
              "column is the label), then keep every STRIDE-th window.",
        "ko": "`{name}`의 shape이 {found}입니다. 기대한 것: {expected} (LA 채널 9개의 N_STEPS행 윈도). 고치는 법: "
              "`{name}, labels = split_sequences(part.table().astype(\"float32\"), N_STEPS)`(표의 마지막 열이 "
              "레이블) 다음에 STRIDE개마다 하나씩 남기세요.",
    },
    "activity_lstm.labels_not_one_hot": {
        "en": "`{name}` has shape {found} and is not one-hot; expected {expected}, one row of 19 with a single 1 "
              "per window (the model ends in a 19-way softmax with `categorical_crossentropy`). "
              "Fix: `{name} = to_one_hot(labels)` with the labels `split_sequences` returned (same windows, same "
              "order).",
        "ko": "`{name}`의 shape이 {found}이고 원-핫이 아닙니다. 기대한 것: {expected}, 윈도마다 1이 하나인 19칸 행"
              "(모델이 19개 클래스 softmax와 `categorical_crossentropy`로 끝나므로). 고치는 법: `split_sequences`가 "
              "반환한 레이블로 `{name} = to_one_hot(labels)`(같은 윈도, 같은 순서).",
    },
    "activity_lstm.data_count": {
        "en": "`{x_name}` has {x_count} windows but `{y_name}` has {y_count} labels; expected one label per window. "
              "Fix: slice windows and labels the same way (`X[::STRIDE]` and `labels[::STRIDE]`).",
        "ko": "`{x_name}`에는 윈도가 {x_count}개, `{y_name}`에는 레이블이 {y_count}개 있습니다. 기대한 것: 윈도마다 "
              "레이블 하나. 고치는 법: 윈도와 레이블을 똑같이 자르세요(`X[::STRIDE]`, `labels[::STRIDE]`).",
    },
    "activity_lstm.leak": {
        "en": "{count} of the {total} windows in `X_train` ({share}) start on a row of subjects 7 and 8, the "
              "held-out test subjects. Expected: none; split the TABLE by subject first (`la_used.where(la_used"
              ".subject <= 6)` for training, `>= 7` for testing), then window each part. Shuffling the windows of "
              "all subjects and splitting them puts almost identical, overlapping windows of the same recording "
              "into training and test data and inflates the test accuracy. Fix: split by subject before "
              "`split_sequences`.",
        "ko": "`X_train`의 윈도 {total}개 중 {count}개({share})가 테스트용으로 남겨 둔 피험자 7, 8의 행에서 "
              "시작합니다. 기대한 것: 0개. 표를 먼저 피험자로 나누고(훈련은 `la_used.where(la_used.subject <= 6)`, "
              "테스트는 `>= 7`) 각각 윈도로 만드세요. 모든 피험자의 윈도를 섞어 나누면 같은 녹화에서 나온 거의 똑같은 "
              "(겹치는) 윈도가 훈련과 테스트에 모두 들어가 테스트 정확도가 부풀려집니다. 고치는 법: "
              "`split_sequences` 전에 피험자로 나누세요.",
    },
    # -- q3 / q5 / q6 models --------------------------------------------------------------------------------------
    "activity_lstm.model_input": {
        "en": "Model `{what}` takes input of shape {found}; expected {expected}: windows of N_STEPS rows of 9 "
              "channels. Fix: start the model with `keras.Input(shape=(N_STEPS, 9))`.",
        "ko": "모델 `{what}`의 입력 shape이 {found}입니다. 기대한 것: {expected} (채널 9개의 N_STEPS행 윈도). "
              "고치는 법: 모델을 `keras.Input(shape=(N_STEPS, 9))`로 시작하세요.",
    },
    "activity_lstm.no_lstm": {
        "en": "Model `{what}` has no LSTM layer (found: {found}); expected an `LSTM` that reads each window as a "
              "sequence. Fix: `layers.LSTM(32)` after `keras.Input(shape=(N_STEPS, 9))`.",
        "ko": "모델 `{what}`에 LSTM 층이 없습니다(찾은 층: {found}). 기대한 것: 윈도를 시퀀스로 읽는 `LSTM` 층. "
              "고치는 법: `keras.Input(shape=(N_STEPS, 9))` 다음에 `layers.LSTM(32)`.",
    },
    "activity_lstm.last_layer": {
        "en": "Model `{what}` ends in {found}; expected {expected}: one probability per activity (19). "
              "Fix: make the last layer `layers.Dense(19, activation=\"softmax\")`.",
        "ko": "모델 `{what}`의 마지막 층이 {found}입니다. 기대한 것: {expected} (활동 19가지마다 확률 하나). "
              "고치는 법: 마지막 층을 `layers.Dense(19, activation=\"softmax\")`로 하세요.",
    },
    "activity_lstm.base_mutated": {
        "en": "`base_model` now has {found} layers but had {expected} right after question 3 (`base_snapshot`): "
              "`remove_last_layers` (or other code) removed layers from `base_model` itself, e.g. with "
              "`model.pop()`. Expected: `base_model` unchanged and a NEW model without the last layers. "
              "Fix: `return keras.Sequential(model.layers[:-n])`.",
        "ko": "`base_model`의 층이 {found}개인데 문제 3 직후(`base_snapshot`)에는 {expected}개였습니다. "
              "`remove_last_layers`(또는 다른 코드)가 `model.pop()` 등으로 `base_model` 자체에서 층을 뺐습니다. "
              "기대한 것: `base_model`은 그대로, 마지막 층을 뺀 새 모델. 고치는 법: "
              "`return keras.Sequential(model.layers[:-n])`.",
    },
    "activity_lstm.removed_count": {
        "en": "`feature_model = remove_last_layers(base_model, 1)` has {found} layers; expected {expected} "
              "(`base_model`'s {base} without the last one). Fix: `keras.Sequential(model.layers[:-n])` removes the "
              "last n layers.",
        "ko": "`feature_model = remove_last_layers(base_model, 1)`의 층이 {found}개입니다. 기대한 것: {expected}개"
              "(`base_model`의 {base}개에서 마지막 하나를 뺀 것). 고치는 법: `keras.Sequential(model.layers[:-n])`은 "
              "마지막 n개 층을 뺍니다.",
    },
    "activity_lstm.not_shared": {
        "en": "`feature_model`'s layer {position} ({layer}) does not hold the weights of `base_model`'s {base_layer}; "
              "expected the same layer objects, so the same weights. Fix: build the new model from "
              "`model.layers[:-n]` (do not rebuild new layers or clone the model).",
        "ko": "`feature_model`의 {position}번째 층({layer})이 `base_model`의 {base_layer}와 가중치가 다릅니다. "
              "기대한 것: 같은 층 객체, 그래서 같은 가중치. 고치는 법: `model.layers[:-n]`로 새 모델을 만드세요"
              "(층을 새로 만들거나 모델을 복제하지 마세요).",
    },
    "activity_lstm.transfer_body": {
        "en": "`transfer_model`'s layers before its two-layer head are [{found}]; expected [{expected}], "
              "`base_model`'s layers without its last one. Fix: `keras.Sequential([keras.Input(shape=(N_STEPS, 9)), "
              "*remove_last_layers(base_model, 1).layers, layers.Dense(256, activation=\"relu\"), "
              "layers.Dense(19, activation=\"softmax\")])`.",
        "ko": "`transfer_model`의 헤드(마지막 두 층) 앞 층이 [{found}]입니다. 기대한 것: [{expected}], 즉 마지막 층을 "
              "뺀 `base_model`의 층. 고치는 법: `keras.Sequential([keras.Input(shape=(N_STEPS, 9)), "
              "*remove_last_layers(base_model, 1).layers, layers.Dense(256, activation=\"relu\"), "
              "layers.Dense(19, activation=\"softmax\")])`.",
    },
    "activity_lstm.transfer_head": {
        "en": "`transfer_model`'s head layer {position} is {found}; expected {expected}. The new head is "
              "`Dense(256, activation=\"relu\")` then `Dense(19, activation=\"softmax\")`, the last two layers. "
              "Fix: add exactly these two layers after the kept base layers.",
        "ko": "`transfer_model` 헤드의 {position}번째 층이 {found}입니다. 기대한 것: {expected}. 새 헤드는 "
              "`Dense(256, activation=\"relu\")` 다음 `Dense(19, activation=\"softmax\")`이고 마지막 두 층입니다. "
              "고치는 법: 가져온 층 뒤에 정확히 이 두 층을 붙이세요.",
    },
    "activity_lstm.transfer_not_trained_frozen": {
        "en": "`transfer_model` shows no training with its kept layers frozen: the optimizer saved with it holds no "
              "step for the weights that are trainable now (its new head). Keras keeps an optimizer's state only "
              "for the weights that were trainable when `fit` ran, so either the model never trained after its "
              "last `compile`, or it trained while the kept layers were still trainable and they were frozen "
              "afterwards (then `base_model` trained with them). Expected: freeze, then `compile`, then `fit`. Fix: "
              "set `layer.trainable = False` on every layer before the head, then `compile` and `fit` "
              "`transfer_model` (run the notebook again from question 3; do not `compile` again after `fit`).",
        "ko": "`transfer_model`이 가져온 층을 동결한 채 학습한 흔적이 없습니다: 함께 저장된 옵티마이저에 지금 "
              "학습 가능한 가중치(새 분류 층)에 대한 학습 단계가 하나도 없습니다. 케라스는 `fit`할 때 학습 "
              "가능했던 가중치에 대해서만 옵티마이저 상태를 유지하므로, 마지막 `compile` 뒤에 학습하지 않았거나 "
              "가져온 층이 아직 학습 가능할 때 학습하고 나중에 동결한 것입니다(그러면 `base_model`도 함께 "
              "학습됩니다). 기대한 것: 동결, `compile`, `fit` 순서. 고치는 법: 분류 층 앞의 모든 층에 "
              "`layer.trainable = False`를 설정한 뒤 `transfer_model`을 `compile`하고 `fit`하세요(문제 3부터 "
              "노트북을 다시 실행하고, `fit` 뒤에 다시 `compile`하지 마세요).",
    },
    "activity_lstm.frozen_changed": {
        "en": "`transfer_model`'s layer {position} ({layer}) no longer holds the weights `base_model` had after "
              "question 3 (`base_snapshot`): training on the RA data changed it. Expected: the kept layers frozen, "
              "so only the new head learns. Fix: set `layer.trainable = False` on every layer before the head "
              "BEFORE `compile` and `fit` (then run the notebook again from question 3).",
        "ko": "`transfer_model`의 {position}번째 층({layer})의 가중치가 문제 3 직후의 `base_model`"
              "(`base_snapshot`)과 다릅니다. RA 데이터로 학습하면서 바뀌었습니다. 기대한 것: 가져온 층은 동결되어 새 "
              "헤드만 학습. 고치는 법: `compile`과 `fit` 전에 헤드 앞의 모든 층에 `layer.trainable = False`를 "
              "설정하세요(그리고 문제 3부터 다시 실행하세요).",
    },
    "activity_lstm.finetune_missing": {
        "en": "`finetune_model` has no {kind} layer (found: {found}); expected the kept LSTM base, "
              "`BatchNormalization`, `Dense(256, relu)`, `Dropout` and `Dense(19, softmax)`. "
              "Fix: add `layers.BatchNormalization()` and `layers.Dropout(0.5)` as the notebook shows.",
        "ko": "`finetune_model`에 {kind} 층이 없습니다(찾은 층: {found}). 기대한 것: 가져온 LSTM, "
              "`BatchNormalization`, `Dense(256, relu)`, `Dropout`, `Dense(19, softmax)`. 고치는 법: 노트북의 "
              "안내대로 `layers.BatchNormalization()`과 `layers.Dropout(0.5)`를 넣으세요.",
    },
    # -- q4 / q7 accuracy --------------------------------------------------------------------------------------
    "activity_lstm.accuracy_voided_by_leak": {
        "en": "`base_model`'s accuracy on subjects 7 and 8 ({measured}) earns no points: {count} of the {total} "
              "windows in `X_train` ({share}) come from those very subjects, so the model was tested on people it "
              "trained on, and the accuracy is inflated by the leak (the reference, trained on subjects 1-6 only, "
              "reaches about 0.45). Expected: `X_train` made from subjects 1-6 only. Fix: split the table by "
              "subject before `split_sequences` (see the leak message in question 2), train again, and this "
              "accuracy is measured again.",
        "ko": "피험자 7, 8에 대한 `base_model`의 정확도({measured})는 점수를 받지 못합니다. `X_train`의 윈도 "
              "{total}개 중 {count}개({share})가 바로 그 피험자들에게서 나왔으므로 모델이 학습한 사람으로 시험한 "
              "셈이고, 이 정확도는 누수로 부풀려졌습니다(피험자 1-6으로만 학습한 모범 답안은 0.45 정도). 기대한 것: "
              "피험자 1-6으로만 만든 `X_train`. 고치는 법: `split_sequences` 전에 표를 피험자로 나누고(문제 2의 "
              "누수 메시지 참고) 다시 학습하면 이 정확도를 다시 잽니다.",
    },
    "activity_lstm.accuracy_unverified": {
        "en": "`base_model`'s accuracy on subjects 7 and 8 earns no points because the grader cannot tell what it "
              "was trained on: `X_train` is missing or is not an array of windows (n, 25, 9) (found: {found}), "
              "so the check that no window of the test subjects reached training cannot run. Expected: "
              "`X_train`, the windows `base_model` was trained on, kept in the notebook. Fix: build `X_train` "
              "in question 2 as asked and train `base_model` on it.",
        "ko": "피험자 7, 8에 대한 `base_model`의 정확도는 점수를 받지 못합니다. 무엇으로 학습했는지 채점기가 알 수 "
              "없기 때문입니다: `X_train`이 없거나 윈도 배열 (n, 25, 9)이 아닙니다(찾은 것: {found}). 그래서 "
              "테스트 피험자의 윈도가 학습에 들어가지 않았는지 확인할 수 없습니다. 기대한 것: `base_model`을 "
              "학습한 윈도 `X_train`이 노트북에 남아 있는 것. 고치는 법: 문제 2에서 안내대로 `X_train`을 만들고 "
              "그것으로 `base_model`을 학습하세요.",
    },
    "activity_lstm.no_course_data": {
        "en": "The accuracy on the held-out subjects was not measured: the grader has no course data file "
              "({path}). This is not your doing and does not count against you. Fix (for the course staff): set "
              "the course data folder (`AUTOGRADER_DATA_DIR` or `data_dir` in grading_config.yaml) to the folder "
              "holding `data/daily_sports.zip`.",
        "ko": "테스트 피험자에 대한 정확도를 재지 못했습니다. 채점기에 강의 데이터 파일({path})이 없습니다. "
              "학생의 잘못이 아니며 점수에서 빼지 않습니다. 고치는 법(강의 담당자): 강의 데이터 폴더"
              "(`AUTOGRADER_DATA_DIR` 또는 grading_config.yaml의 `data_dir`)를 `data/daily_sports.zip`이 있는 "
              "폴더로 설정하세요.",
    },
    "activity_lstm.cannot_evaluate": {
        "en": "The grader could not evaluate `{what}` on windows of shape (n, 25, 9) from subjects 7 and 8 "
              "({detail}). Expected: a model that takes `(N_STEPS, 9)` windows of raw float32 readings and returns "
              "19 probabilities. Fix: build the model with `keras.Input(shape=(N_STEPS, 9))` and a "
              "`Dense(19, activation=\"softmax\")` last layer.",
        "ko": "채점기가 피험자 7, 8의 (n, 25, 9) 윈도로 `{what}`을(를) 평가하지 못했습니다({detail}). 기대한 것: "
              "원래 값 그대로인 float32 `(N_STEPS, 9)` 윈도를 받아 확률 19개를 내는 모델. 고치는 법: "
              "`keras.Input(shape=(N_STEPS, 9))`로 시작하고 마지막 층을 `Dense(19, activation=\"softmax\")`로 하세요.",
    },
}
