"""Category 5: a time series.

Forecast the next reading of a body sensor from the 25 readings before it (one second at 25 Hz): the torso
unit's x accelerometer of UCI's Daily and Sports Activities, activity 10 (walking on a treadmill), subjects 1-6.
Readings are scaled with the fixed constants LOW and HIGH below; the grader scales its hidden series the same way.
The model's input shape is fixed at (25, 1) and its last layer at Dense(1) (linear), or the tests will fail.
Save the trained model as mymodel.keras and submit it:  autograder exam submit category5 mymodel.keras
"""

import os
import re
import zipfile

import keras
import numpy as np

DATA = os.environ.get("DAILY_SPORTS_ZIP", "../shared/data/daily_sports.zip")
ACTIVITY = 10  # walking on a treadmill at 4 km/h, flat
CHANNEL = 0  # T_xacc: the torso unit's x accelerometer
TRAIN_SUBJECTS = (1, 2, 3, 4, 5, 6)
WINDOW = 25
LOW, HIGH = 4.0, 17.0  # fixed scaling: do not change


def load_series(path, subject):
    """One subject's channel, scaled to [0, 1], segments in time order."""
    pattern = re.compile(rf"(?:.*/)?a{ACTIVITY:02d}/p{subject}/s(\d\d)\.txt$")
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if pattern.match(n))
        rows = [np.loadtxt(archive.open(n), delimiter=",", dtype=np.float32) for n in names]
    values = np.concatenate(rows)[:, CHANNEL]
    return (values - LOW) / (HIGH - LOW)


def windowed(series, window=WINDOW):
    x = np.lib.stride_tricks.sliding_window_view(series[:-1], window)[..., np.newaxis]
    return np.ascontiguousarray(x, dtype=np.float32), series[window:].astype(np.float32)


def solution_model():
    parts = [windowed(load_series(DATA, s)) for s in TRAIN_SUBJECTS]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])

    # YOUR CODE HERE: the layers between input and output, the optimizer, the loss and how long to train
    model = keras.Sequential([
        keras.Input(shape=(WINDOW, 1)),  # do not change the input shape
        keras.layers.Flatten(),
        keras.layers.Dense(1),  # do not change the output layer
    ])
    model.compile(optimizer="sgd", loss="mae")
    model.fit(x, y, epochs=1, verbose=0)
    return model


if __name__ == "__main__":
    solution_model().save("mymodel.keras")
