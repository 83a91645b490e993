"""Category 3: a CNN on real-world images (cats and dogs).

Classify photos as cat (0) or dog (1), from the course's cats_and_dogs_filtered folder: train/ (1000 of each)
and the first 250 of each class in validation/ to validate on. Each image is loaded with
keras.utils.load_img(path, target_size=(64, 64)) and its pixels divided by 255 (the grader does the same with
its hidden images). Augment the training images only (Random* layers are active only while training).
The model's input shape is fixed at (64, 64, 3) and its last layer at Dense(1, sigmoid), or the tests will fail.
Save the trained model as mymodel.keras and submit it:  autograder exam submit category3 mymodel.keras
"""

import os

import keras
import numpy as np

DATA = os.environ.get("CATS_AND_DOGS", "../shared/data/cats_and_dogs_filtered")
SIZE = 64  # do not change
CLASSES = ("cats", "dogs")  # label 0, 1
VALIDATION_PER_CLASS = 250


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

    # YOUR CODE HERE: augmentation, convolution and pooling layers, compile, train
    model = keras.Sequential([
        keras.Input(shape=(SIZE, SIZE, 3)),  # do not change the input shape
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid"),  # do not change the output layer
    ])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=1, validation_data=(x_valid, y_valid), verbose=0)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
