"""The Daily and Sports Activities loader on the real archive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.data.daily_sports import ROWS_PER_SEGMENT, load_unit


@pytest.fixture(scope="module")
def archive(shared_data: Path) -> Path:
    return shared_data / "data" / "daily_sports.zip"


@pytest.mark.slow
def test_one_unit_has_nine_channels_per_row_in_time_order(archive: Path) -> None:
    table = load_unit(archive, "LA")
    assert table.features.shape == (19 * 8 * 30 * ROWS_PER_SEGMENT, 9)
    assert table.features.dtype == np.float32
    assert sorted(set(table.activity.tolist())) == list(range(1, 20))
    assert sorted(set(table.subject.tolist())) == list(range(1, 9))
    order = np.lexsort((table.segment, table.subject, table.activity))
    assert np.array_equal(order, np.arange(len(order)))  # already sorted: activity, subject, segment
    assert table.columns[0] == "LA_xacc" and table.columns[-1] == "activity"
    assert table.table().shape == (len(table.activity), 10)


@pytest.mark.slow
def test_units_are_the_right_column_blocks(archive: Path) -> None:
    import zipfile

    first = np.array(zipfile.ZipFile(archive).read("data/a01/p1/s01.txt").decode().splitlines()[0].split(","),
                     dtype=np.float32)
    for index, unit in enumerate(("T", "RA", "LA", "RL", "LL")):
        assert np.array_equal(load_unit(archive, unit).features[0], first[index * 9:(index + 1) * 9])


@pytest.mark.slow
def test_held_out_subjects_select_whole_recordings(archive: Path) -> None:
    table = load_unit(archive, "RA")
    held_out = table.where(table.subject >= 7)
    assert set(held_out.subject.tolist()) == {7, 8}
    assert len(held_out.activity) == 19 * 2 * 30 * ROWS_PER_SEGMENT


def test_a_bad_unit_or_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unit must be"):
        load_unit(tmp_path / "x.zip", "HEAD")
    import zipfile

    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    with pytest.raises(ValueError, match="UCI Daily and Sports"):
        load_unit(empty)
