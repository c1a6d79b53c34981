"""ldn.datafiles: every data file has a schema, passes it, and a broken copy fails naming file,
path and rule."""

from pathlib import Path

import pytest

import ldn
from ldn import datafiles
from ldn.dataschemas import NOT_LOADED_HERE

ROOT = Path(ldn.__file__).parent
SRC = ROOT.parent


def _data_files() -> list[tuple[str, str]]:
    out = []
    for path in sorted(ROOT.rglob("data/**/*")):
        if path.is_dir() or path.suffix not in {".yaml", ".yml", ".json", ".gz"}:
            continue
        parts = path.relative_to(ROOT).parts
        at = parts.index("data")
        out.append((".".join(("ldn", *parts[:at])), "/".join(parts[at:])))
    return out


@pytest.mark.parametrize(("package", "name"), _data_files())
def test_every_data_file_has_a_schema_and_passes_it(package, name):
    if f"{package}:{name}" in NOT_LOADED_HERE:
        pytest.skip(NOT_LOADED_HERE[f"{package}:{name}"])
    assert datafiles.load(package, name) is not None


def test_the_walk_finds_the_data_files():
    assert len(_data_files()) >= 40


def test_no_module_parses_yaml_or_json_data_files_on_its_own():
    """Parsing lives in ldn.datafiles; json.loads of user input (imports) is not a data file."""
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.name != "datafiles.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "yaml.safe_load" in line or "yaml.load(" in line
    ]
    assert offenders == []


def test_a_broken_value_names_file_path_and_rule(tmp_path):
    broken = tmp_path / "dose_rule.yaml"
    text = (ROOT / "dosing/data/dose_rule.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("refuse_above_mg: 50", "refuse_above_mg: -1"), encoding="utf-8")
    with pytest.raises(datafiles.DataFileError) as caught:
        datafiles.load("ldn.dosing", "data/dose_rule.yaml", path=broken)
    assert str(caught.value) == (
        "ldn.dosing:data/dose_rule.yaml: refuse_above_mg: Input should be greater than 0 (got -1)"
    )


def test_a_misspelt_key_is_refused_not_ignored(tmp_path):
    broken = tmp_path / "perioperative.yaml"
    text = (ROOT / "dosing/data/perioperative.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("hold_days_before:", "hold_day_before:"), encoding="utf-8")
    with pytest.raises(datafiles.DataFileError) as caught:
        datafiles.load("ldn.dosing", "data/perioperative.yaml", path=broken)
    assert "hold_days_before: Field required" in str(caught.value)
    assert "hold_day_before: Extra inputs are not permitted" in str(caught.value)


def test_invalid_yaml_names_the_file(tmp_path):
    broken = tmp_path / "forms.yaml"
    broken.write_text("forms: [unclosed\n", encoding="utf-8")
    with pytest.raises(
        datafiles.DataFileError, match=r"^ldn.dosing:data/forms.yaml: not valid YAML"
    ):
        datafiles.load("ldn.dosing", "data/forms.yaml", path=broken)


def test_a_file_without_a_schema_is_refused():
    with pytest.raises(datafiles.DataFileError, match="ldn.dosing:data/new.yaml: no schema"):
        datafiles.load("ldn.dosing", "data/new.yaml")


def test_the_export_schema_must_itself_be_a_valid_json_schema(tmp_path):
    broken = tmp_path / "export.schema.json"
    broken.write_text('{"type": "objekt"}', encoding="utf-8")
    with pytest.raises(datafiles.DataFileError, match="not a valid JSON Schema at type"):
        datafiles.load("ldn.interop", "data/export.schema.json", path=broken)
