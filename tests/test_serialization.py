import shutil

import pytest

import kwextract
from kwextract import ModelFormatError, ModelNotFoundError, load


@pytest.fixture()
def model_copy(tiny_model, tmp_path):
    return shutil.copytree(tiny_model, tmp_path / "model")


@pytest.mark.parametrize("name", ["config.json", "weights.pt", "words.json", "chars.json"])
def test_missing_file_is_named(model_copy, name):
    (model_copy / name).unlink()
    with pytest.raises(ModelFormatError, match=name):
        load(model_copy)


@pytest.mark.parametrize("name", ["config.json", "weights.pt", "words.json"])
def test_corrupted_file_is_named(model_copy, name):
    path = model_copy / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFormatError, match=name):
        load(model_copy)


def test_wrong_format_version(model_copy):
    path = model_copy / "config.json"
    path.write_text(path.read_text().replace('"format_version": 1', '"format_version": 99'))
    with pytest.raises(ModelFormatError, match="format version 99"):
        load(model_copy)


def test_vocabulary_that_does_not_fit_the_weights(model_copy):
    (model_copy / "words.json").write_text('["<pad>", "<unk>", "only"]')
    with pytest.raises(ModelFormatError, match="weights.pt"):
        load(model_copy)


def test_missing_directory(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no model directory"):
        load(tmp_path / "nowhere")


def test_save_replaces_atomically(tiny_model, tmp_path):
    model = load(tiny_model)
    target = tmp_path / "m"
    kwextract.save(model, target)
    kwextract.save(model, target)  # overwriting leaves one complete model and no temporaries
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]
    assert load(target).extract("graph partitioning") == model.extract("graph partitioning")
