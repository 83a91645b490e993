"""Which file answers each keras.datasets download: the user's genuine cache, then the course data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from autograder.data import datasets, keras_files


def _snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in folder.rglob("*") if p.is_file()}


def test_course_files_answer_when_the_user_has_no_cache(tmp_path: Path, shared_data: Path) -> None:
    files = keras_files.resolve(shared_data, keras_cache=tmp_path / "empty")
    assert files["mnist.npz"] == (shared_data / "keras/datasets/mnist.npz").resolve()
    assert files["imdb.npz"] == (shared_data / "data/imdb/imdb.npz").resolve()  # rebuilt copy
    assert files["reuters_word_index.json"] == (shared_data / "data/reuters/reuters_word_index.json").resolve()
    assert keras_files.is_genuine(files["mnist.npz"], "mnist.npz")
    assert not keras_files.is_genuine(files["imdb.npz"], "imdb.npz")  # same layout, not Keras' bytes


def test_a_genuine_file_in_the_users_cache_wins(tmp_path: Path, shared_data: Path) -> None:
    cache = tmp_path / "keras"
    (cache / "datasets").mkdir(parents=True)
    shutil.copy(shared_data / "keras/datasets/boston_housing.npz", cache / "datasets/boston_housing.npz")
    (cache / "datasets/mnist.npz").write_bytes(b"a broken partial download")
    files = keras_files.resolve(shared_data, keras_cache=cache)
    assert files["boston_housing.npz"] == (cache / "datasets/boston_housing.npz").resolve()
    assert files["mnist.npz"] == (shared_data / "keras/datasets/mnist.npz").resolve()  # not the broken one


def test_no_data_dir_and_no_cache_means_no_files(tmp_path: Path) -> None:
    assert keras_files.resolve(None, keras_cache=tmp_path) == {}


def test_the_environment_encoding_round_trips_and_rejects_garbage() -> None:
    files = {"mnist.npz": Path("/data/mnist.npz")}
    assert keras_files.decode(keras_files.encode(files)) == {"mnist.npz": "/data/mnist.npz"}
    assert keras_files.decode("not json") == {} and keras_files.decode("[1, 2]") == {}


@pytest.mark.slow
def test_grader_side_loading_has_keras_semantics_and_writes_nothing(tmp_path: Path, shared_data: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    before = _snapshot(shared_data)
    files = {k: str(v) for k, v in keras_files.resolve(shared_data, keras_cache=tmp_path / "none").items()}
    (x_train, y_train), (x_test, _) = datasets.load("imdb", files, num_words=10000)
    assert (len(x_train), len(x_test)) == (25000, 25000)
    assert list(x_train[0][:5]) == [1, 14, 22, 16, 43]  # the book's first review, start_char then offset 3
    assert max(max(seq) for seq in x_train) == 9999
    assert set(y_train.tolist()) == {0, 1}
    (r_train, r_labels), (r_test, _) = datasets.load("reuters", files, num_words=10000)
    assert (len(r_train), len(r_test), int(r_labels.max())) == (8982, 2246, 45)
    assert datasets.word_index("imdb", files)["the"] == 1
    assert _snapshot(shared_data) == before
    assert not os.path.exists(tmp_path / "keras-home" / "datasets")  # nothing downloaded or cached


def test_pretrained_weights_are_genuine_or_refused(tmp_path: Path) -> None:
    assert keras_files.resolve_weights("none", tmp_path) == {}
    assert keras_files.resolve_weights("keras_cache", tmp_path, keras_cache=tmp_path / "cache") == {}
    impostor = tmp_path / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    impostor.write_bytes(b"random weights under the ImageNet name")
    with pytest.raises(ValueError, match="Keras' hash"):
        keras_files.resolve_weights(str(impostor), tmp_path)
    with pytest.raises(ValueError, match="Keras' hash"):
        keras_files.resolve_weights(".", tmp_path)  # a folder holding the impostor
    with pytest.raises(ValueError, match="no pretrained weight files"):
        keras_files.resolve_weights("missing-folder", tmp_path)
