#!/usr/bin/env python3
"""Validates recorded HTTP exchanges against docs/openapi.yaml.

usage: validate_openapi.py OPENAPI.yaml RECORDS.jsonl

Each record is a JSON object {"method", "path", "status", "contentType", "body"} where body is
the response text. A record fails when its path and method are not documented, its status has no
response (and there is no "default"), its content type is not one the response declares, or a
JSON body does not match the response schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
Prints one line per failure; exits 1 when any record fails.
"""
import json
import re
import sys

import yaml
from jsonschema import Draft202012Validator


def pointer(*parts):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def resolve(document, node):
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        ref = node["$ref"]
        target = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def main():
    document = yaml.safe_load(open(sys.argv[1]))
    templates = []
    for template in document["paths"]:
        regex = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        templates.append((template, re.compile(regex)))
    # Literal paths win over templated ones.
    templates.sort(key=lambda t: t[0].count("{"))
    failures = 0
    records = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
    for record in records:
        method, path, status = record["method"].lower(), record["path"].split("?")[0], str(record["status"])
        where = f'{record["method"]} {record["path"]} -> {status}'
        template = next((t for t, regex in templates if regex.match(path)), None)
        operation = document["paths"][template].get(method) if template else None
        if operation is None:
            # Paths and methods the API does not serve may only answer 404/405 with the Error shape.
            if status in ("404", "405"):
                root = dict(document)
                root["$ref"] = "#/components/schemas/Error"
                try:
                    errors = list(Draft202012Validator(root).iter_errors(json.loads(record["body"])))
                except ValueError:
                    errors = ["body is not JSON"]
                if not errors:
                    continue
                print(f"{where}: an undocumented path or method must answer the Error shape: {errors[0]}"); failures += 1; continue
            print(f"{where}: " + ("method not documented for " + template if template else "path not documented")); failures += 1; continue
        responses = operation.get("responses", {})
        key = status if status in responses else ("default" if "default" in responses else None)
        if key is None:
            print(f"{where}: status not documented for {record['method']} {template}"); failures += 1; continue
        response = resolve(document, responses[key])
        content = response.get("content", {})
        media = (record.get("contentType") or "").split(";")[0].strip()
        if content and media not in content:
            print(f"{where}: content type {media!r} not documented (documented: {sorted(content)})"); failures += 1; continue
        if media == "text/event-stream":
            # Each event's data must be an Event.
            root = dict(document)
            root["$ref"] = "#/components/schemas/Event"
            for line in record["body"].split("\n"):
                if not line.startswith("data: "):
                    continue
                try:
                    event = json.loads(line[len("data: "):])
                except ValueError as error:
                    print(f"{where}: event data is not JSON: {error}"); failures += 1; break
                errors = list(Draft202012Validator(root).iter_errors(event))
                if errors:
                    print(f"{where}: event {line[:200]}: {errors[0].message[:300]}"); failures += 1; break
            continue
        if media != "application/json" or "schema" not in content.get(media, {}):
            continue
        try:
            body = json.loads(record["body"])
        except ValueError as error:
            print(f"{where}: body is not JSON: {error}"); failures += 1; continue
        # The whole document is the root schema, so "#/components/..." references resolve; its
        # own $ref points at the response schema (the other OpenAPI keys are not schema keywords).
        ref = responses[key].get("$ref")
        if ref:
            schema_pointer = ref + "/content/" + media.replace("/", "~1") + "/schema"
        else:
            schema_pointer = pointer("paths", template, method, "responses", key, "content", media, "schema")
        root = dict(document)
        root["$ref"] = schema_pointer
        errors = sorted(Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.absolute_path))
        for error in errors[:5]:
            location = "/".join(str(p) for p in error.absolute_path)
            print(f"{where}: /{location}: {error.message[:300]}")
        if errors:
            failures += 1
    print(f"{len(records)} exchanges checked, {failures} failed", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
