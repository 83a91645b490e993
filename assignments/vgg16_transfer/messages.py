"""Messages of the vgg16_transfer assignment's checks (ko/en; each says expected / found / fix).

Messages name the student's own variables, layers and counts; the grader's data (the validation
images it reads itself) is described only by counts.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # -- notebook values the checks need ----------------------------------------------------------------
    "vgg16_transfer.img_size": {
        "en": "`IMG_SIZE` is {found}; expected a whole number of pixels from 32 (the smallest input VGG16 takes) to "
              "512. Fix: keep the data cell's `IMG_SIZE = 32` (or 150 on a GPU, as in the book).",
        "ko": "`IMG_SIZE`가 {found}입니다. 32(VGG16이 받는 가장 작은 입력)에서 512 사이의 정수 픽셀 수여야 합니다. "
              "고치는 법: 데이터 셀의 `IMG_SIZE = 32`를 그대로 두세요(GPU에서는 책처럼 150).",
    },
    "vgg16_transfer.per_class": {
        "en": "`VAL_PER_CLASS` is {found}; expected the number of validation images per class (a positive whole "
              "number). Fix: keep the data cell as it was handed out.",
        "ko": "`VAL_PER_CLASS`가 {found}입니다. 클래스마다 검증 이미지 수(양의 정수)여야 합니다. "
              "고치는 법: 데이터 셀을 받은 그대로 두세요.",
    },
    "vgg16_transfer.not_a_dataset": {
        "en": "`{name}` should be a tf.data dataset of (images, labels) batches, with images of shape "
              "(batch, IMG_SIZE, IMG_SIZE, 3); found {found}. Fix: build it from `raw_train` / `raw_val` with "
              "`.map(lambda x, y: (preprocess_input(x), y))`.",
        "ko": "`{name}`은(는) (이미지, 레이블) 배치로 된 tf.data 데이터셋이어야 하고, 이미지 shape은 "
              "(배치, IMG_SIZE, IMG_SIZE, 3)이어야 합니다. 찾은 것: {found}. 고치는 법: `raw_train` / `raw_val`에서 "
              "`.map(lambda x, y: (preprocess_input(x), y))`로 만드세요.",
    },
    "vgg16_transfer.no_digests": {
        "en": "`{name}` should hold the weight fingerprints the notebook records (one per convolution layer of "
              "`conv_base`); found {found}. Fix: run the notebook's fingerprint cells unchanged, right where they are.",
        "ko": "`{name}`에는 노트북이 기록하는 가중치 지문(`conv_base`의 합성곱 층마다 하나)이 있어야 합니다. 찾은 것: "
              "{found}. 고치는 법: 가중치 지문 셀을 고치지 말고 제자리에서 실행하세요.",
    },
    "vgg16_transfer.no_course_data": {
        "en": "Not checked: the course data (cats_and_dogs_filtered) is not on the grading machine, so {what} could "
              "not be compared with the original images. This check does not count toward your score or its "
              "maximum. Fix (instructor): set `data_dir` in grading_config.yaml to the course data folder.",
        "ko": "검사하지 않음: 채점 컴퓨터에 강의 데이터(cats_and_dogs_filtered)가 없어 {what}을(를) 원본 이미지와 "
              "비교할 수 없었습니다. 이 검사는 점수와 만점에 포함되지 않습니다. 고치는 법(강사): grading_config.yaml의 "
              "`data_dir`을 강의 데이터 폴더로 설정하세요.",
    },
    # -- q1 conv_base ------------------------------------------------------------------------------------
    "vgg16_transfer.include_top": {
        "en": "`conv_base` has VGG16's classifier on top ({found} layers, the last `{last}`): expected only the "
              "convolutional base, ending with `block5_pool`. The ImageNet classifier predicts 1,000 classes and "
              "holds most of VGG16's 138 million parameters; we put our own classifier on top. "
              "Fix: `VGG16(weights=\"imagenet\", include_top=False, input_shape=(IMG_SIZE, IMG_SIZE, 3))`.",
        "ko": "`conv_base`에 VGG16의 분류기가 붙어 있습니다(층 {found}개, 마지막 층 `{last}`). 합성곱 기반 층만 "
              "있어야 하고 마지막 층은 `block5_pool`이어야 합니다. ImageNet 분류기는 1,000개 클래스를 예측하고 VGG16의 "
              "파라미터 1억 3천8백만 개 대부분을 차지합니다. 여기서는 우리 분류기를 올립니다. 고치는 법: "
              "`VGG16(weights=\"imagenet\", include_top=False, input_shape=(IMG_SIZE, IMG_SIZE, 3))`.",
    },
    "vgg16_transfer.base_layers": {
        "en": "`conv_base` has {count} layers ({found}); expected VGG16's 18 layers `block1_conv1` ... `block5_pool` "
              "after the input. Missing: {missing}. Fix: build it with `keras.applications.VGG16(weights=\"imagenet\", "
              "include_top=False, ...)` and keep Keras' layer names.",
        "ko": "`conv_base`의 층이 {count}개입니다({found}). 입력 다음에 VGG16의 18개 층 `block1_conv1` ... "
              "`block5_pool`이 있어야 합니다. 없는 층: {missing}. 고치는 법: `keras.applications.VGG16(weights="
              "\"imagenet\", include_top=False, ...)`로 만들고 Keras의 층 이름을 그대로 두세요.",
    },
    "vgg16_transfer.base_input": {
        "en": "`conv_base` takes input of shape {found}; expected {expected}: RGB images of `IMG_SIZE` pixels, as the "
              "datasets deliver them. Fix: `input_shape=(IMG_SIZE, IMG_SIZE, 3)`.",
        "ko": "`conv_base`의 입력 shape이 {found}입니다. 데이터셋이 주는 대로 `IMG_SIZE` 픽셀의 RGB 이미지, {expected}"
              "여야 합니다. 고치는 법: `input_shape=(IMG_SIZE, IMG_SIZE, 3)`.",
    },
    # -- q2 augmentation ---------------------------------------------------------------------------------
    "vgg16_transfer.no_augmentation": {
        "en": "The training data is not augmented: `model` has no random augmentation layer before `conv_base`, and "
              "`train_ds`'s pipeline has no random op. Expected random flips, rotations and zooms on the training "
              "images. Fix: put `data_augmentation` (RandomFlip, RandomRotation, RandomZoom) as the first layer of "
              "`model`, or map it over `train_ds` only.",
        "ko": "훈련 데이터를 증식하지 않았습니다. `model`의 `conv_base` 앞에 무작위 증식 층이 없고, `train_ds`의 "
              "파이프라인에도 무작위 연산이 없습니다. 훈련 이미지에 무작위 뒤집기, 회전, 확대가 필요합니다. 고치는 법: "
              "`data_augmentation`(RandomFlip, RandomRotation, RandomZoom)을 `model`의 첫 층으로 넣거나, "
              "`train_ds`에만 `map`으로 적용하세요.",
    },
    "vgg16_transfer.val_random_ops": {
        "en": "The validation data is augmented: `val_ds`'s pipeline contains random ops ({ops}). Expected the "
              "validation images exactly as they are (only `preprocess_input`): a validation score must measure "
              "the images the model will really meet and be the same on every pass. Fix: "
              "`val_ds = raw_val.map(lambda x, y: (preprocess_input(x), y))`, and apply `data_augmentation` to "
              "the training data only (or in the model, where it acts only during `fit`).",
        "ko": "검증 데이터를 증식했습니다. `val_ds`의 파이프라인에 무작위 연산({ops})이 있습니다. 검증 이미지는 "
              "그대로(`preprocess_input`만) 써야 합니다. 검증 점수는 모델이 실제로 만날 이미지에서 재야 하고 매번 "
              "같아야 합니다. 고치는 법: `val_ds = raw_val.map(lambda x, y: (preprocess_input(x), y))`로 두고 "
              "`data_augmentation`은 훈련 데이터에만(또는 `fit`에서만 동작하는 모델 안에) 적용하세요.",
    },
    "vgg16_transfer.val_changes": {
        "en": "The validation data changes from one pass to the next: the first batch of `val_ds`, taken twice, "
              "differs. Expected the same images every time (no augmentation, no shuffling of validation data). "
              "Fix: `val_ds = raw_val.map(lambda x, y: (preprocess_input(x), y))` with `raw_val` as handed out "
              "(`shuffle=False`).",
        "ko": "검증 데이터가 읽을 때마다 달라집니다. `val_ds`의 첫 배치를 두 번 꺼냈더니 서로 다릅니다. 매번 같은 "
              "이미지여야 합니다(검증 데이터는 증식하지도 섞지도 않습니다). 고치는 법: 받은 그대로의 `raw_val`"
              "(`shuffle=False`)로 `val_ds = raw_val.map(lambda x, y: (preprocess_input(x), y))`.",
    },
    "vgg16_transfer.val_shape": {
        "en": "The first batch of `val_ds` has shape {found}; the grader's own reading of the same validation "
              "images gives {expected}. Fix: keep `raw_val` from the data cell (IMG_SIZE, RGB) and only map "
              "`preprocess_input` over it.",
        "ko": "`val_ds`의 첫 배치 shape이 {found}입니다. 채점기가 같은 검증 이미지를 직접 읽으면 {expected}입니다. "
              "고치는 법: 데이터 셀의 `raw_val`(IMG_SIZE, RGB)을 그대로 쓰고 `preprocess_input`만 `map`하세요.",
    },
    "vgg16_transfer.val_not_original": {
        "en": "The validation data is changed: {count} of the {total} images in the first batch of `val_ds` differ "
              "from the original validation images the grader read itself (with or without `preprocess_input`), "
              "e.g. flipped, rotated or zoomed. Expected the validation images as they are. Fix: "
              "`val_ds = raw_val.map(lambda x, y: (preprocess_input(x), y))`; transform the training data only.",
        "ko": "검증 데이터가 바뀌었습니다. `val_ds` 첫 배치의 이미지 {total}개 중 {count}개가 채점기가 직접 읽은 원본 "
              "검증 이미지(`preprocess_input`을 적용했든 안 했든)와 다릅니다(예: 뒤집기, 회전, 확대). 검증 이미지는 "
              "그대로여야 합니다. 고치는 법: `val_ds = raw_val.map(lambda x, y: (preprocess_input(x), y))`로 두고 "
              "변환은 훈련 데이터에만 하세요.",
    },
    # -- q3 the model --------------------------------------------------------------------------------------
    "vgg16_transfer.no_base": {
        "en": "`model` has no VGG16 base inside (its layers: {found}). Expected `conv_base` as one of its layers, "
              "followed by the classifier. Fix: `keras.Sequential([keras.Input(...), data_augmentation, conv_base, "
              "layers.Flatten(), layers.Dense(256, activation=\"relu\"), layers.Dense(1, activation=\"sigmoid\")])`.",
        "ko": "`model` 안에 VGG16 기반 층이 없습니다(층: {found}). `conv_base`가 층 하나로 들어 있고 그 뒤에 분류기가 "
              "있어야 합니다. 고치는 법: `keras.Sequential([keras.Input(...), data_augmentation, conv_base, "
              "layers.Flatten(), layers.Dense(256, activation=\"relu\"), layers.Dense(1, activation=\"sigmoid\")])`.",
    },
    "vgg16_transfer.base_not_nested": {
        "en": "`model` holds VGG16's layers one by one instead of `conv_base` as one layer, so `conv_base.trainable` "
              "cannot freeze and unfreeze it as a whole. Expected `conv_base` nested as a single layer. Fix: add "
              "`conv_base` itself to the Sequential model (or call `conv_base(x)` in a functional model).",
        "ko": "`model`에 `conv_base`가 층 하나로 들어 있지 않고 VGG16의 층들이 하나씩 풀려 있습니다. 그러면 "
              "`conv_base.trainable`로 전체를 동결하고 풀 수 없습니다. `conv_base`가 층 하나로 들어 있어야 합니다. "
              "고치는 법: Sequential 모델에 `conv_base` 자체를 넣으세요(함수형 모델이면 `conv_base(x)`).",
    },
    "vgg16_transfer.before_base": {
        "en": "`model` has layers with weights before `conv_base` ({layers}). Expected only the input and "
              "`data_augmentation` (layers without weights) before the base, so the base sees the images. "
              "Fix: remove those layers or move them after `conv_base`.",
        "ko": "`model`의 `conv_base` 앞에 가중치가 있는 층({layers})이 있습니다. 기반 층 앞에는 입력과 "
              "`data_augmentation`(가중치 없는 층)만 있어야 기반 층이 이미지를 그대로 봅니다. 고치는 법: 그 층들을 "
              "빼거나 `conv_base` 뒤로 옮기세요.",
    },
    "vgg16_transfer.head": {
        "en": "The classifier on top of `conv_base` is {found}; expected Flatten - Dense(256, relu) - Dense(1, "
              "sigmoid) (a Dropout between them is fine): one probability of \"dog\" per image for binary "
              "classification. Fix: `layers.Flatten(), layers.Dense(256, activation=\"relu\"), layers.Dropout(0.5), "
              "layers.Dense(1, activation=\"sigmoid\")`.",
        "ko": "`conv_base` 위의 분류기가 {found}입니다. Flatten - Dense(256, relu) - Dense(1, sigmoid)여야 합니다"
              "(사이에 Dropout은 괜찮습니다). 이진 분류이므로 이미지마다 \"강아지\"일 확률 하나를 냅니다. 고치는 법: "
              "`layers.Flatten(), layers.Dense(256, activation=\"relu\"), layers.Dropout(0.5), "
              "layers.Dense(1, activation=\"sigmoid\")`.",
    },
    "vgg16_transfer.not_frozen": {
        "en": "`{name}` is {found}: after freezing, `model` should have {expected} trainable weights (the two Dense "
              "layers' kernels and biases), but all 30 are still trainable, so training would update (and wreck) "
              "the pretrained base. Fix: `conv_base.trainable = False` before `trainable_after = "
              "len(model.trainable_weights)` and before `compile`.",
        "ko": "`{name}`이(가) {found}입니다. 동결한 뒤에는 `model`의 학습 가능한 가중치가 {expected}개(두 Dense 층의 "
              "커널과 편향)여야 하는데 30개 모두 학습 가능합니다. 그러면 학습이 사전 학습된 기반 층을 바꿔(망가뜨려) "
              "버립니다. 고치는 법: `trainable_after = len(model.trainable_weights)`와 `compile` 전에 "
              "`conv_base.trainable = False`.",
    },
    "vgg16_transfer.trainable_count": {
        "en": "`{name}` is {found}; expected {expected}. `len(model.trainable_weights)` counts weight tensors: 30 "
              "before freezing (13 convolution layers × kernel and bias + 2 Dense layers × 2), 4 after "
              "`conv_base.trainable = False`. Fix: record `len(model.trainable_weights)` right before and right "
              "after `conv_base.trainable = False`, on the model with the classifier.",
        "ko": "`{name}`이(가) {found}입니다. {expected}이어야 합니다. "
              "`len(model.trainable_weights)`는 가중치 텐서 수를 "
              "셉니다: 동결 전 30개(합성곱 층 13개 × 커널과 편향 + Dense 층 2개 × 2), `conv_base.trainable = False` 뒤 "
              "4개. 고치는 법: 분류기를 올린 모델에서 `conv_base.trainable = False` 바로 전과 바로 뒤에 "
              "`len(model.trainable_weights)`를 기록하세요.",
    },
    "vgg16_transfer.count_but_trained": {
        "en": "`trainable_after` says {expected}, as after freezing, but the final `model` shows that the base "
              "was not frozen in the first training: {count} convolution layers ({layers} ...) no longer hold the "
              "weights `VGG16(weights=\"imagenet\")` builds (the grader rebuilds them itself), and fine-tuning did "
              "not train them. A count typed or recorded earns nothing by itself. Fix: `conv_base.trainable = "
              "False` before `trainable_after = len(model.trainable_weights)`, `compile` and `fit`, and run the "
              "notebook again from question 1.",
        "ko": "`trainable_after`는 동결한 뒤처럼 {expected}이지만, 최종 `model`을 보면 첫 학습에서 기반 층이 "
              "동결되지 않았습니다: 합성곱 층 {count}개({layers} ...)가 `VGG16(weights=\"imagenet\")`이 만드는 "
              "가중치(채점기가 직접 다시 만듭니다)를 더 이상 갖고 있지 않고, 미세 조정이 그 층들을 학습한 것도 "
              "아닙니다. 직접 적거나 기록한 수는 그것만으로 점수가 되지 않습니다. 고치는 법: "
              "`trainable_after = len(model.trainable_weights)`, `compile`, `fit` 전에 `conv_base.trainable = "
              "False`로 하고 문제 1부터 노트북을 다시 실행하세요.",
    },
    "vgg16_transfer.base_trained_final": {
        "en": "The base changed while it should have been frozen: in the final `model`, {count} convolution layers "
              "({layers} ...) no longer hold the weights `VGG16(weights=\"imagenet\")` builds (the grader rebuilds "
              "them itself), and they are frozen in fine-tuning, so the first training changed them (or `conv_base` "
              "was not built with `weights=\"imagenet\"`). Expected the base unchanged: only the classifier trains "
              "in feature extraction. Fix: `conv_base.trainable = False`, then `compile`, then `fit`.",
        "ko": "동결되어 있어야 할 기반 층이 바뀌었습니다. 최종 `model`에서 합성곱 층 {count}개({layers} ...)가 "
              "`VGG16(weights=\"imagenet\")`이 만드는 가중치(채점기가 직접 다시 만듭니다)를 더 이상 갖고 있지 "
              "않은데, 미세 조정에서는 동결된 층이므로 첫 학습이 바꾼 것입니다(또는 `conv_base`를 "
              "`weights=\"imagenet\"`으로 만들지 않았습니다). 특성 추출에서는 분류기만 학습하고 기반 층은 그대로여야 "
              "합니다. 고치는 법: `conv_base.trainable = False`, 그다음 `compile`, 그다음 `fit`.",
    },
    "vgg16_transfer.start_not_reference": {
        "en": "`weights_at_start` does not describe the base as `VGG16(weights=\"imagenet\")` builds it: {count} "
              "convolution layers ({layers} ...) have other fingerprints than the weights the grader rebuilds. "
              "The fingerprint cells were moved, edited or run again after training. Expected: "
              "`weights_at_start = layer_digests(conv_base)` right after building `conv_base`, before any training. "
              "Fix: run the notebook's fingerprint cells unchanged, where they are, from question 1 on.",
        "ko": "`weights_at_start`가 `VGG16(weights=\"imagenet\")`이 만든 기반 층을 나타내지 않습니다: 합성곱 층 "
              "{count}개({layers} ...)의 지문이 채점기가 다시 만든 가중치와 다릅니다. 가중치 지문 셀을 옮기거나 "
              "고쳤거나 학습 뒤에 다시 실행했습니다. 기대한 것: `conv_base`를 만든 직후, 학습 전에 "
              "`weights_at_start = layer_digests(conv_base)`. 고치는 법: 가중치 지문 셀을 고치지 말고 제자리에서 "
              "문제 1부터 실행하세요.",
    },
    "vgg16_transfer.base_trained_while_frozen": {
        "en": "The base changed while it should have been frozen: {count} convolution layers ({layers} ...) have "
              "other weights after the first training (`weights_after_frozen`) than before it (`weights_at_start`). "
              "Expected the base unchanged: only the classifier trains in feature extraction. Fix: "
              "`conv_base.trainable = False`, then `compile`, then `fit`.",
        "ko": "동결되어 있어야 할 기반 층이 바뀌었습니다. 합성곱 층 {count}개({layers} ...)의 가중치가 첫 학습 전"
              "(`weights_at_start`)과 후(`weights_after_frozen`)에 다릅니다. "
              "특성 추출에서는 분류기만 학습하고 기반 층은 "
              "그대로여야 합니다. 고치는 법: `conv_base.trainable = False`, 그다음 `compile`, 그다음 `fit`.",
    },
    # -- q4 fine-tuning ----------------------------------------------------------------------------------
    "vgg16_transfer.unfrozen_below": {
        "en": "Fine-tuning unfroze too much: {count} convolution layers below `block5_conv1` are trainable, the "
              "first `{first}`. Expected only `block5_conv1`, `block5_conv2` and `block5_conv3` trainable: the "
              "lower blocks hold generic features (edges, colours, textures), and training all 14.7 million "
              "weights on a few images overfits and wrecks them. Fix: after `conv_base.trainable = True`, set "
              "`layer.trainable = False` for every layer before `block5_conv1`.",
        "ko": "미세 조정에서 너무 많이 풀었습니다. `block5_conv1` 아래의 합성곱 층 {count}개가 학습 가능합니다(첫 층 "
              "`{first}`). `block5_conv1`, `block5_conv2`, `block5_conv3`만 학습 가능해야 합니다. 아래 블록은 "
              "가장자리, 색, 질감처럼 일반적인 특성을 담고 있고, 적은 이미지로 1,470만 개 가중치를 모두 학습하면 "
              "과대적합되어 그 특성이 망가집니다. 고치는 법: `conv_base.trainable = True` 다음에 `block5_conv1` 앞의 "
              "모든 층을 `layer.trainable = False`로 두세요.",
    },
    "vgg16_transfer.learning_rate": {
        "en": "`model` was compiled for fine-tuning with learning rate {found}; expected at most {expected} (the "
              "book uses 1e-5). Large updates wreck the pretrained representations of the unfrozen block. Fix: "
              "`model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-5), ...)` after unfreezing.",
        "ko": "미세 조정을 위해 `model`을 학습률 {found}로 컴파일했습니다. {expected} 이하여야 합니다(책은 1e-5). "
              "큰 업데이트는 풀어 준 블록의 사전 학습된 표현을 망가뜨립니다. 고치는 법: 층을 푼 뒤 "
              "`model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-5), ...)`.",
    },
    "vgg16_transfer.lower_blocks_changed": {
        "en": "The lower blocks changed: {count} convolution layers below `block5_conv1` (the first `{first}`) "
              "hold other weights in the final `model` than the ones `VGG16(weights=\"imagenet\")` builds (the "
              "grader rebuilds them itself: the ImageNet file, or without it the same seeded stand-in weights the "
              "grading machine built). Expected blocks 1-4 never to train. Fix: keep every layer before "
              "`block5_conv1` frozen in both trainings (and compile after changing `trainable`).",
        "ko": "아래 블록이 바뀌었습니다. `block5_conv1` 아래의 합성곱 층 {count}개"
              "(첫 층 `{first}`)의 가중치가 "
              "최종 `model`에서 `VGG16(weights=\"imagenet\")`이 만드는 가중치와 다릅니다(채점기가 직접 다시 "
              "만듭니다: ImageNet 파일, 없으면 채점 컴퓨터가 만든 것과 같은 시드의 대체 가중치). "
              "블록 1-4는 한 번도 학습하지 않아야 합니다. "
              "고치는 법: 두 번의 학습 모두에서 `block5_conv1` 앞의 층을 동결해 두세요(`trainable`을 바꾼 뒤에는 "
              "`compile`).",
    },
    "vgg16_transfer.block5_unchanged": {
        "en": "Fine-tuning did not train the top block: {layers} in the final `model` still hold the weights "
              "`VGG16(weights=\"imagenet\")` built, or those recorded after the first training "
              "(`weights_after_frozen`). Expected `block5_conv1` ... `block5_conv3` "
              "to change. Fix: unfreeze them, compile again (a change of `trainable` takes effect at `compile`), "
              "then `history_fine = model.fit(...)`.",
        "ko": "미세 조정이 맨 위 블록을 학습하지 않았습니다. 최종 `model`의 {layers}의 가중치가 "
              "`VGG16(weights=\"imagenet\")`이 만든 것 또는 첫 학습 뒤에 기록한 것(`weights_after_frozen`)과 "
              "같습니다. `block5_conv1` ... `block5_conv3`은 바뀌어야 합니다. 고치는 법: "
              "그 층들을 풀고 다시 컴파일한 다음(`trainable` 변경은 `compile`에서 반영됩니다) "
              "`history_fine = model.fit(...)`.",
    },
    # -- q5 accuracy (hidden) ---------------------------------------------------------------------------------
    "vgg16_transfer.cannot_evaluate": {
        "en": "The grader could not measure `model`'s validation accuracy: {detail}. It feeds the model "
              "(n, IMG_SIZE, IMG_SIZE, 3) images with `preprocess_input` applied, and reads one sigmoid probability "
              "per image. Fix: keep the model's input `(IMG_SIZE, IMG_SIZE, 3)` and its Dense(1, sigmoid) output.",
        "ko": "채점기가 `model`의 검증 정확도를 잴 수 없었습니다: {detail}. 채점기는 `preprocess_input`을 적용한 "
              "(n, IMG_SIZE, IMG_SIZE, 3) 이미지를 넣고 이미지마다 sigmoid 확률 하나를 읽습니다. "
              "고치는 법: 모델 입력을 "
              "`(IMG_SIZE, IMG_SIZE, 3)`, 출력을 Dense(1, sigmoid)로 두세요.",
    },
}
