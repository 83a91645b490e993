"""Category 4: natural language processing (IMDB sentiment).

Classify movie reviews as positive (1) or negative (0). The exam fixes the constants: VOCAB_SIZE = 1000 (word
indices from keras.datasets.imdb.load_data(num_words=1000)), MAX_LENGTH = 120 (each review cut or padded at the
end: padding="post", truncating="post"; the grader feeds its hidden reviews the same way). The model's input
shape is fixed at (120,) and its last layer at Dense(1, sigmoid), or the tests will fail.
Save the trained model as mymodel.keras and submit it:  autograder exam submit category4 mymodel.keras
"""

import keras
import numpy as np

VOCAB_SIZE = 1000  # do not change
MAX_LENGTH = 120  # do not change
EMBEDDING_DIM = 16


def pad(sequences):
    return keras.utils.pad_sequences(sequences, maxlen=MAX_LENGTH, padding="post", truncating="post")


def solution_model():
    (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=VOCAB_SIZE)
    x_train, x_valid, y_valid = pad(x_train), pad(x_test[:5000]), y_test[:5000]  # validate on the first 5000

    # YOUR CODE HERE: the layers between input and output, compile, train
    model = keras.Sequential([
        keras.Input(shape=(MAX_LENGTH,)),  # do not change the input shape
        keras.layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM),
        keras.layers.Flatten(),
        keras.layers.Dense(1, activation="sigmoid"),  # do not change the output layer
    ])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train[:1000], np.asarray(y_train[:1000]), epochs=1, validation_data=(x_valid, y_valid), verbose=0)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
