import json
import shutil

import pytest
import torch

import kwextract
from kwextract import ModelFormatError, ModelNotFoundError, load
from kwextract.batching import Window, collate
from kwextract.environment import NUMERIC_LIBRARIES


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


def _set_config(model_copy, **changes):
    path = model_copy / "config.json"
    config = json.loads(path.read_text())
    config.update(changes)
    path.write_text(json.dumps(config))


def test_model_from_a_newer_kwextract_says_which_and_to_upgrade(model_copy):
    _set_config(model_copy, format_version=99, kwextract_version="9.1.0")
    with pytest.raises(ModelFormatError, match=r"written by kwextract 9\.1\.0 in model format 99.*upgrade") as err:
        load(model_copy)
    assert str(model_copy / "config.json") in str(err.value)


def test_model_of_an_older_format_says_to_retrain(model_copy):
    _set_config(model_copy, format_version=0, kwextract_version="0.0.1")
    with pytest.raises(ModelFormatError, match=r"format 0 \(written by kwextract 0\.0\.1\).*re-train"):
        load(model_copy)


@pytest.mark.parametrize("version", [None, "1", True, 1.5])
def test_missing_or_malformed_format_version(model_copy, version):
    _set_config(model_copy, format_version=version)
    with pytest.raises(ModelFormatError, match="no model format version"):
        load(model_copy)


def test_config_that_is_not_an_object(model_copy):
    (model_copy / "config.json").write_text("[1, 2]")
    with pytest.raises(ModelFormatError, match="not a JSON object"):
        load(model_copy)


def test_trained_model_records_its_library_versions(tiny_model):
    meta = json.loads((tiny_model / "meta.json").read_text())
    for record in (meta["environment"], meta["calibration"]["environment"]):
        assert set(record) == {"python", "kwextract", *NUMERIC_LIBRARIES}
        assert record["kwextract"] == kwextract.__version__ and record["torch"].startswith(torch.__version__[:4])


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


def test_save_never_replaces_a_file_or_a_folder_that_is_not_a_model(tiny_model, tmp_path):
    """`train -o data.jsonl` used to rename the user's file away (to .data.jsonl.old) and put the
    model in its place, and `-o ~/some-folder` deleted that folder once the model was written.
    Only a new path, an empty folder or a model directory is written; the rest is refused."""
    model = load(tiny_model)
    data, folder = tmp_path / "train.jsonl", tmp_path / "papers"
    data.write_text('{"text": "Graph partitioning."}\n')
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(folder)
    for target, message in ((data, "exists and is not a folder"), (folder, "not a kwextract model"),
                            (tmp_path / "link", "symbolic link")):
        with pytest.raises(kwextract.InputError, match=message):
            kwextract.save(model, target)
    assert data.read_text() == '{"text": "Graph partitioning."}\n' and (folder / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "link", "papers", "train.jsonl"]
    kwextract.save(model, tmp_path / "empty")
    assert load(tmp_path / "empty").extract("graph partitioning") == model.extract("graph partitioning")


def test_tfidf_weight_is_saved_in_format_5_and_older_configs_read_as_0(tiny_model, tmp_path):
    from dataclasses import replace

    model = load(tiny_model)
    assert model.config.tfidf_weight == 0.0
    model.config = replace(model.config, tfidf_weight=0.3)
    kwextract.save(model, tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["format_version"] >= 5 and config["model"]["tfidf_weight"] == 0.3
    assert load(tmp_path / "m").config.tfidf_weight == 0.3
    del config["model"]["tfidf_weight"]  # as a model of formats 1-4 has it
    config["format_version"] = 4
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    assert load(tmp_path / "m").config.tfidf_weight == 0.0


@pytest.mark.parametrize(("field", "value"), [("hidden_size", "16"), ("dropout", "high"), ("bidirectional", 1),
                                              ("num_layers", 1.5), ("select_threshold", "0.2"), ("encoder", 3),
                                              ("tfidf_weight", "0.3"), ("general_rarity", "yes")])
def test_config_value_of_the_wrong_type_is_named(model_copy, field, value):
    path = model_copy / "config.json"
    config = json.loads(path.read_text())
    config["model"][field] = value
    path.write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match=f"ModelConfig.{field} must be"):
        load(model_copy)


def test_meta_that_is_not_an_object(model_copy):
    (model_copy / "meta.json").write_text('["a list"]')
    with pytest.raises(ModelFormatError, match="meta.json: not a JSON object"):
        load(model_copy)


def test_bfloat16_precision_runs_the_encoder_in_bfloat16_close_to_float32(tiny_model):
    exact, fast = load(tiny_model), load(tiny_model, precision="bfloat16")
    assert {p.dtype for p in fast.tagger.encoder.parameters()} == {torch.bfloat16}
    assert {p.dtype for p in exact.tagger.encoder.parameters()} == {torch.float32}
    assert {p.dtype for p in fast.tagger.emit.parameters()} == {torch.float32}  # only the encoder changes
    text = "Graph partitioning with genetic algorithms improves parallel sparse matrix computations."
    tokens = exact.tokenizer.pipe([text])[0]
    batch = collate([exact.featurize(tokens)], [Window(0, 0, len(tokens))])
    with torch.no_grad():
        states = {name: m.tagger.encode(batch.word_ids, batch.char_ids, batch.features, batch.mask)
                  for name, m in (("float32", exact), ("bfloat16", fast))}
    assert states["bfloat16"].dtype == torch.float32  # states come back as float32
    assert 0 < (states["bfloat16"] - states["float32"]).abs().max() < 0.05  # rounded, not changed
    found = fast.extract(text, top_k=5)
    assert found and all(text[k.start : k.end] == k.text for k in found)


def test_precision_is_checked_and_bfloat16_is_for_extraction_only(tiny_model, tmp_path, monkeypatch):
    with pytest.raises(kwextract.InputError, match="float32, bfloat16"):
        load(tiny_model, precision="float16")
    with pytest.raises(kwextract.InputError, match="do not combine"):
        load(tiny_model, quantize=True, precision="bfloat16")
    with pytest.raises(kwextract.InputError, match="float32"):
        kwextract.save(load(tiny_model, precision="bfloat16"), tmp_path / "m")
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    monkeypatch.setattr("kwextract.serialization._native_bfloat16", lambda: False)
    with pytest.warns(kwextract.KwextractWarning, match="emulated"):
        load(tiny_model, precision="bfloat16")


def test_int8_quantisation_says_so_when_torch_has_dropped_it(tiny_model, monkeypatch):
    """torch marks its dynamic quantisation deprecated: while it is there, `quantize=True`
    works without passing torch's notice on; once it is gone, the error says what to do."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        warnings.filterwarnings("error", message=".*quantiz", category=UserWarning)
        assert load(tiny_model, quantize=True).extract("Keyphrase extraction with recurrent networks.", top_k=3)
    monkeypatch.delattr(torch.ao.quantization, "quantize_dynamic")
    with pytest.raises(kwextract.InputError, match="no longer has; load the model without it"):
        load(tiny_model, quantize=True)
