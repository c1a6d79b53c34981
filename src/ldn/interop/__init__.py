"""Moving a patient's journal in and out: our CSV and JSON, and other trackers' exports.

Everything here works on plain values (`DayRecord`, dicts); saving, idempotence and the
all-or-nothing transaction belong to the web layer, which commits a preview only when `ok`.
"""

from ldn.interop._common import default_max_bytes, scale_mapping
from ldn.interop.bearable import parse_bearable
from ldn.interop.flaredown import parse_flaredown
from ldn.interop.formats import AUTO, FORMATS, LABELS, detect_format, parse_import
from ldn.interop.json_export import (
    FORMAT,
    LIST_SECTIONS,
    VERSION,
    ExportBundle,
    JsonImport,
    export_schema,
    export_to_dict,
    read_json,
    schema_problems,
    write_json,
)
from ldn.interop.limits import FieldLimit, field_limit, field_limits, max_file_bytes
from ldn.interop.ours_csv import (
    COLUMNS,
    SYMPTOM_PREFIX,
    escape_formula,
    read_csv,
    unescape_formula,
    write_csv,
)
from ldn.interop.records import (
    DayRecord,
    ImportPreview,
    ImportProblem,
    InteropError,
    LdnDose,
    OtherDose,
    ScaleMapping,
    day_to_dict,
)

__all__ = [
    "AUTO",
    "FORMATS",
    "LABELS",
    "detect_format",
    "parse_import",
    "COLUMNS",
    "FORMAT",
    "SYMPTOM_PREFIX",
    "VERSION",
    "DayRecord",
    "ExportBundle",
    "FieldLimit",
    "LIST_SECTIONS",
    "export_schema",
    "field_limit",
    "field_limits",
    "max_file_bytes",
    "schema_problems",
    "ImportPreview",
    "ImportProblem",
    "InteropError",
    "JsonImport",
    "LdnDose",
    "OtherDose",
    "ScaleMapping",
    "day_to_dict",
    "default_max_bytes",
    "export_to_dict",
    "parse_bearable",
    "parse_flaredown",
    "read_csv",
    "read_json",
    "scale_mapping",
    "write_csv",
    "escape_formula",
    "unescape_formula",
    "write_json",
]
