"""A JSON parser that turns every malformed body into a client error.

DRF's own parser lets ``RecursionError`` (deeply nested JSON) through as a 500 and reads
bodies of any size; this one caps the size (413) and the nesting depth (400).
"""

import json

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from layers.inputs import data_problem

MAX_DEPTH = 32


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def _depth_exceeds(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return False


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if declared and limit is not None and int(declared) > limit:
                raise PayloadTooLarge()
        except ValueError:
            raise ParseError("Bad Content-Length.") from None
        raw = stream.read(limit + 1 if limit is not None else -1) if stream else b""
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_no_constant)
        except RecursionError:
            raise ParseError("JSON parse error: nested too deeply.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error: {exc}") from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(f"JSON parse error: nested deeper than {MAX_DEPTH} levels.")
        problem = data_problem(data)
        if problem:
            raise ParseError(f"The body cannot be stored: {problem}.")
        return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
