"""Category 2 reference: Fashion-MNIST with Flatten and Dense layers, normalised inputs, the best epoch's
weights kept by ModelCheckpoint and loaded back (as in the course notes)."""

import os
import tempfile

import keras


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train, x_valid = x_train / 255.0, x_test[:5000] / 255.0  # validate on the first half of the test file
    y_valid = y_test[:5000]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),  # fixed input shape
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),  # fixed output layer
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    best = os.path.join(tempfile.mkdtemp(), "best.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(best, monitor="val_accuracy", save_best_only=True,
                                                 save_weights_only=True)
    model.fit(x_train, y_train, epochs=3, batch_size=128, validation_data=(x_valid, y_valid),
              callbacks=[checkpoint], verbose=0)
    model.load_weights(best)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
