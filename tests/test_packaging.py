"""What users install is what we ship: the built wheel and sdist carry every package file.

A bundled model is a directory tree (an ensemble holds its members as sub-directories), so
a package-data rule that matches only one level silently ships a model that cannot load.
These tests build both artefacts from the source tree and compare them file by file with it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import kwextract

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = {"kwextract": ROOT / "kwextract", "kwextract/cli": ROOT / "cli"}

pytestmark = [
    pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason=f"no source tree at {ROOT}"),
    pytest.mark.slow,
]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shipped_files() -> dict[str, str]:
    """Every file the package must carry, as its path inside the package → sha256 of its bytes."""
    files: dict[str, str] = {}
    for prefix, folder in PACKAGE_DIRS.items():
        for path in folder.rglob("*"):
            relative = path.relative_to(folder)
            if not path.is_file() or "__pycache__" in relative.parts or any(p.startswith(".") for p in relative.parts):
                continue
            if prefix == "kwextract" and relative.parts[0] == "cli":
                continue
            if path.suffix == ".py" or relative.parts[0] == "models" or path.name == "py.typed":
                files[f"{prefix}/{relative.as_posix()}"] = _digest(path.read_bytes())
    return files


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, and the wheel built from it (``python -m build`` builds the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = out.glob("kwextract-*.whl")
    (sdist,) = out.glob("kwextract-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_every_model_file_is_in_the_source_list():
    models = [name for name in shipped_files() if name.startswith("kwextract/models/")]
    assert any(name.endswith("member-1/weights.pt") for name in models)  # the walk sees nested members


def test_wheel_carries_every_package_file_byte_for_byte(artefacts: dict[str, Path]):
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        inside = {name: _digest(wheel.read(name)) for name in wheel.namelist() if not name.endswith("/")}
    expected = shipped_files()
    missing = sorted(name for name in expected if name not in inside)
    assert not missing, f"{artefacts['wheel'].name} lacks {len(missing)} files, e.g. {missing[:5]}"
    assert [n for n in expected if inside[n] != expected[n]] == []


def test_sdist_carries_every_package_file_and_the_release_files(artefacts: dict[str, Path]):
    root = f"kwextract-{kwextract.__version__}"
    with tarfile.open(artefacts["sdist"]) as sdist:
        names = {m.name.removeprefix(root + "/") for m in sdist.getmembers() if m.isfile()}
    source_paths = {name.replace("kwextract/cli/", "cli/", 1) for name in shipped_files()}
    missing = sorted(source_paths - names)
    assert not missing, f"{artefacts['sdist'].name} lacks {len(missing)} files, e.g. {missing[:5]}"
    assert {"LICENSE", "LICENSE-wordlists", "CHANGELOG.md", "README.md", "pyproject.toml"} <= names


def test_wheel_metadata_names_version_licence_and_entry_points(artefacts: dict[str, Path]):
    assert artefacts["wheel"].name.startswith(f"kwextract-{kwextract.__version__}-")
    with zipfile.ZipFile(artefacts["wheel"]) as wheel:
        info = f"kwextract-{kwextract.__version__}.dist-info"
        metadata = wheel.read(f"{info}/METADATA").decode()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        licence = [n for n in wheel.namelist() if n.startswith(f"{info}/licenses/")]
    assert f"Version: {kwextract.__version__}" in metadata
    assert "Project-URL:" in metadata and "Classifier:" in metadata
    assert licence and "kwextract = kwextract.cli.main:main" in entry_points
    # multi's word lists (rarity.json.gz) are CC BY-SA 4.0: the wheel says so and carries the notice
    assert "License-Expression: MIT AND CC-BY-SA-4.0" in metadata
    assert {n.rsplit("/", 1)[1] for n in licence} >= {"LICENSE", "LICENSE-wordlists"}
    assert "kwextract = kwextract.spacy_component:make_component" in entry_points
