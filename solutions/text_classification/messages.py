"""Messages of the text_classification assignment's checks (ko/en; each says expected / found / fix).

They show shapes, dtypes, counts and the student's own variable names, never the
grader's hidden inputs or expected values.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "text_classification.not_float": {
        "en": "`{call}` returned an array of dtype {found}; expected a float array (float32 or float64), as "
              "Keras trains on floats. Fix: `np.zeros((len(sequences), dimension), dtype=\"float32\")` "
              "and set entries to `1.`.",
        "ko": "`{call}`이(가) dtype이 {found}인 배열을 반환했습니다. Keras는 실수로 학습하므로 실수 배열"
              "(float32 또는 float64)이어야 합니다. 고치는 법: `np.zeros((len(sequences), dimension), "
              "dtype=\"float32\")`로 만들고 원소를 `1.`로 채우세요.",
    },
    "text_classification.not_float_one_hot": {
        "en": "`{call}` returned an array of dtype {found}; expected a float array, as "
              "`keras.utils.to_categorical` gives. Fix: `np.zeros((len(labels), dimension))` and set entries to "
              "`1.`.",
        "ko": "`{call}`이(가) dtype이 {found}인 배열을 반환했습니다. `keras.utils.to_categorical`처럼 실수 배열이어야 "
              "합니다. 고치는 법: `np.zeros((len(labels), dimension))`로 만들고 원소를 `1.`로 채우세요.",
    },
    "text_classification.counts_not_multi_hot": {
        "en": "`{call}` put values above 1 (up to {found}) in its result: a word that occurs more than once in a "
              "sequence was counted. Multi-hot encoding marks a word that occurs at least once with 1, whatever "
              "the count. Fix: `results[i, j] = 1.` instead of `results[i, j] += 1`.",
        "ko": "`{call}`의 결과에 1보다 큰 값(최대 {found})이 있습니다. 시퀀스에 두 번 이상 나온 단어의 횟수를 센 "
              "것입니다. 멀티-핫 인코딩은 횟수와 상관없이 한 번 이상 나온 단어를 1로 표시합니다. 고치는 법: "
              "`results[i, j] += 1` 대신 `results[i, j] = 1.`을 쓰세요.",
    },
    "text_classification.labels_shape": {
        "en": "`{name}` should be a NumPy array of labels with {rows} rows, but it is {found}. Fix: {fix}.",
        "ko": "`{name}`은(는) 행이 {rows}개인 레이블 NumPy 배열이어야 하는데 {found}입니다. 고치는 법: {fix}.",
    },
    "text_classification.split_values": {
        "en": "`{name}` has the right shape but other labels than `{source}`. The validation set is the first "
              "{count} training samples and the rest is for training. Fix: `{source}` sliced as in the "
              "exercise, without shuffling.",
        "ko": "`{name}`의 shape은 맞지만 `{source}`와 레이블이 다릅니다. 검증 세트는 훈련 데이터의 처음 {count}개이고 "
              "나머지로 학습합니다. 고치는 법: 섞지 말고 문제에 나온 대로 `{source}`를 슬라이싱하세요.",
    },
    "text_classification.history_epochs": {
        "en": "The training history `{what}` covers {found} epoch(s); at least {expected} are needed to see where "
              "the validation loss stops improving. Fix: `{what} = model.fit(..., epochs={expected}, "
              "validation_data=...)` as in the exercise.",
        "ko": "학습 기록 `{what}`은(는) {found} 에포크뿐입니다. 검증 손실이 더 이상 좋아지지 않는 지점을 보려면 "
              "{expected} 에포크 이상이 필요합니다. 고치는 법: 문제처럼 `{what} = model.fit(..., epochs={expected}, "
              "validation_data=...)`.",
    },
    "text_classification.not_retrained": {
        "en": "Model `{what}` made {found} training steps. A fresh model trained for {epochs} epochs on all "
              "{samples} training samples with batch_size={batch} makes {expected}. The lesson of the validation "
              "run is to build a NEW model and train it for only {epochs} epochs, before it starts to overfit. "
              "Fix: build and compile `{what}` again (not the model from the validation run), then "
              "`{what}.fit(<all training data>, epochs={epochs}, batch_size={batch})`.",
        "ko": "모델 `{what}`은(는) {found}번 업데이트(스텝)되었습니다. 새 모델을 훈련 데이터 {samples}개 전체로 "
              "batch_size={batch}, {epochs} 에포크 학습하면 {expected}번입니다. 검증 실험의 교훈은 과대적합이 "
              "시작되기 전인 {epochs} 에포크만 **새 모델**로 다시 학습하는 것입니다. 고치는 법: 검증 실험의 모델을 "
              "이어서 학습하지 말고 `{what}`을(를) 새로 만들고 컴파일한 뒤 "
              "`{what}.fit(<훈련 데이터 전체>, epochs={epochs}, batch_size={batch})`.",
    },
    "text_classification.loss_labels": {
        "en": "Model `{what}`: its loss `{loss}` does not fit its training labels `{labels}`, which are {encoding} "
              "encoded; those labels need {expected}. Fix: either one-hot labels (`to_one_hot` or "
              "`to_categorical`) with `categorical_crossentropy`, or integer labels (`np.array(train_labels)`) "
              "with `sparse_categorical_crossentropy`.",
        "ko": "모델 `{what}`: 손실 함수 `{loss}`가 훈련 레이블 `{labels}`({encoding} 인코딩)와 맞지 않습니다. "
              "이 레이블에는 {expected}가 필요합니다. 고치는 법: 원-핫 레이블(`to_one_hot` 또는 `to_categorical`)과 "
              "`categorical_crossentropy`, 또는 정수 레이블(`np.array(train_labels)`)과 "
              "`sparse_categorical_crossentropy` 중 하나로 맞추세요.",
    },
    "text_classification.cannot_evaluate": {
        "en": "The grader could not evaluate `{what}` on its test data ({detail}). Fix: the model should take "
              "multi-hot vectors of {dimension} floats (`vectorize_sequences(test_data)`) and output {outputs}.",
        "ko": "채점기가 테스트 데이터로 `{what}`을(를) 평가하지 못했습니다({detail}). 고치는 법: 모델은 "
              "{dimension}개 실수로 된 멀티-핫 벡터(`vectorize_sequences(test_data)`)를 받아 {outputs}을(를) "
              "출력해야 합니다.",
    },
    "text_classification.not_fresh": {
        "en": "Model `{what}` made the {found} training steps of {epochs} epochs, but its weights fit the first "
              "{held} training samples (the ones the validation run held out) much worse than the other {rest}: "
              "mean loss {held_loss} against {rest_loss}, computed by the grader on its own copy of the training "
              "data. A new model trained on all the data sees every sample equally often and fits both parts "
              "alike; this one was trained longer on the {rest}, as the validation run's model is when it is "
              "trained on. Fix: build and compile `{what}` again (a new model), then "
              "`{what}.fit(<all training data>, epochs={epochs}, batch_size={batch})`.",
        "ko": "모델 `{what}`은(는) {epochs} 에포크에 해당하는 {found}번 업데이트되었지만, 가중치가 훈련 데이터의 처음 "
              "{held}개(검증 실험에서 떼어 둔 샘플)를 나머지 {rest}개보다 훨씬 못 맞힙니다: 평균 손실 {held_loss} "
              "대 {rest_loss}(채점기가 자신의 훈련 데이터로 계산). 전체 데이터로 학습한 새 모델은 모든 샘플을 같은 "
              "횟수만큼 보므로 두 부분을 비슷하게 맞힙니다. 이 모델은 나머지 {rest}개로 더 오래 학습했습니다. 검증 "
              "실험의 모델을 이어서 학습하면 이렇게 됩니다. 고치는 법: `{what}`을(를) 새로 만들고 컴파일한 뒤 "
              "`{what}.fit(<훈련 데이터 전체>, epochs={epochs}, batch_size={batch})`.",
    },
    "text_classification.bottleneck_epochs": {
        "en": "Model `{what}` made {found} training steps, but trained like the 64-unit model (`{other}`: "
              "{epochs} epochs of {steps} batches of {batch} over the same samples) it makes {expected}. To compare "
              "the two models fairly, train them the same way. Fix: `{what}.fit(...)` with the same data, "
              "`epochs` and `batch_size` as the 64-unit validation run.",
        "ko": "모델 `{what}`은(는) {found}번 업데이트되었지만, 64유닛 모델(`{other}`: 같은 샘플로 batch_size={batch}, "
              "에포크마다 {steps}번, {epochs} 에포크)처럼 학습하면 {expected}번입니다. 두 모델을 공정하게 비교하려면 "
              "같은 방식으로 학습해야 합니다. 고치는 법: 64유닛 검증 실험과 같은 데이터, `epochs`, `batch_size`로 "
              "`{what}.fit(...)`을 실행하세요.",
    },
    "text_classification.bottleneck_untrained": {
        "en": "Model `{what}` classifies {found} of the test newswires correctly (measured by the grader); a "
              "trained 4-unit model gets well over {floor}, and guessing the most frequent topic gets 36%. So it "
              "has not learned: the lesson needs its accuracy after training. Fix: make the cell that trains "
              "`{what}` on the validation run's data run without errors, with the same settings as the 64-unit "
              "run.",
        "ko": "모델 `{what}`은(는) 테스트 뉴스의 {found}만 맞힙니다(채점기가 측정). 학습한 4유닛 모델은 {floor}보다 "
              "훨씬 높고, 가장 흔한 토픽만 답해도 36%입니다. 즉 학습되지 않았습니다. 이 교훈에는 학습한 뒤의 "
              "정확도가 필요합니다. 고치는 법: `{what}`을(를) 검증 실험의 데이터로 학습하는 셀이 64유닛 실험과 같은 "
              "설정으로 오류 없이 실행되게 하세요.",
    },
    "text_classification.bottleneck_not_lower": {
        "en": "Model `{what}` classifies {found} of the test newswires correctly (measured by the grader), not "
              "less than the 64-unit reference model ({expected}); squeezing 46 classes through 4 units should lose "
              "information. Fix: check that `{what}` has `Dense(4)` in the middle and is trained like the "
              "64-unit validation run.",
        "ko": "모델 `{what}`은(는) 테스트 뉴스의 {found}를 맞혀(채점기가 측정) 64유닛 모범 모델({expected})보다 "
              "낮지 않습니다. 46개 클래스를 4유닛으로 압축하면 정보가 손실되어야 합니다. 고치는 법: `{what}`의 "
              "가운데 층이 `Dense(4)`인지, 64유닛 검증 실험과 같은 방식으로 학습했는지 확인하세요.",
    },
    "text_classification.value_missing": {
        "en": "The grader looked for `{name}` in your notebook, but it is not defined. Fix: keep the variable "
              "names the exercise gives, and make sure the cell that assigns `{name}` runs without errors.",
        "ko": "채점기가 노트북에서 `{name}`을(를) 찾았지만 정의되어 있지 않습니다. 고치는 법: 문제에 나온 변수 "
              "이름을 그대로 쓰고, `{name}`에 값을 넣는 셀이 오류 없이 실행되는지 확인하세요.",
    },
    "text_classification.not_built": {
        "en": "Model `{what}` has no weights yet: it was never built or trained, so its layers have no shapes to "
              "check. Fix: make the cell that trains `{what}` run without errors (Keras builds a model on its "
              "first `fit`).",
        "ko": "모델 `{what}`에 아직 가중치가 없습니다. 한 번도 빌드되거나 학습되지 않아서 레이어의 크기를 확인할 수 "
              "없습니다. 고치는 법: `{what}`을(를) 학습하는 셀이 오류 없이 실행되게 하세요(Keras는 첫 `fit`에서 "
              "모델을 빌드합니다).",
    },
}
