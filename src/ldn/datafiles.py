"""The one loader of the data files shipped inside the `ldn` package.

Every YAML/JSON file under a package's data/ folder is read here and validated against its own
schema (ldn.dataschemas.SCHEMAS, one pydantic model per file). A file without a schema, a YAML
error or a value that breaks a rule raises DataFileError naming the file, the path inside it and
the rule, e.g. ``ldn.dosing:data/forms.yaml: forms.capsule.title: Field required``.

Loaders get the parsed data back unchanged (plain dicts and lists): the schema is a gate, so the
modules that read the data keep their own small result objects.
"""

from __future__ import annotations

import fnmatch
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(ValueError):
    """A data file is missing, unparsable, has no schema or breaks its schema."""


def schema_for(package: str, name: str) -> type[BaseModel] | TypeAdapter[Any]:
    """The schema registered for package:name (glob patterns allowed in the registry)."""
    from ldn.dataschemas import SCHEMAS  # the schemas import model modules that load data

    where = f"{package}:{name}"
    if where in SCHEMAS:
        return SCHEMAS[where]
    for pattern, schema in SCHEMAS.items():
        if fnmatch.fnmatchcase(where, pattern):
            return schema
    raise DataFileError(f"{where}: no schema is registered for this file in ldn.dataschemas")


def _parse(where: str, name: str, text: str) -> Any:
    try:
        if name.endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise DataFileError(
            f"{where}: not valid {'JSON' if name.endswith('.json') else 'YAML'}: {exc}"
        ) from exc


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def validate(where: str, raw: Any, schema: type[BaseModel] | TypeAdapter[Any]) -> Any:
    """raw unchanged when it satisfies schema, else DataFileError listing every broken rule."""
    try:
        if isinstance(schema, TypeAdapter):
            schema.validate_python(raw)
        else:
            schema.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{_location(err['loc'])}: {err['msg']} (got {err['input']!r:.60})"
            if err["type"] != "missing"
            else f"{_location(err['loc'])}: {err['msg']}"
            for err in exc.errors()
        ]
        raise DataFileError(f"{where}: " + "; ".join(problems)) from exc
    return raw


def load(package: str, name: str, *, path: Path | None = None) -> Any:
    """Read package's data file `name` (e.g. "data/forms.yaml") and validate it against its schema.

    `path` reads a copy of that file from elsewhere (tests prove the rules bite on a broken copy).
    """
    where = f"{package}:{name}"
    schema = schema_for(package, name)
    try:
        if path is not None:
            text = path.read_text(encoding="utf-8")
        else:
            text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataFileError(f"{where}: data file missing") from exc
    return validate(where, _parse(where, name, text), schema)
