"""Messages of model checks: loading, architecture, compile settings, labels, performance."""

MESSAGES: dict[str, dict[str, str]] = {
    "model.not_a_model": {
        "en": "`{what}` should be a Keras model, but it is {found}. Fix: return (or assign) the model object itself, "
              "e.g. `model = keras.Sequential([...])`.",
        "ko": "`{what}`은(는) Keras 모델이어야 하는데 {found}입니다. 고치는 법: `model = keras.Sequential([...])`처럼 "
              "모델 객체 자체를 반환(또는 대입)하세요.",
    },
    "model.too_large": {
        "en": "The model `{what}` is {size_mb} MB when saved, over the {limit_mb} MB the grader accepts. Keras "
              "saves each parameter in 4 bytes, so that is a budget of about {budget} parameters (see "
              "`model.summary()`). Fix: build the model the exercise asks for (layer sizes, input shape); it is "
              "much smaller.",
        "ko": "모델 `{what}`을(를) 저장하면 {size_mb} MB로, 채점기가 받는 {limit_mb} MB를 넘습니다. Keras는 "
              "파라미터 하나를 4바이트로 저장하므로 파라미터 예산은 약 {budget}개입니다(`model.summary()`로 "
              "확인하세요). 고치는 법: 문제에서 요구하는 모델(레이어 크기, 입력 크기)을 만드세요. 훨씬 작습니다.",
    },
    "model.not_keras_file": {
        "en": "The model `{what}` did not arrive as a Keras model file ({detail}). Fix: use a plain Keras model "
              "built from `keras.layers`.",
        "ko": "모델 `{what}`이(가) Keras 모델 파일로 전달되지 않았습니다({detail}). 고치는 법: `keras.layers`로 만든 "
              "일반 Keras 모델을 사용하세요.",
    },
    "model.config_unreadable": {
        "en": "The model `{what}` could not be read ({detail}). "
              "Fix: use a plain Keras model built from `keras.layers`.",
        "ko": "모델 `{what}`을(를) 읽을 수 없습니다({detail}). "
              "고치는 법: `keras.layers`로 만든 일반 Keras 모델을 사용하세요.",
    },
    "model.lambda_refused": {
        "en": "The model `{what}` contains a Lambda layer (`{layer}`), which carries Python code; the grader never "
              "runs code from a model. Fix: replace it with built-in layers (e.g. `Rescaling`, `Reshape`, "
              "`Activation`) or do that step in your data preparation.",
        "ko": "모델 `{what}`에 파이썬 코드를 담은 Lambda 레이어(`{layer}`)가 있습니다. "
              "채점기는 모델 속 코드를 실행하지 않습니다. "
              "고치는 법: 내장 레이어(`Rescaling`, `Reshape`, `Activation` 등)로 바꾸거나 "
              "그 단계를 데이터 준비에서 하세요.",
    },
    "model.custom_refused": {
        "en": "The model `{what}` uses the class `{name}` ({origin}), which was not saved as Keras saves its own "
              "classes: a class defined in the notebook (also a subclass of a Keras layer, whatever its "
              "`__module__`) is not part of Keras, and the grader loads only Keras' own layers. Fix: build the "
              "model from `keras.layers` only, without subclassing them.",
        "ko": "모델 `{what}`이(가) 클래스 `{name}`({origin})를 사용하는데, Keras가 자기 클래스를 저장하는 방식으로 "
              "저장되지 않았습니다. 노트북에서 정의한 클래스(Keras 레이어를 상속했더라도, `__module__`이 무엇이든)는 "
              "Keras의 것이 아니며, 채점기는 Keras 내장 레이어만 불러옵니다. 고치는 법: `keras.layers`를 상속하지 "
              "말고 그대로 써서 모델을 만드세요.",
    },
    "model.no_module": {"en": "no module", "ko": "모듈 없음"},
    "model.weights_unreadable": {
        "en": "Model `{what}` was saved without weights Keras can read back (Keras error: {detail}). This happens "
              "when `fit` failed before the first training step, so the model was never trained. Fix: the error in the "
              "cell that trains `{what}` (often a loss that does not fit the labels), then run it again.",
        "ko": "모델 `{what}`이(가) Keras가 다시 읽을 수 있는 가중치 없이 저장되었습니다(케라스 오류: {detail}). "
              "`fit`이 첫 학습 스텝 전에 실패해서 모델이 학습되지 않았을 때 이렇게 됩니다. 고치는 법: "
              "`{what}`을(를) 학습하는 셀의 오류(레이블에 맞지 않는 손실 함수인 경우가 많습니다)를 고치고 "
              "다시 실행하세요.",
    },
    "model.load_failed": {
        "en": "Keras could not load the model `{what}` in safe mode ({detail}). Fix: use a plain Keras model built "
              "from `keras.layers`, and check that `model.save('m.keras')` and `keras.models.load_model('m.keras')` "
              "work in your notebook.",
        "ko": "Keras가 모델 `{what}`을(를) 안전 모드로 불러오지 못했습니다({detail}). 고치는 법: `keras.layers`로 만든 "
              "일반 모델을 쓰고, 노트북에서 `model.save('m.keras')`와 `keras.models.load_model('m.keras')`가 되는지 "
              "확인하세요.",
    },
    "model.host_timeout": {
        "en": "The grader stopped {doing} the model `{what}`: it took longer than the {seconds} s the grader allows. "
              "The grader measures every model in a separate process with the assignment's time limits; a model "
              "that is far bigger or deeper than the exercise asks (a layer applied many times, huge layers, "
              "inputs blown up by `UpSampling`) is too slow there. Fix: build the model the exercise describes; "
              "it predicts a batch in well under a second.",
        "ko": "채점기가 모델 `{what}`을(를) {doing} 중에 멈췄습니다. "
              "채점기가 허용하는 {seconds}초보다 오래 걸렸습니다. "
              "채점기는 모든 모델을 과제의 시간 제한이 걸린 별도 프로세스에서 측정합니다. 문제에서 요구하는 것보다 "
              "훨씬 크거나 깊은 모델(같은 레이어를 여러 번 적용, 거대한 레이어, `UpSampling`으로 부풀린 입력)은 "
              "그 안에서 너무 느립니다. 고치는 법: 문제에 나온 모델을 만드세요. 배치 하나를 1초도 안 걸려 예측합니다.",
    },
    "model.host_memory": {
        "en": "The model `{what}` needed more than the {limit_mb} MB of memory the grader allows while {doing} it. "
              "The grader measures every model in a separate process with the assignment's memory limit; layers "
              "with huge weights (e.g. `Dense` with tens of thousands of units on a wide input), weights files "
              "that declare huge arrays, or layers that blow up their output (a large `UpSampling`) do not fit "
              "there. Fix: build the model the exercise describes and save it with Keras as it is.",
        "ko": "모델 `{what}`을(를) {doing} 중에 채점기가 허용하는 {limit_mb} MB보다 많은 메모리가 필요했습니다. "
              "채점기는 모든 모델을 과제의 메모리 제한이 걸린 별도 프로세스에서 측정합니다. 가중치가 거대한 레이어"
              "(넓은 입력에 유닛이 수만 개인 `Dense` 등), 거대한 배열을 선언한 가중치 파일, 출력을 부풀리는 레이어"
              "(큰 `UpSampling`)는 그 안에 들어가지 않습니다. 고치는 법: 문제에 나온 모델을 만들고 Keras로 그대로 "
              "저장하세요.",
    },
    "model.host_crashed": {
        "en": "The grader's model process stopped while {doing} the model `{what}` ({detail}). Fix: use a plain "
              "Keras model built from `keras.layers`, and check that `model.save('m.keras')` and "
              "`keras.models.load_model('m.keras')` work in your notebook.",
        "ko": "모델 `{what}`을(를) {doing} 중에 채점기의 모델 프로세스가 멈췄습니다({detail}). 고치는 법: "
              "`keras.layers`로 만든 일반 Keras 모델을 쓰고, 노트북에서 `model.save('m.keras')`와 "
              "`keras.models.load_model('m.keras')`가 되는지 확인하세요.",
    },
    "model.output_too_large": {
        "en": "While {doing} the model `{what}`, its answer came to {size_mb} MB, over the {limit_mb} MB the grader "
              "accepts at once. Fix: build the model the exercise describes; its output is a few numbers per input.",
        "ko": "모델 `{what}`을(를) {doing} 중에 결과가 {size_mb} MB가 되어, 채점기가 한 번에 받는 {limit_mb} MB를 "
              "넘었습니다. 고치는 법: 문제에 나온 모델을 만드세요. 입력마다 출력은 숫자 몇 개입니다.",
    },
    "model.doing_load": {"en": "loading", "ko": "불러오는"},
    "model.doing_weights": {"en": "reading the weights of", "ko": "가중치를 읽는"},
    "model.doing_predict": {"en": "computing the predictions of", "ko": "예측을 계산하는"},
    "model.doing_evaluate": {"en": "evaluating", "ko": "평가하는"},
    "model.not_a_history": {
        "en": "`{what}` should be the History that `model.fit(...)` returns, but it is {found}. "
              "Fix: `history = model.fit(...)`.",
        "ko": "`{what}`은(는) `model.fit(...)`이 반환하는 History여야 하는데 {found}입니다. "
              "고치는 법: `history = model.fit(...)`.",
    },
    "model.history_lacks": {
        "en": "The training history `{what}` has no `{missing}` (it has: {found}). Fix: pass the validation data "
              "to `fit` and the metric to `compile`.",
        "ko": "학습 기록 `{what}`에 `{missing}`이(가) 없습니다(있는 것: {found}). 고치는 법: `fit`에 검증 데이터를, "
              "`compile`에 지표를 넘기세요.",
    },
    "model.layer_missing": {
        "en": "Model `{what}`: layer {position} ({expected}) is missing; the model stops before it. "
              "Fix: add the layers the exercise lists, in order.",
        "ko": "모델 `{what}`: {position}번째 레이어({expected})가 없습니다. 모델이 그 앞에서 끝납니다. "
              "고치는 법: 문제에 나온 레이어를 순서대로 추가하세요.",
    },
    "model.layer_extra": {
        "en": "Model `{what}`: layer {position} (`{layer}`, {found}) is one more than the exercise asks for. "
              "Fix: remove it.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`, {found})는 문제에서 요구한 것보다 많습니다. "
              "고치는 법: 그 레이어를 빼세요.",
    },
    "model.layer_kind": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should be {expected}, found {found}. "
              "Fix: check the order and types of your layers against the exercise.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)는 {expected}여야 하는데 {found}입니다. "
              "고치는 법: 레이어 종류와 순서를 문제와 비교하세요.",
    },
    "model.layer_output_shape": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should output {expected}, found {found}. "
              "Fix: check its units / filters and the input shape.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)의 출력 크기는 {expected}여야 하는데 {found}입니다. "
              "고치는 법: 유닛/필터 수와 입력 크기를 확인하세요.",
    },
    "model.layer_activation": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should use activation `{expected}`, found `{found}`. "
              "Fix: `activation=\"{expected}\"`.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)의 활성화 함수는 `{expected}`여야 하는데 "
              "`{found}`입니다. 고치는 법: `activation=\"{expected}\"`.",
    },
    "model.layer_units": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should have {expected} units, found {found}.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)의 유닛 수는 {expected}여야 하는데 {found}입니다.",
    },
    "model.layer_filters": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should have {expected} filters, found {found}.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)의 필터 수는 {expected}여야 하는데 {found}입니다.",
    },
    "model.layer_params": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should have {expected} parameters, found {found}. "
              "Fix: check its size and the size of the layer before it.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)의 파라미터는 {expected}개여야 하는데 {found}개입니다. "
              "고치는 법: 이 레이어와 앞 레이어의 크기를 확인하세요.",
    },
    "model.layer_trainable": {
        "en": "Model `{what}`: layer {position} (`{layer}`) should have trainable={expected}, found {found}.",
        "ko": "모델 `{what}`: {position}번째 레이어(`{layer}`)는 trainable={expected}여야 하는데 {found}입니다.",
    },
    "model.params_total": {
        "en": "Model `{what}` should have {expected} parameters in all, found {found}. "
              "Fix: compare `model.summary()` with the exercise.",
        "ko": "모델 `{what}`의 전체 파라미터는 {expected}개여야 하는데 {found}개입니다. "
              "고치는 법: `model.summary()`를 문제와 비교하세요.",
    },
    "model.params_trainable": {
        "en": "Model `{what}` should have {expected} trainable parameters, found {found}. "
              "Fix: check which layers are frozen (`trainable = False`).",
        "ko": "모델 `{what}`의 학습 가능한 파라미터는 {expected}개여야 하는데 {found}개입니다. "
              "고치는 법: 어떤 레이어를 동결(`trainable = False`)했는지 확인하세요.",
    },
    "model.params_non_trainable": {
        "en": "Model `{what}` should have {expected} non-trainable parameters, found {found}.",
        "ko": "모델 `{what}`의 학습되지 않는 파라미터는 {expected}개여야 하는데 {found}개입니다.",
    },
    "model.last_activation": {
        "en": "Model `{what}`: for {task}, the last layer's activation should be {expected}, found `{found}`.",
        "ko": "모델 `{what}`: {task}에는 마지막 레이어의 활성화 함수가 {expected}여야 하는데 `{found}`입니다.",
    },
    "model.not_compiled": {
        "en": "Model `{what}` was not compiled. Fix: call `model.compile(optimizer=..., loss=..., metrics=[...])` "
              "before training.",
        "ko": "모델 `{what}`을(를) 컴파일하지 않았습니다. 고치는 법: 학습 전에 "
              "`model.compile(optimizer=..., loss=..., metrics=[...])`를 호출하세요.",
    },
    "model.loss": {
        "en": "Model `{what}`: for {task}, the loss should be {expected}, found `{found}`.",
        "ko": "모델 `{what}`: {task}에는 손실 함수가 {expected}여야 하는데 `{found}`입니다.",
    },
    "model.optimizer": {
        "en": "Model `{what}`: the optimizer should be `{expected}`, found `{found}`. "
              "Fix: `model.compile(optimizer=\"{expected}\", ...)`.",
        "ko": "모델 `{what}`: 옵티마이저는 `{expected}`여야 하는데 `{found}`입니다. "
              "고치는 법: `model.compile(optimizer=\"{expected}\", ...)`.",
    },
    "model.learning_rate": {
        "en": "Model `{what}`: the learning rate should be at most {expected}, found {found}. Fix: a small rate, "
              "e.g. `optimizer=keras.optimizers.RMSprop(learning_rate={expected})`.",
        "ko": "모델 `{what}`: 학습률은 {expected} 이하여야 하는데 {found}입니다. 고치는 법: "
              "`optimizer=keras.optimizers.RMSprop(learning_rate={expected})`처럼 작은 값을 쓰세요.",
    },
    "model.metrics": {
        "en": "Model `{what}`: `compile` should track {expected}, found: {found}. Fix: `metrics=[...]` in `compile`.",
        "ko": "모델 `{what}`: `compile`에서 {expected} 지표를 기록해야 하는데 있는 것: {found}. "
              "고치는 법: `compile`에 `metrics=[...]`를 넘기세요.",
    },
    "model.loss_labels": {
        "en": "Model `{what}`: the loss `{loss}` does not fit your labels, which are {encoding} encoded; that "
              "encoding needs {expected}. Fix: change the loss, or encode the labels to match (integer labels -> "
              "`sparse_categorical_crossentropy`, one-hot -> `categorical_crossentropy`, 0/1 with a sigmoid -> "
              "`binary_crossentropy`).",
        "ko": "모델 `{what}`: 손실 함수 `{loss}`가 레이블 인코딩({encoding})과 맞지 않습니다. "
              "이 인코딩에는 {expected}가 필요합니다. "
              "고치는 법: 손실 함수를 바꾸거나 레이블 인코딩을 맞추세요(정수 레이블 -> "
              "`sparse_categorical_crossentropy`, 원-핫 -> `categorical_crossentropy`, 시그모이드와 0/1 -> "
              "`binary_crossentropy`).",
    },
    "model.from_logits": {
        "en": "Model `{what}`: the last layer already applies softmax, but the loss was given `from_logits=True`. "
              "Fix: drop `from_logits=True` (or remove the softmax).",
        "ko": "모델 `{what}`: 마지막 레이어가 이미 softmax인데 손실 함수에 `from_logits=True`를 주었습니다. "
              "고치는 법: `from_logits=True`를 빼세요(또는 softmax를 빼세요).",
    },
    "model.no_such_layer": {
        "en": "Model `{what}` has no layer named `{layer}`. Fix: keep Keras' layer names (do not rename the base).",
        "ko": "모델 `{what}`에 `{layer}`라는 레이어가 없습니다. 고치는 법: Keras의 레이어 이름을 그대로 두세요.",
    },
    "model.should_be_frozen": {
        "en": "Model `{what}`: layer `{layer}` should be frozen but is trainable. Fix: `layer.trainable = False` "
              "(before `compile`).",
        "ko": "모델 `{what}`: `{layer}` 레이어는 동결되어야 하는데 학습 가능합니다. 고치는 법: `compile` 전에 "
              "`layer.trainable = False`.",
    },
    "model.should_be_trainable": {
        "en": "Model `{what}`: layer `{layer}` should be trainable but is frozen. Fix: `layer.trainable = True` "
              "(then compile again).",
        "ko": "모델 `{what}`: `{layer}` 레이어는 학습 가능해야 하는데 동결되어 있습니다. 고치는 법: "
              "`layer.trainable = True` 후 다시 compile하세요.",
    },
    "check.not_calibrated": {
        "en": "This check of `{metric}` has no calibrated threshold yet, so it was not scored. "
              "Instructor: run `autograder calibrate <assignment>`.",
        "ko": "`{metric}` 검사의 기준값이 아직 보정되지 않아 채점하지 않았습니다. "
              "강사: `autograder calibrate <과제>`를 실행하세요.",
    },
    "check.metric_too_low": {
        "en": "{metric} on the grader's held-out data: {measured}; at least {threshold} is needed (the reference "
              "solution reaches {reference} under the same budget). Fix: compare your model, its loss and "
              "its training (epochs, data preparation) with the exercise.",
        "ko": "채점기의 평가 데이터에서 {metric}: {measured}. {threshold} 이상이어야 합니다(같은 예산에서 모범 답안은 "
              "{reference}). 고치는 법: 모델, 손실 함수, 학습 설정(에포크, 데이터 준비)을 문제와 비교하세요.",
    },
    "check.metric_too_high": {
        "en": "{metric} on the grader's held-out data: {measured}; at most {threshold} is needed (the reference "
              "solution reaches {reference} under the same budget). Fix: compare your model, its loss and "
              "its training (epochs, data preparation) with the exercise.",
        "ko": "채점기의 평가 데이터에서 {metric}: {measured}. {threshold} 이하여야 합니다(같은 예산에서 모범 답안은 "
              "{reference}). 고치는 법: 모델, 손실 함수, 학습 설정(에포크, 데이터 준비)을 문제와 비교하세요.",
    },
    "task.binary": {"en": "binary classification", "ko": "이진 분류"},
    "task.single_label": {"en": "multi-class, single-label classification", "ko": "단일 레이블 다중 분류"},
    "task.multi_label": {"en": "multi-class, multi-label classification", "ko": "다중 레이블 다중 분류"},
    "task.regression": {"en": "regression to arbitrary values", "ko": "임의 값 회귀"},
    "task.regression_0_1": {"en": "regression to values between 0 and 1", "ko": "0과 1 사이 값 회귀"},
}
