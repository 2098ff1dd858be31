#!/usr/bin/env python3
"""Validates every scenario under a directory against the published JSON Schema, and
checks that the schema rejects the given invalid files. Exits 1 on any mismatch."""
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(1)

schema_path, scenario_dir, *must_fail = sys.argv[1:]
schema = json.loads(pathlib.Path(schema_path).read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = 0
files = sorted(p for p in pathlib.Path(scenario_dir).rglob("*.json") if not p.name.endswith(".schema.json"))
for path in files:
    errors = list(validator.iter_errors(json.loads(path.read_text())))
    for e in errors:
        print(f"{path}:/{'/'.join(map(str, e.absolute_path))}: {e.message}")
    failures += bool(errors)
for path in must_fail:
    if not list(validator.iter_errors(json.loads(pathlib.Path(path).read_text()))):
        print(f"{path}: the schema accepts it, but it is invalid")
        failures += 1
print(f"{len(files)} scenarios checked against the schema, {failures} problems")
sys.exit(1 if failures else 0)
