"""Category 3 reference: a small CNN on real-world images (cats and dogs), augmentation on training only."""

import os

import keras
import numpy as np

DATA = os.environ.get("CATS_AND_DOGS", "../shared/data/cats_and_dogs_filtered")
SIZE = 64  # fixed: the grader loads each image with keras.utils.load_img(path, target_size=(64, 64))
CLASSES = ("cats", "dogs")  # label 0, 1
VALIDATION_PER_CLASS = 250  # the first 250 of each class in validation/ are yours to validate on


def load(folder, first=None):
    images, labels = [], []
    for label, name in enumerate(CLASSES):
        files = sorted(os.listdir(os.path.join(folder, name)))[:first]
        for file in files:
            image = keras.utils.load_img(os.path.join(folder, name, file), target_size=(SIZE, SIZE))
            images.append(keras.utils.img_to_array(image) / 255.0)
            labels.append(label)
    return np.stack(images).astype("float32"), np.array(labels, dtype="float32")


def solution_model():
    x_train, y_train = load(os.path.join(DATA, "train"))
    x_valid, y_valid = load(os.path.join(DATA, "validation"), VALIDATION_PER_CLASS)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(SIZE, SIZE, 3)),  # fixed input shape
        keras.layers.RandomFlip("horizontal"),  # augmentation: active in training only
        keras.layers.RandomRotation(0.05),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),  # fixed output layer
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=8, batch_size=32, validation_data=(x_valid, y_valid), verbose=0)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
