"""Messages of the mnist_cnn assignment's checks (ko/en; each says expected / found / fix).

``{call}`` is the call being checked with its arguments described by shape and dtype, e.g.
``prepare_images(uint8 array (5, 28, 28))``; ``{what}`` names a notebook variable or a call that
returned a model (``model``, ``build_convnet()``). Messages show shapes, counts and the student's
own numbers, never the grader's data.
"""

_PREPARE_FIX_EN = ("Fix: `np.expand_dims(images, -1)` or `images.reshape((len(images), 28, 28, 1))`, then "
                   "`.astype(\"float32\") / 255`.")
_PREPARE_FIX_KO = ("고치는 법: `np.expand_dims(images, -1)` 또는 `images.reshape((len(images), 28, 28, 1))` 다음에 "
                   "`.astype(\"float32\") / 255`.")

MESSAGES: dict[str, dict[str, str]] = {
    # -- q1 prepare_images: 4-D -----------------------------------------------------------------------------
    "mnist_cnn.no_channel_axis": {
        "en": "`{call}` returned shape {found}: one (height, width) grid per image, with no channel axis. A "
              "`Conv2D` layer takes each image as (height, width, channels), so a batch must be 4-D: expected "
              "{expected} (grayscale MNIST has one channel). Keras 3 quietly adds a missing last axis of size 1 when "
              "the model starts with `keras.Input`, but Keras 2 and models built without it fail. " + _PREPARE_FIX_EN,
        "ko": "`{call}`이(가) shape {found}을(를) 반환했습니다. 이미지마다 (높이, 너비)만 있고 채널 축이 없습니다. "
              "`Conv2D` 층은 이미지 하나를 (높이, 너비, 채널)로 받으므로 배치는 4차원이어야 합니다. 기대한 shape: "
              "{expected}(흑백 MNIST는 채널이 1개). Keras 3은 모델이 `keras.Input`으로 시작하면 크기 1인 마지막 축을 "
              "조용히 붙여 주지만, Keras 2와 `keras.Input` 없이 만든 모델에서는 실패합니다. " + _PREPARE_FIX_KO,
    },
    "mnist_cnn.flattened": {
        "en": "`{call}` returned shape {found}: each image flattened into a vector, as for the dense network of "
              "chapter 2. A convnet needs the images' 2-D layout (that is what its 3×3 windows slide over) plus "
              "a channel axis: expected {expected}. " + _PREPARE_FIX_EN,
        "ko": "`{call}`이(가) shape {found}을(를) 반환했습니다. 2장의 완전 연결 네트워크처럼 이미지를 벡터로 "
              "펼쳤습니다. convnet에는 이미지의 2차원 배치(3×3 창이 그 위를 움직입니다)와 채널 축이 필요합니다. "
              "기대한 shape: {expected}. " + _PREPARE_FIX_KO,
    },
    "mnist_cnn.channels_first": {
        "en": "`{call}` returned shape {found}: the channel axis comes first. Keras' `Conv2D` expects channels "
              "last, (height, width, channels): expected {expected}. Fix: add the axis at the end, "
              "`np.expand_dims(images, -1)`.",
        "ko": "`{call}`이(가) shape {found}을(를) 반환했습니다. 채널 축이 앞에 있습니다. Keras의 `Conv2D`는 채널이 "
              "마지막인 (높이, 너비, 채널)을 기대합니다. 기대한 shape: {expected}. 고치는 법: 축을 끝에 추가하세요, "
              "`np.expand_dims(images, -1)`.",
    },
    "mnist_cnn.not_4d": {
        "en": "`{call}` returned shape {found}; expected {expected}: n images of (height, width, channels) = "
              "(28, 28, 1), as `Conv2D` takes them. " + _PREPARE_FIX_EN,
        "ko": "`{call}`이(가) shape {found}을(를) 반환했습니다. 기대한 shape은 {expected}입니다. `Conv2D`가 받는 "
              "대로 이미지 n개가 각각 (높이, 너비, 채널) = (28, 28, 1)이어야 합니다. " + _PREPARE_FIX_KO,
    },
    # -- q1 prepare_images: [0, 1] ------------------------------------------------------------------------
    "mnist_cnn.not_scaled": {
        "en": "`{call}` returned values up to {found}: the pixels were not divided by 255. Inputs of 0-255 give "
              "large activations and gradients, so training is slow and unstable, and the grader feeds your "
              "trained model images in [0, 1]. Expected values in [0, 1]. Fix: `images.astype(\"float32\") / 255`.",
        "ko": "`{call}`이(가) 반환한 값이 최대 {found}입니다. 픽셀을 255로 나누지 않았습니다. 0-255 입력은 "
              "활성화와 그레이디언트를 크게 만들어 학습이 느리고 불안정해지고, 채점기는 학습된 모델에 [0, 1] "
              "이미지를 넣습니다. 기대한 값: [0, 1]. 고치는 법: `images.astype(\"float32\") / 255`.",
    },
    "mnist_cnn.scale_int": {
        "en": "`{call}` returned an array of dtype {found}: integers can only hold 0 and 1, so the grey levels "
              "are lost (`//` or `astype(int)` after dividing). Expected floats in [0, 1]. "
              "Fix: `images.astype(\"float32\") / 255`.",
        "ko": "`{call}`이(가) dtype {found} 배열을 반환했습니다. 정수는 0과 1만 담을 수 있어 회색 단계가 "
              "사라집니다(`//`를 쓰거나 나눈 뒤 `astype(int)`). 기대한 것: [0, 1] 사이 실수. "
              "고치는 법: `images.astype(\"float32\") / 255`.",
    },
    "mnist_cnn.scale_values": {
        "en": "`{call}` returned values in [{low}, {high}], but they differ from the pixels divided by 255 at "
              "{count} of {total} positions. Expected each pixel / 255, in the same order. "
              "Fix: `images.astype(\"float32\") / 255` (no other scaling, no reordering).",
        "ko": "`{call}`이(가) 반환한 값은 [{low}, {high}] 범위이지만 {total}개 중 {count}개 위치에서 픽셀을 255로 "
              "나눈 값과 다릅니다. 기대한 것: 각 픽셀 / 255, 같은 순서. "
              "고치는 법: `images.astype(\"float32\") / 255`(다른 스케일링이나 순서 바꾸기 없이).",
    },
    "mnist_cnn.scale_size": {
        "en": "`{call}` returned {found} values for {expected} pixels, so the scaling cannot be compared pixel by "
              "pixel. Expected every pixel, divided by 255. Fix: keep all pixels; only add the channel axis "
              "and divide by 255.",
        "ko": "`{call}`이(가) 픽셀 {expected}개에 대해 값 {found}개를 반환해서 픽셀별로 스케일링을 비교할 수 "
              "없습니다. 기대한 것: 모든 픽셀을 255로 나눈 값. 고치는 법: 픽셀을 모두 두고 채널 축만 추가한 뒤 "
              "255로 나누세요.",
    },
    # -- q1 (hidden) any number of images --------------------------------------------------------------
    "mnist_cnn.count_fixed": {
        "en": "`{call}` raised {ename}: {evalue}. The function must work for any number of images (the grader "
              "also prepares 1,000 validation and 10,000 test images). Fix: do not write the count as a constant; "
              "use `len(images)` or `-1` in `reshape`, or `np.expand_dims(images, -1)`.",
        "ko": "`{call}` 호출에서 {ename} 예외가 발생했습니다: {evalue}. 이 함수는 이미지 개수와 상관없이 동작해야 "
              "합니다(검증 이미지 1,000개, 테스트 이미지 10,000개에도 씁니다). 고치는 법: 개수를 상수로 쓰지 "
              "말고 `reshape`에 `len(images)`나 `-1`을 쓰거나 `np.expand_dims(images, -1)`을 쓰세요.",
    },
    "mnist_cnn.count_rows": {
        "en": "`{call}` returned shape {found}: {rows} images for {expected} given. Expected one output image per "
              "input image. Fix: keep the first axis as it is (`len(images)` or `-1` in `reshape`).",
        "ko": "`{call}`이(가) shape {found}을(를) 반환했습니다. 이미지 {expected}개를 넣었는데 {rows}개가 "
              "나왔습니다. 기대한 것: 입력 이미지마다 출력 이미지 하나. 고치는 법: 첫 번째 축을 그대로 두세요"
              "(`reshape`에 `len(images)`나 `-1`).",
    },
    # -- models that cannot be described ------------------------------------------------------------
    "mnist_cnn.not_built": {
        "en": "Model `{what}` has no input shape, so its layers' output shapes and parameters do not exist yet "
              "(Keras builds a model when it first sees data). Expected a model that starts with "
              "`keras.Input(shape={shape})`. Fix: put `keras.Input(shape={shape})` first in the `Sequential` list.",
        "ko": "모델 `{what}`에 입력 크기가 없어서 층의 출력 크기와 파라미터가 아직 정해지지 않았습니다(Keras는 "
              "데이터를 처음 볼 때 모델을 만듭니다). 기대한 것: `keras.Input(shape={shape})`로 시작하는 모델. "
              "고치는 법: `Sequential` 리스트 맨 앞에 `keras.Input(shape={shape})`를 넣으세요.",
    },
    # -- q3 labels and loss -----------------------------------------------------------------------------
    "mnist_cnn.labels_shape": {
        "en": "`{name}` should hold the labels of {count} images, as integers 0-9 of shape ({count},) or one-hot "
              "rows of shape ({count}, 10); found {found}. Fix: {fix}",
        "ko": "`{name}`에는 이미지 {count}개의 레이블이 정수 0-9(shape ({count},)) 또는 원-핫 행(shape ({count}, 10))"
              "으로 들어 있어야 하는데 {found}입니다. 고치는 법: {fix}",
    },
    "mnist_cnn.labels_values": {
        "en": "`{name}` does not match `train_labels{rows}` at {count} of {total} positions: a label must stay "
              "with its image. Expected `train_labels{rows}` (as integers or one-hot). Fix: slice the labels "
              "exactly as the images (`x_train` = the first `TRAIN_SIZE`, `x_val` = the last `VAL_SIZE`) and do "
              "not shuffle one without the other.",
        "ko": "`{name}`이(가) {total}개 중 {count}개 위치에서 `train_labels{rows}`와 다릅니다. 레이블은 자기 "
              "이미지와 짝이 맞아야 합니다. 기대한 것: `train_labels{rows}`(정수 또는 원-핫). 고치는 법: 이미지와 "
              "똑같이 자르고(`x_train`은 처음 `TRAIN_SIZE`개, `x_val`은 마지막 `VAL_SIZE`개) 한쪽만 섞지 마세요.",
    },
    "mnist_cnn.labels_encodings_differ": {
        "en": "`y_train` is {train} encoded but `y_val` is {val} encoded. The same model evaluates both with one "
              "loss, so they need the same encoding. Fix: encode `y_val` like `y_train`.",
        "ko": "`y_train`은 {train} 인코딩인데 `y_val`은 {val} 인코딩입니다. 같은 모델이 한 손실 함수로 둘 다 "
              "평가하므로 인코딩이 같아야 합니다. 고치는 법: `y_val`을 `y_train`과 같은 방식으로 인코딩하세요.",
    },
    "mnist_cnn.loss_labels": {
        "en": "Model `{what}` is compiled with `{loss}`, but `{labels}` is {encoding} encoded: that encoding needs "
              "{expected}. With this mismatch `fit` fails with a shape error (or learns the wrong thing). "
              "Fix: integer labels -> `sparse_categorical_crossentropy`; one-hot labels "
              "(`to_categorical`) -> `categorical_crossentropy`.",
        "ko": "모델 `{what}`은(는) `{loss}`로 컴파일했는데 `{labels}`은(는) {encoding} 인코딩이어서 {expected}이(가) "
              "필요합니다. 이렇게 맞지 않으면 `fit`이 shape 오류를 내거나 엉뚱한 것을 학습합니다. 고치는 법: 정수 "
              "레이블이면 `sparse_categorical_crossentropy`, 원-핫 레이블(`to_categorical`)이면 "
              "`categorical_crossentropy`.",
    },
    # -- q4 checkpoint --------------------------------------------------------------------------------
    "mnist_cnn.run_cannot_evaluate": {
        "en": "The grader could not use the model that `{call}` returned on its images of shape (n, 28, 28, 1) "
              "({detail}). Expected a model like `build_convnet()`'s, taking those images and giving 10 "
              "probabilities. Fix: build the model in `train_with_checkpoint` with `build_convnet()` and return "
              "it with its history: `return model, history`.",
        "ko": "채점기가 `{call}`이(가) 반환한 모델을 (n, 28, 28, 1) 이미지에 쓰지 못했습니다({detail}). 기대한 것: "
              "`build_convnet()`처럼 그 이미지를 받아 10개의 확률을 내는 모델. 고치는 법: "
              "`train_with_checkpoint` 안에서 `build_convnet()`으로 모델을 만들고 기록과 함께 "
              "`return model, history`로 반환하세요.",
    },
    "mnist_cnn.run_not_trained": {
        "en": "The grader called `{call}` on {images} MNIST images, twice (two random starts); the model it "
              "returned classifies only {found} of them correctly (at least {expected} after one epoch; chance is "
              "10%), so it was not trained on the data it was given. Fix: in `train_with_checkpoint`, build and "
              "compile a new model, then `model.fit(x, y, epochs=epochs, batch_size=32, validation_data=(x_val, "
              "y_val), callbacks=[checkpoint])` with the function's own arguments, and return that model.",
        "ko": "채점기가 MNIST 이미지 {images}개로 `{call}`을(를) 두 번(무작위 시작을 달리해) 호출했는데, 반환된 "
              "모델은 그중 {found}만 맞힙니다(한 에포크만 학습해도 {expected} 이상, 무작위로 찍으면 10%). 받은 "
              "데이터로 학습하지 않았습니다. 고치는 법: `train_with_checkpoint` 안에서 새 모델을 만들고 컴파일한 "
              "뒤 함수가 받은 인자로 `model.fit(x, y, epochs=epochs, batch_size=32, validation_data=(x_val, "
              "y_val), callbacks=[checkpoint])`를 실행하고 그 모델을 반환하세요.",
    },
    "mnist_cnn.not_best_epoch": {
        "en": "The grader called `train_with_checkpoint` on {images} training images for {epochs} epochs, with "
              "validation images half of whose labels are shifted by one (7 -> 8), so the validation loss rises "
              "from the first epoch on as the model grows confident (while the validation accuracy improves). The "
              "model it returned has validation loss {found}, but a one-epoch run of your function gives {first}; "
              "the best of {epochs} epochs can be no worse than its first, so the returned weights are not the "
              "best epoch's. Expected the weights of the epoch with the lowest `val_loss`. Fix: "
              "`ModelCheckpoint(path, save_best_only=True, monitor=\"val_loss\")` (not `val_accuracy` or "
              "`loss`) in `callbacks`, `validation_data=(x_val, y_val)` from the function's arguments, then "
              "`model.load_weights(path)` after `fit`, and no further training.",
        "ko": "채점기가 훈련 이미지 {images}개로 `train_with_checkpoint`를 {epochs} 에포크 호출했습니다. 검증 "
              "이미지의 절반은 레이블을 하나씩 밀어 두었기 때문에(7 -> 8) 모델이 확신을 가질수록 검증 손실이 첫 "
              "에포크부터 올라갑니다(검증 정확도는 좋아지는데도). 반환된 모델의 검증 손실은 {found}인데, 여러분의 "
              "함수를 한 에포크만 실행하면 {first}입니다. {epochs} 에포크 중 가장 좋은 에포크는 첫 에포크보다 나쁠 수 "
              "없으므로, 반환된 가중치는 가장 좋은 에포크의 것이 아닙니다. 기대한 것: `val_loss`가 가장 낮은 에포크의 "
              "가중치. 고치는 법: `callbacks`에 `ModelCheckpoint(path, save_best_only=True, monitor=\"val_loss\")`"
              "(`val_accuracy`나 `loss`가 아니라)를 넣고, 함수의 인자로 `validation_data=(x_val, y_val)`를 주고, `fit` "
              "뒤에 `model.load_weights(path)`로 되살린 뒤 더 학습하지 마세요.",
    },
    # -- q5 your own model ----------------------------------------------------------------------------------
    "mnist_cnn.final_input": {
        "en": "`final_model` takes input of shape {found}; expected {expected}, the images as `prepare_images` "
              "makes them (the grader feeds it the test images that way). Fix: start the model with "
              "`keras.Input(shape=(28, 28, 1))` and train it on `x_train`.",
        "ko": "`final_model`의 입력 shape은 {found}입니다. 기대한 것: `prepare_images`가 만드는 이미지 {expected}"
              "(채점기가 테스트 이미지를 이렇게 넣습니다). 고치는 법: 모델을 `keras.Input(shape=(28, 28, 1))`로 "
              "시작하고 `x_train`으로 학습하세요.",
    },
    "mnist_cnn.final_output": {
        "en": "`final_model` outputs shape {found}; expected {expected}: one probability for each of the 10 "
              "digits. Fix: end with `layers.Dense(10, activation=\"softmax\")`.",
        "ko": "`final_model`의 출력 shape은 {found}입니다. 기대한 것: {expected}, 숫자 10개 각각의 확률. "
              "고치는 법: 마지막 층을 `layers.Dense(10, activation=\"softmax\")`로 하세요.",
    },
    "mnist_cnn.over_budget": {
        "en": "`final_model` has {found} parameters; the budget is at most {expected}. Most parameters usually "
              "sit in the first `Dense` layer after `Flatten` (its inputs x units). Fix: pool more before "
              "`Flatten`, or use fewer units or filters (the book's convnet has 93,322).",
        "ko": "`final_model`의 파라미터는 {found}개인데 예산은 {expected}개 이하입니다. 보통 `Flatten` 다음 첫 "
              "`Dense` 층(입력 수 × 유닛 수)에 파라미터가 가장 많습니다. 고치는 법: `Flatten` 전에 풀링을 더 하거나 "
              "유닛이나 필터 수를 줄이세요(책의 convnet은 93,322개).",
    },
    # -- q6 test accuracy -----------------------------------------------------------------------------------
    "mnist_cnn.cannot_evaluate": {
        "en": "The grader could not evaluate `final_model` on the MNIST test images prepared as in question 1, "
              "shape (n, 28, 28, 1), float32 in [0, 1] ({detail}). Expected a model that takes that input and "
              "outputs 10 probabilities. Fix: start with `keras.Input(shape=(28, 28, 1))` and end with "
              "`Dense(10, activation=\"softmax\")`.",
        "ko": "채점기가 문제 1처럼 준비한 MNIST 테스트 이미지(shape (n, 28, 28, 1), [0, 1]의 float32)로 "
              "`final_model`을 평가하지 못했습니다({detail}). 기대한 것: 그 입력을 받아 확률 10개를 내는 모델. "
              "고치는 법: `keras.Input(shape=(28, 28, 1))`로 시작해 `Dense(10, activation=\"softmax\")`로 끝내세요.",
    },
    # -- q7 Conv1D -------------------------------------------------------------------------------------------
    "mnist_cnn.conv1d_input": {
        "en": "Model `{what}` takes input of shape {found}; expected {expected}: each image as a sequence of 28 "
              "rows (time steps) of 28 pixels (features), with no channel axis, as `Conv1D` reads sequences. "
              "Fix: start with `keras.Input(shape=(28, 28))`.",
        "ko": "모델 `{what}`의 입력 shape은 {found}입니다. 기대한 것: {expected}, 이미지 한 장을 픽셀 28개(특성)로 "
              "된 행 28개(시간 단계)의 시퀀스로 보고 채널 축은 없이(`Conv1D`는 시퀀스를 읽습니다). "
              "고치는 법: `keras.Input(shape=(28, 28))`로 시작하세요.",
    },
}
