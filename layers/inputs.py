"""What the database can hold, checked before a value reaches a query: the one guard.

PostgreSQL refuses text with a NUL character, psycopg cannot encode a lone UTF-16
surrogate (JSON's ``"\\ud800"``), and an integer beyond its column's range fails at the
database. Each of these would surface as a 500 (or, in a stream, as a response cut short);
here they become a clear refusal naming the parameter or field:

- ``text_problem`` / ``text_check`` for one text;
- ``data_problem`` for a parsed JSON document (every key and string in it);
- ``value_check`` for a number against its field's range (the column's, narrowed by the
  model's min/max validators and a decimal's digits);
- ``InputGuardMiddleware`` applies the text check to every query parameter and form field
  of every request, before any view runs.
"""

import decimal
import json
import re

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# A lone surrogate: a high one not followed by a low one, or a low one not preceded by one.
_LONE_SURROGATE = re.compile(
    r"[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]"
)
# Longer numbers than this are no value of any field (a bigint has 19 digits).
MAX_NUMBER_DIGITS = 40
_LANGUAGE_PREFIX = re.compile(r"^/(uk|en)(?=/)")


def text_problem(text: str) -> str | None:
    """Why the database cannot hold ``text``, or None."""
    if "\x00" in text:
        return _("contains a NUL character (U+0000)")
    if _LONE_SURROGATE.search(text):
        return _("contains an unpaired UTF-16 surrogate")
    return None


def text_check(text: str, name: str) -> None:
    problem = text_problem(text)
    if problem:
        raise ValidationError(_("%(name)s %(problem)s.") % {"name": name, "problem": problem})


def data_problem(data, path: str = "") -> str | None:
    """The first key or string of a parsed JSON document the database cannot hold, or an
    integer too long to be any field's value, as "where: why"; None if there is none."""
    stack = [(data, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            problem = (
                _("is a number of more than %(n)s digits") % {"n": MAX_NUMBER_DIGITS}
                if abs(item) >= 10**MAX_NUMBER_DIGITS
                else None
            )
        elif isinstance(item, dict):
            for key, value in item.items():
                key_problem = text_problem(str(key))
                if key_problem:
                    return f"{where or '/'}: {key_problem}"
                stack.append((value, f"{where}/{key}"))
            continue
        elif isinstance(item, list):
            stack.extend((value, f"{where}/{index}") for index, value in enumerate(item))
            continue
        else:
            continue
        if problem:
            return f"{where or '/'}: {problem}"
    return None


def field_range(field: models.Field) -> tuple[object, object] | None:
    """The smallest and largest value a number field holds (its column's range narrowed by
    the model's validators), or None for other fields."""
    low = high = None
    if isinstance(field, models.DecimalField) and field.max_digits is not None:
        bound = decimal.Decimal(10) ** (field.max_digits - (field.decimal_places or 0))
        low, high = -bound, bound
    elif isinstance(field, models.IntegerField | models.AutoField):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
    else:
        return None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator) and not callable(
            validator.limit_value
        ):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, validators.MaxValueValidator) and not callable(
            validator.limit_value
        ):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def value_check(field: models.Field, value, name: str | None = None) -> None:
    """Refuse a number outside what ``field`` holds (ValidationError naming the field)."""
    bounds = field_range(field)
    if bounds is None or value is None or isinstance(value, bool):
        return
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(
            _("%(name)s: %(value)s is outside the values this field holds (%(low)s to %(high)s).")
            % {"name": name or field.name, "value": value, "low": low, "high": high},
            code="out_of_range",
        )


def _refusal(request, message: str) -> HttpResponse:
    path = _LANGUAGE_PREFIX.sub("", request.path)
    if path.startswith("/ogc/"):
        return JsonResponse({"code": "InvalidParameterValue", "description": message}, status=400)
    if path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "invalid_text"}, status=400)
    wants_json = "json" in request.headers.get("Accept", "") or path.endswith((".json", ".pbf"))
    if wants_json or path.startswith("/tiles/"):
        return JsonResponse({"error": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class InputGuardMiddleware:
    """Refuse (400) a request whose query parameters or form fields hold text the database
    cannot, naming the parameter, before any view runs. JSON bodies are checked by the
    API's parser (``data_problem``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for source in (request.GET, request.POST):
            for key, values in source.lists():
                for text in (key, *values):
                    problem = text_problem(text)
                    if problem:
                        name = json.dumps("?" if text_problem(key) else key, ensure_ascii=False)
                        return _refusal(
                            request,
                            _("The parameter %(name)s %(problem)s.")
                            % {"name": name, "problem": problem},
                        )
        return self.get_response(request)
