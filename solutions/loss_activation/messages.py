"""Messages of the loss_activation assignment's checks (ko/en; each says expected / found / fix).

``{where}`` is the call being checked, already in backticks, e.g. ```last_layer_and_loss("multi_label")```
or ```build_model("regression", 13, 1)```; ``{problem}`` is a problem-type identifier; ``{expected}`` lists
the accepted Keras names; ``{range}`` is an activation's output range such as ``[0, ∞)``.
"""

_NO_ACTIVATION_EN = "no activation (`Dense(1)`; return None or \"linear\")"
_NO_ACTIVATION_KO = "활성화 함수 없음(`Dense(1)`; None 또는 \"linear\"를 반환)"

MESSAGES: dict[str, dict[str, str]] = {
    # -- q1: the pair a function returns -------------------------------------------------------------------
    "loss_activation.not_a_pair": {
        "en": "{where} should return a pair `(activation, loss)` of Keras names, but returned {found}. "
              "Fix: `return activation, loss` with two strings (None for no activation).",
        "ko": "{where}은(는) Keras 이름 두 개로 된 `(activation, loss)` 쌍을 반환해야 하는데 {found}을(를) "
              "반환했습니다. 고치는 법: 문자열 두 개로 `return activation, loss`(활성화 함수가 없으면 None).",
    },
    "loss_activation.activation_not_a_name": {
        "en": "{where}: the activation (first item) should be a Keras activation name as a string, or None for no "
              "activation, but it is {found}. Fix: return the name you would pass as `activation=\"...\"`.",
        "ko": "{where}: 활성화 함수(첫 번째 값)는 Keras 활성화 함수 이름 문자열이거나 활성화 함수가 없으면 None이어야 "
              "하는데 {found}입니다. 고치는 법: `activation=\"...\"`에 넘길 이름을 반환하세요.",
    },
    "loss_activation.loss_not_a_name": {
        "en": "{where}: the loss (second item) should be a Keras loss name as a string, but it is {found}. "
              "Fix: return the name you would pass as `loss=\"...\"` to `compile`.",
        "ko": "{where}: 손실 함수(두 번째 값)는 Keras 손실 함수 이름 문자열이어야 하는데 {found}입니다. "
              "고치는 법: `compile`의 `loss=\"...\"`에 넘길 이름을 반환하세요.",
    },
    "loss_activation.unknown_activation": {
        "en": "{where}: `{found}` is not an activation Keras knows, so `Dense(..., activation=\"{found}\")` would "
              "fail. Fix: check the spelling; use a Keras activation name, or None for no activation.",
        "ko": "{where}: `{found}`은(는) Keras가 아는 활성화 함수가 아니어서 `Dense(..., activation=\"{found}\")`가 "
              "실패합니다. 고치는 법: 철자를 확인하고 Keras 활성화 함수 이름을 쓰세요(활성화 함수가 없으면 None).",
    },
    "loss_activation.unknown_loss": {
        "en": "{where}: `{found}` is not a loss Keras knows, so `compile(loss=\"{found}\")` would fail. "
              "Fix: check the spelling; use a Keras loss name such as the ones in the book.",
        "ko": "{where}: `{found}`은(는) Keras가 아는 손실 함수가 아니어서 `compile(loss=\"{found}\")`가 실패합니다. "
              "고치는 법: 철자를 확인하고 책에 나온 것 같은 Keras 손실 함수 이름을 쓰세요.",
    },
    "loss_activation.wrong_activation": {
        "en": "{where}: for `{problem}` the last layer's activation should be {expected}, found `{found}`. "
              "Fix: see the table of last-layer activations and losses in the study notes.",
        "ko": "{where}: `{problem}`에서 마지막 레이어의 활성화 함수는 {expected}여야 하는데 `{found}`입니다. "
              "고치는 법: 스터디 노트의 '마지막 층의 활성화 함수와 손실 함수' 표를 확인하세요.",
    },
    "loss_activation.wrong_loss": {
        "en": "{where}: for `{problem}` the loss should be {expected}, found `{found}`. "
              "Fix: see the table of last-layer activations and losses in the study notes.",
        "ko": "{where}: `{problem}`에서 손실 함수는 {expected}여야 하는데 `{found}`입니다. "
              "고치는 법: 스터디 노트의 '마지막 층의 활성화 함수와 손실 함수' 표를 확인하세요.",
    },
    # -- wrong activations, explained -------------------------------------------------------------------------
    "loss_activation.one_unit_softmax": {
        "en": "{where}: softmax over a single output unit always gives 1.0, whatever the input (it divides the "
              "unit's value by itself), so the model cannot learn anything. Expected: {expected}.",
        "ko": "{where}: 출력 유닛이 하나뿐이면 softmax는 입력과 상관없이 항상 1.0을 냅니다(유닛 값을 자기 자신으로 "
              "나누기 때문). 그래서 모델이 아무것도 배울 수 없습니다. 기대한 것: {expected}.",
    },
    "loss_activation.binary_not_probability": {
        "en": "{where}: `{found}` outputs values in {range}, which is not a probability; binary classification "
              "predicts the probability that the sample is positive, and binary_crossentropy needs a value "
              "between 0 and 1. Expected: sigmoid (one unit).",
        "ko": "{where}: `{found}`의 출력 범위는 {range}여서 확률이 아닙니다. 이진 분류는 샘플이 양성일 확률을 "
              "예측하고, binary_crossentropy에는 0과 1 사이의 값이 필요합니다. 기대한 것: sigmoid(유닛 하나).",
    },
    "loss_activation.single_label_sigmoid": {
        "en": "{where}: sigmoid scores every class on its own, so the outputs do not add up to 1 and several "
              "classes can look likely at once. A single-label sample belongs to exactly one class, so the "
              "output must be a probability distribution over the classes. Expected: softmax.",
        "ko": "{where}: sigmoid는 클래스마다 따로 점수를 매겨서 출력의 합이 1이 되지 않고 여러 클래스가 동시에 "
              "높게 나올 수 있습니다. 단일 레이블 샘플은 정확히 한 클래스에 속하므로 출력은 클래스에 대한 확률 "
              "분포여야 합니다. 기대한 것: softmax.",
    },
    "loss_activation.single_label_not_distribution": {
        "en": "{where}: `{found}` outputs values in {range}, not a probability distribution over the classes. "
              "Expected: softmax, whose outputs are positive and add up to 1 (one probability per class).",
        "ko": "{where}: `{found}`의 출력 범위는 {range}여서 클래스에 대한 확률 분포가 아닙니다. 기대한 것: softmax. "
              "출력이 모두 양수이고 합이 1입니다(클래스마다 확률 하나).",
    },
    "loss_activation.multi_label_softmax": {
        "en": "{where}: softmax makes the classes compete: its outputs add up to 1, so when one label's "
              "probability goes up the others must go down, and two labels can never both be close to 1. "
              "A multi-label sample can have several labels at once, so every class needs its own independent "
              "probability. Expected: sigmoid (one independent sigmoid per class).",
        "ko": "{where}: softmax는 클래스끼리 경쟁하게 만듭니다. 출력의 합이 1이어서 한 레이블의 확률이 올라가면 "
              "나머지는 내려가야 하고, 두 레이블이 동시에 1에 가까울 수 없습니다. 다중 레이블 샘플은 레이블을 "
              "여러 개 가질 수 있으므로 클래스마다 독립적인 확률이 필요합니다. 기대한 것: sigmoid(클래스마다 "
              "독립적인 시그모이드).",
    },
    "loss_activation.multi_label_not_probability": {
        "en": "{where}: `{found}` outputs values in {range}, not a probability per class; binary_crossentropy "
              "needs a value between 0 and 1 for every class. Expected: sigmoid (one independent sigmoid per "
              "class).",
        "ko": "{where}: `{found}`의 출력 범위는 {range}여서 클래스별 확률이 아닙니다. binary_crossentropy에는 "
              "클래스마다 0과 1 사이의 값이 필요합니다. 기대한 것: sigmoid(클래스마다 독립적인 시그모이드).",
    },
    "loss_activation.regression_relu": {
        "en": "{where}: relu outputs 0 for every negative input, so the model can never predict a value below 0 "
              "(and gets no gradient there). Regression to arbitrary values needs an output that can take any "
              f"value. Expected: {_NO_ACTIVATION_EN}.",
        "ko": "{where}: relu는 음수 입력에 모두 0을 내므로 모델이 0보다 작은 값을 예측할 수 없습니다(그 구간에서는 "
              "그레이디언트도 없습니다). 임의 값에 대한 회귀에는 어떤 값이든 낼 수 있는 출력이 필요합니다. "
              f"기대한 것: {_NO_ACTIVATION_KO}.",
    },
    "loss_activation.regression_bounded": {
        "en": "{where}: `{found}` limits the output to {range}, so targets outside that range (house prices in "
              "thousands of dollars, for example) can never be predicted. Regression to arbitrary values needs "
              f"an output that can take any value. Expected: {_NO_ACTIVATION_EN}.",
        "ko": "{where}: `{found}`은(는) 출력을 {range} 범위로 제한하므로 그 밖의 타깃(예: 천 달러 단위의 주택 "
              "가격)은 예측할 수 없습니다. 임의 값에 대한 회귀에는 어떤 값이든 낼 수 있는 출력이 필요합니다. "
              f"기대한 것: {_NO_ACTIVATION_KO}.",
    },
    "loss_activation.unit_linear": {
        "en": "{where}: without an activation the output can fall below 0 or rise above 1, outside the range of "
              "the targets. Expected: sigmoid, which keeps every prediction between 0 and 1.",
        "ko": "{where}: 활성화 함수가 없으면 출력이 0보다 작거나 1보다 커질 수 있어 타깃의 범위를 벗어납니다. "
              "기대한 것: sigmoid. 모든 예측을 0과 1 사이로 유지합니다.",
    },
    "loss_activation.unit_out_of_range": {
        "en": "{where}: `{found}` outputs values in {range}, not between 0 and 1 like the targets. "
              "Expected: sigmoid, which keeps every prediction between 0 and 1.",
        "ko": "{where}: `{found}`의 출력 범위는 {range}여서 타깃처럼 0과 1 사이가 아닙니다. "
              "기대한 것: sigmoid. 모든 예측을 0과 1 사이로 유지합니다.",
    },
    # -- wrong losses, explained ------------------------------------------------------------------------------
    "loss_activation.binary_categorical": {
        "en": "{where}: categorical_crossentropy expects one output unit per class and one-hot labels. With the "
              "single output unit of binary classification, Keras rescales the outputs to add up to 1, so the "
              "unit always counts as 1.0 and the loss is 0 for every sample: the model learns nothing. "
              "Expected: binary_crossentropy.",
        "ko": "{where}: categorical_crossentropy는 클래스마다 출력 유닛 하나와 원-핫 레이블을 기대합니다. 이진 "
              "분류의 출력 유닛은 하나뿐이라 Keras가 출력의 합을 1로 맞추면 그 유닛은 항상 1.0이 되고 모든 샘플의 "
              "손실이 0이 되어 모델이 아무것도 배우지 못합니다. 기대한 것: binary_crossentropy.",
    },
    "loss_activation.binary_sparse": {
        "en": "{where}: sparse_categorical_crossentropy expects one output unit per class, with the integer label "
              "choosing the unit. Binary classification has a single unit (the probability of the positive "
              "class), so label 1 points at a unit that does not exist and training fails. "
              "Expected: binary_crossentropy.",
        "ko": "{where}: sparse_categorical_crossentropy는 클래스마다 출력 유닛이 하나씩 있고 정수 레이블이 그 "
              "유닛을 고른다고 기대합니다. 이진 분류의 출력 유닛은 하나(양성 클래스의 확률)뿐이어서 레이블 1이 "
              "존재하지 않는 유닛을 가리키고 학습이 실패합니다. 기대한 것: binary_crossentropy.",
    },
    "loss_activation.classification_regression_loss": {
        "en": "{where}: `{found}` is a regression loss (a distance between numbers). For class probabilities the "
              "book uses crossentropy, which measures the distance between probability distributions and still "
              "gives a strong gradient when the model is confidently wrong. Expected: {expected}.",
        "ko": "{where}: `{found}`은(는) 회귀용 손실 함수(숫자 사이의 거리)입니다. 클래스 확률에는 책에서처럼 "
              "확률 분포 사이의 거리를 재는 크로스엔트로피를 씁니다. 모델이 확신을 갖고 틀릴 때도 그레이디언트가 "
              "충분히 큽니다. 기대한 것: {expected}.",
    },
    "loss_activation.single_label_binary": {
        "en": "{where}: binary_crossentropy treats every class as a separate yes/no question (the multi-label "
              "setting) and ignores that exactly one class is right; with softmax, Keras then also reports a "
              "misleading accuracy. Expected: categorical_crossentropy (one-hot labels) or "
              "sparse_categorical_crossentropy (integer labels).",
        "ko": "{where}: binary_crossentropy는 클래스마다 따로 예/아니오를 묻는 것처럼 다루어(다중 레이블 설정) "
              "정답이 정확히 하나라는 점을 무시합니다. softmax와 함께 쓰면 Keras가 보여 주는 정확도도 잘못됩니다. "
              "기대한 것: categorical_crossentropy(원-핫 레이블) 또는 sparse_categorical_crossentropy(정수 레이블).",
    },
    "loss_activation.multi_label_categorical": {
        "en": "{where}: `{found}` assumes exactly one right class per sample (one probability distribution over "
              "the classes). A multi-label sample can have several labels, each a separate yes/no question. "
              "Expected: binary_crossentropy (with one sigmoid per class).",
        "ko": "{where}: `{found}`은(는) 샘플마다 정답 클래스가 정확히 하나라고(클래스에 대한 확률 분포 하나) "
              "가정합니다. 다중 레이블 샘플은 레이블을 여러 개 가질 수 있고 각각이 따로 예/아니오 문제입니다. "
              "기대한 것: binary_crossentropy(클래스마다 시그모이드 하나).",
    },
    "loss_activation.regression_crossentropy": {
        "en": "{where}: `{found}` compares probabilities or class labels, but regression targets are arbitrary "
              "numbers (neither classes nor limited to [0, 1]). Expected: {expected} (the table's choice is "
              "mse).",
        "ko": "{where}: `{found}`은(는) 확률이나 클래스 레이블을 비교하는 손실 함수인데, 회귀의 타깃은 임의의 "
              "숫자입니다(클래스도 아니고 [0, 1]로 제한되지도 않습니다). 기대한 것: {expected}(표에 나온 것은 mse).",
    },
    "loss_activation.unit_categorical": {
        "en": "{where}: `{found}` needs one output unit per class and class labels, but the target here is a "
              "single number between 0 and 1. Expected: {expected}.",
        "ko": "{where}: `{found}`에는 클래스마다 출력 유닛 하나와 클래스 레이블이 필요한데, 여기의 타깃은 0과 1 "
              "사이의 숫자 하나입니다. 기대한 것: {expected}.",
    },
    # -- q2: the models -------------------------------------------------------------------------------------
    "loss_activation.input_shape": {
        "en": "{where}: the model's input should have shape (None, {input_dim}), found {found}. "
              "Fix: start the model with `keras.Input(shape=(input_dim,))`, using the `input_dim` argument.",
        "ko": "{where}: 모델의 입력 크기는 (None, {input_dim})이어야 하는데 {found}입니다. "
              "고치는 법: `input_dim` 인수를 써서 `keras.Input(shape=(input_dim,))`로 모델을 시작하세요.",
    },
    "loss_activation.binary_two_units": {
        "en": "{where}: the last layer has 2 units (one per class). The table's binary classifier, like the "
              "book's IMDB model, has one sigmoid unit that gives the probability of the positive class. "
              "Fix: `layers.Dense(1, activation=\"sigmoid\")`.",
        "ko": "{where}: 마지막 레이어의 유닛이 2개(클래스마다 하나)입니다. 표의 이진 분류 모델은 책의 IMDB "
              "모델처럼 양성 클래스의 확률을 내는 시그모이드 유닛 하나를 씁니다. "
              "고치는 법: `layers.Dense(1, activation=\"sigmoid\")`.",
    },
    "loss_activation.units_one": {
        "en": "{where}: the last layer should have 1 unit for `{problem}` (one probability or one predicted "
              "value per sample), found {found}. Fix: `layers.Dense(1, ...)` as the last layer.",
        "ko": "{where}: `{problem}`에서는 마지막 레이어의 유닛이 1개여야 하는데(샘플마다 확률 또는 예측값 하나) "
              "{found}개입니다. 고치는 법: 마지막 레이어를 `layers.Dense(1, ...)`로 하세요.",
    },
    "loss_activation.units_classes": {
        "en": "{where}: the last layer should have one unit per class ({expected}, the `num_classes` argument) "
              "for `{problem}`, found {found}. Fix: `layers.Dense(num_classes, ...)` as the last layer.",
        "ko": "{where}: `{problem}`에서는 마지막 레이어가 클래스마다 유닛 하나({expected}개, `num_classes` 인수)를 "
              "가져야 하는데 {found}개입니다. 고치는 법: 마지막 레이어를 `layers.Dense(num_classes, ...)`로 하세요.",
    },
    "loss_activation.logits_output": {
        "en": "{where}: the last layer has no activation and the loss was given `from_logits=True`. The loss is "
              "the same, but the model then outputs logits instead of probabilities; this exercise, like the "
              "table, puts the activation in the last layer. Fix: last-layer activation {expected}, and the loss "
              "without `from_logits=True`.",
        "ko": "{where}: 마지막 레이어에 활성화 함수가 없고 손실 함수에 `from_logits=True`를 주었습니다. 손실은 "
              "같지만 모델이 확률 대신 로짓을 출력합니다. 이 과제는 표처럼 마지막 레이어에 활성화 함수를 둡니다. "
              "고치는 법: 마지막 레이어의 활성화 함수를 {expected}(으)로 하고 손실 함수에서 `from_logits=True`를 "
              "빼세요.",
    },
    "loss_activation.double_activation": {
        "en": "{where}: the last layer already applies {activation}, but the loss was given `from_logits=True`, "
              "so the loss applies it a second time to values that are already probabilities. "
              "Fix: drop `from_logits=True`.",
        "ko": "{where}: 마지막 레이어가 이미 {activation}을(를) 적용하는데 손실 함수에 `from_logits=True`를 주어서 "
              "이미 확률인 값에 한 번 더 적용됩니다. 고치는 법: `from_logits=True`를 빼세요.",
    },
    "loss_activation.sparse_with_one_hot": {
        "en": "{where}: with `one_hot=True` the labels are one-hot vectors (what `to_categorical` makes), but the "
              "model uses sparse_categorical_crossentropy, which expects integer class indices; training fails "
              "with a shape error. Fix: categorical_crossentropy for one-hot labels "
              "(sparse_categorical_crossentropy only for integer labels).",
        "ko": "{where}: `one_hot=True`이면 레이블이 원-핫 벡터(`to_categorical`의 결과)인데 모델은 정수 클래스 "
              "번호를 기대하는 sparse_categorical_crossentropy를 씁니다. 학습할 때 크기 오류가 납니다. "
              "고치는 법: 원-핫 레이블에는 categorical_crossentropy(sparse_categorical_crossentropy는 정수 "
              "레이블에만).",
    },
    "loss_activation.categorical_with_integers": {
        "en": "{where}: with `one_hot=False` the labels are integer class indices, but the model uses "
              "categorical_crossentropy, which expects one-hot vectors; training fails with a shape error. "
              "Fix: sparse_categorical_crossentropy for integer labels (or one-hot encode them first).",
        "ko": "{where}: `one_hot=False`이면 레이블이 정수 클래스 번호인데 모델은 원-핫 벡터를 기대하는 "
              "categorical_crossentropy를 씁니다. 학습할 때 크기 오류가 납니다. 고치는 법: 정수 레이블에는 "
              "sparse_categorical_crossentropy(또는 먼저 원-핫 인코딩).",
    },
    # -- q3: normalize_images ---------------------------------------------------------------------------------
    "loss_activation.images_integer": {
        "en": "`{call}` returned an array of dtype {received}: integers cannot hold the values between 0 and 1, "
              "so almost every pixel became 0. Fix: convert to float before dividing: "
              "`x.astype(\"float32\") / 255`.",
        "ko": "`{call}`이(가) dtype {received} 배열을 반환했습니다. 정수는 0과 1 사이의 값을 담을 수 없어서 거의 "
              "모든 픽셀이 0이 되었습니다. 고치는 법: 나누기 전에 실수로 바꾸세요: `x.astype(\"float32\") / 255`.",
    },
    "loss_activation.images_dtype": {
        "en": "`{call}` returned dtype {received}; expected float32, the type Keras computes in (dividing a "
              "uint8 array by 255 gives float64, which takes twice the memory). "
              "Fix: `x.astype(\"float32\") / 255`, as in the book.",
        "ko": "`{call}`이(가) dtype {received}을(를) 반환했습니다. Keras가 계산에 쓰는 float32여야 합니다(uint8 "
              "배열을 255로 나누기만 하면 float64가 되어 메모리를 두 배로 씁니다). "
              "고치는 법: 책에서처럼 `x.astype(\"float32\") / 255`.",
    },
    "loss_activation.images_batch_max": {
        "en": "`{call}`: the values were divided by the largest pixel of this batch, not by 255. Then the same "
              "pixel gets a different value in a dark batch than in a bright one, and training and test images "
              "are scaled differently. Fix: always divide by 255, the fixed range of uint8 pixels.",
        "ko": "`{call}`: 255가 아니라 이 배치의 가장 큰 픽셀 값으로 나누었습니다. 그러면 같은 픽셀도 어두운 "
              "배치와 밝은 배치에서 값이 달라지고, 훈련 이미지와 테스트 이미지의 스케일이 달라집니다. "
              "고치는 법: uint8 픽셀의 고정된 범위인 255로 항상 나누세요.",
    },
    "loss_activation.images_not_scaled": {
        "en": "`{call}` returned the pixel values unscaled (0-255). Fix: divide by 255 so the values lie between "
              "0 and 1: `x.astype(\"float32\") / 255`.",
        "ko": "`{call}`이(가) 픽셀 값을 스케일 조정 없이(0-255) 반환했습니다. 고치는 법: 값이 0과 1 사이가 되도록 "
              "255로 나누세요: `x.astype(\"float32\") / 255`.",
    },
    # -- q4: standardize --------------------------------------------------------------------------------------
    "loss_activation.standardize_not_pair": {
        "en": "`{call}` should return the two standardized arrays `(train, test)`, but returned {found}. "
              "Fix: end with `return train, test` (the book's code changes the arrays in place and returns "
              "nothing).",
        "ko": "`{call}`은(는) 표준화한 배열 두 개 `(train, test)`를 반환해야 하는데 {found}을(를) 반환했습니다. "
              "고치는 법: 마지막에 `return train, test`(책의 코드는 배열을 제자리에서 바꾸고 아무것도 반환하지 "
              "않습니다).",
    },
    "loss_activation.standardize_test_statistics": {
        "en": "`{call}`: the test data was standardized with test statistics (the mean and std of the test data "
              "itself). That leaks information from the test set into the preprocessing, and the model would "
              "see test inputs on a different scale than its training inputs. Fix: compute the mean and std on "
              "the training data only and apply those same numbers to the test data.",
        "ko": "`{call}`: 테스트 데이터를 테스트 통계량(테스트 데이터 자신의 평균과 표준 편차)으로 표준화했습니다. "
              "테스트 세트의 정보가 전처리에 새어 들어가고, 모델은 훈련 입력과 다른 스케일의 테스트 입력을 보게 "
              "됩니다. 고치는 법: 평균과 표준 편차는 훈련 데이터에서만 계산하고 같은 값을 테스트 데이터에 "
              "적용하세요.",
    },
    "loss_activation.standardize_whole_data": {
        "en": "`{call}`: the returned `{part}` array was standardized with the mean and std of the training and "
              "test data taken together. That leaks information from the test set into the preprocessing. "
              "Fix: compute the mean and std on the training data only and apply those same numbers to both arrays.",
        "ko": "`{call}`: 반환한 `{part}` 배열을 훈련 데이터와 테스트 데이터를 합친 평균과 표준 편차로 "
              "표준화했습니다. 테스트 세트의 정보가 전처리에 새어 들어갑니다. 고치는 법: 평균과 표준 편차는 훈련 "
              "데이터에서만 계산하고 같은 값을 두 배열에 적용하세요.",
    },
    "loss_activation.standardize_no_axis": {
        "en": "`{call}`: the returned `{part}` array was standardized with one mean and one std over all features "
              "together. Each feature has its own scale, so each needs its own mean and std. "
              "Fix: `train.mean(axis=0)` and `train.std(axis=0)`.",
        "ko": "`{call}`: 반환한 `{part}` 배열을 모든 특성을 합친 평균 하나와 표준 편차 하나로 표준화했습니다. "
              "특성마다 스케일이 다르므로 특성마다 평균과 표준 편차가 필요합니다. 고치는 법: `train.mean(axis=0)`과 "
              "`train.std(axis=0)`.",
    },
    "loss_activation.standardize_untouched": {
        "en": "`{call}`: the returned `{part}` array came back unchanged. Fix: subtract the training mean and divide "
              "by the training std (per feature) for both arrays, and return the results.",
        "ko": "`{call}`: 반환한 `{part}` 배열이 바뀌지 않은 채로 돌아왔습니다. 고치는 법: 두 배열 모두 훈련 "
              "데이터의 (특성별) 평균을 빼고 표준 편차로 나눈 결과를 반환하세요.",
    },
    "loss_activation.standardize_no_std": {
        "en": "`{call}`: the returned `{part}` array was centred (mean subtracted) but not divided by the std, so "
              "the features keep their different scales. Fix: also divide by `train.std(axis=0)`.",
        "ko": "`{call}`: 반환한 `{part}` 배열에서 평균은 뺐지만 표준 편차로 나누지 않아서 특성마다 스케일이 "
              "여전히 다릅니다. 고치는 법: `train.std(axis=0)`로도 나누세요.",
    },
    "loss_activation.standardize_values": {
        "en": "`{call}`: {count} of {total} values of the returned `{part}` array are wrong. Expected "
              "`(x - mean) / std` with the per-feature mean and std of the training data. Fix: compare with "
              "`(test - train.mean(axis=0)) / train.std(axis=0)` on a small example.",
        "ko": "`{call}`: 반환한 `{part}` 배열의 값 {total}개 중 {count}개가 틀렸습니다. 훈련 데이터의 특성별 "
              "평균과 표준 편차로 계산한 `(x - mean) / std`여야 합니다. 고치는 법: 작은 예제에서 "
              "`(test - train.mean(axis=0)) / train.std(axis=0)`와 비교해 보세요.",
    },
}
