# SPDX-License-Identifier: AGPL-3.0-or-later
"""The input of the ``sca_*`` actions: CKAN navl schemas, the validators
they share and the decorator that applies them.

Every action has one schema, a function named like the action in the
``schema.py`` of its capability, and is decorated with
``@validated(schema.sca_…)``: its ``data_dict`` is validated and converted
before the action runs. A value of the wrong type (a list or an object where
text is expected), a number out of range, a word where a boolean is
expected, a NUL character, an impossible date or text beyond a sane length
is a ``ValidationError`` naming the field (HTTP 409 in the Action API), never
an exception deeper down. Validation runs before the auth check, so the
validators look at the values only and never look anything up.

A schema entry is a ``Field``: its validators plus a description. The
validators carry their OpenAPI schema, so ``/atlas/openapi.json`` is built
from the same schemas (platform/openapi.py) and cannot drift from them.
"""
from __future__ import annotations

import datetime
import functools
import math
import re
from typing import Any, Callable, Iterable

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import Invalid, StopOnError, missing
from ckan.lib.navl.dictization_functions import validate as navl_validate

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)
TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
# ids and URL names of CKAN records are at most 100 characters
ID_LENGTH = 100
# the largest paging offset (PostgreSQL takes it, no listing gets near it)
MAX_OFFSET = 10**9
_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Field(list):
    """One parameter of a schema: its navl validators (a list, as navl
    expects) and a description for the API documentation."""

    def __init__(self, description: str, *validators: Callable):
        super().__init__(validators)
        self.description = description


def _openapi(validator: Callable, **schema) -> Callable:
    validator.openapi = schema
    return validator


def _absent(value) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def optional(key, data, errors, context):
    """Not given (missing, null or blank): left out, the rest is skipped."""
    if _absent(data.get(key)):
        data.pop(key, None)
        raise StopOnError


def required(message: str | None = None) -> Callable:
    """Must be given (not blank); ``message`` instead of "Missing value"."""
    def required(key, data, errors, context):
        if _absent(data.get(key)):
            errors[key].append(message or tk._("Missing value"))
            raise StopOnError
    return _openapi(required, required=True)


def default(value) -> Callable:
    """Not given: ``value`` (valid as it is, the rest is skipped)."""
    def default(key, data, errors, context):
        if _absent(data.get(key)):
            data[key] = value
            raise StopOnError
    return _openapi(default, default=value)


def _stopping(check: Callable[[Any], Any], **openapi) -> Callable:
    """A navl validator of ``check(value) -> converted value``: on Invalid
    the field's later validators are skipped (navl runs them all by
    default, which would hand them the wrong type)."""
    def validator(key, data, errors, context):
        try:
            data[key] = check(data.get(key))
        except Invalid as error:
            errors[key].append(error.error)
            raise StopOnError from None
    return _openapi(validator, **openapi)


def _text(value, max_length: int, too_long: str | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) \
            or (isinstance(value, float) and not math.isfinite(value)):
        raise Invalid(tk._("Must be a text, not a list or an object."))
    value = str(value)
    if "\x00" in value:
        raise Invalid(tk._("Must not contain NUL characters."))
    if len(value) > max_length:
        raise Invalid(too_long or tk._("At most {max} characters.").format(max=max_length))
    return value


def text(max_length: int, too_long: str | None = None) -> Callable:
    """A string (a number is taken as its digits) without NUL characters, at
    most ``max_length`` characters (``too_long``: the message beyond)."""
    return _stopping(lambda value: _text(value, max_length, too_long), type="string", maxLength=max_length)


def identifier() -> Callable:
    """The id or URL name of a record."""
    return text(ID_LENGTH)


def text_list(max_items: int, max_length: int) -> Callable:
    """A text or a list of texts (a filter's values); kept as given."""
    def check(value):
        if not isinstance(value, list):
            return _text(value, max_length)
        if len(value) > max_items:
            raise Invalid(tk._("At most {max} values.").format(max=max_items))
        return [_text(item, max_length) for item in value]
    return _stopping(check, type="string", maxLength=max_length)


def stripped(value, context):
    """Without surrounding blanks (after ``text``, which makes it a string)."""
    return value.strip()


def integer(low: int, high: int) -> Callable:
    """A whole number (or its digits) from low to high."""
    def check(value):
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
            try:
                number = int(value)
            except ValueError:  # beyond Python's limit of digits
                pass
        if number is None:
            raise Invalid(tk._("Must be a whole number"))
        if not low <= number <= high:
            raise Invalid(tk._("Must be between {low} and {high}").format(low=low, high=high))
        return number
    return _stopping(check, type="integer", minimum=low, maximum=high)


def number(low: float, high: float) -> Callable:
    """A finite number (or its text) from low to high, as a float."""
    def check(value):
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError
            result = float(value)
        except (ValueError, OverflowError):
            raise Invalid(tk._("Please enter a number.")) from None
        if not math.isfinite(result):
            raise Invalid(tk._("Please enter a number."))
        if not low <= result <= high:
            raise Invalid(tk._("Must be between {low} and {high}").format(low=f"{low:g}", high=f"{high:g}"))
        return result
    return _stopping(check, type="number", minimum=low, maximum=high)


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else value
    if word in TRUE_WORDS or word == 1:
        return True
    if word in FALSE_WORDS or word == 0:
        return False
    raise Invalid(tk._("Must be true or false"))


# true/false, also 1/0, yes/no, on/off (a form's checkbox); any other word is
# an error, not "false"
boolean = _stopping(_boolean, type="boolean")


def _iso_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        try:
            if not (isinstance(value, str) and _ISO_DATE.fullmatch(value.strip())):
                raise ValueError
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(tk._("Must be a date (YYYY-MM-DD)")) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise Invalid(tk._("Must be between {low} and {high}").format(
            low=EARLIEST_DATE.isoformat(), high=LATEST_DATE.isoformat()))
    return day


# a day as YYYY-MM-DD from 1900 to 2999, converted to a datetime.date
iso_date = _stopping(_iso_date, type="string", format="date")


def one_of(values: Iterable[str], message: str | None = None) -> Callable:
    values = tuple(values)

    def check(value):
        if isinstance(value, str) and value in values:
            return value
        raise Invalid(message or tk._("One of: {values}").format(values=", ".join(values)))
    return _stopping(check, type="string", enum=list(values))


def must_stay_empty(value, context):
    """A field hidden from people that bots fill in (after ``optional``)."""
    raise Invalid(tk._("This field must stay empty."))


must_stay_empty.openapi = {"type": "string", "maxLength": 0}


def unknown_refused(key, data, errors, context):
    """As ``__extras``: every parameter the schema does not name is an error."""
    extras = data.pop(key, None)
    if extras in (None, missing, {}):
        return
    for name in sorted(extras if isinstance(extras, dict) else {"__extras": extras}):
        errors[(name,)] = [tk._("Unknown parameter.")]


def unknown_ignored(key, data, errors, context):
    """As ``__extras``: parameters the schema does not name are dropped."""
    data.pop(key, None)


def validate(schema: dict, data_dict: dict, context: dict) -> dict:
    """The converted data of ``data_dict``; ValidationError naming each bad field."""
    data, errors = navl_validate(dict(data_dict or {}), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def checked(name: str, value, *validators: Callable):
    """One value of a page (a path segment, a query parameter) through
    validators, as a schema of one field; ValidationError naming it."""
    return validate({name: Field(name, *validators), "__extras": [unknown_ignored]}, {name: value}, {}).get(name)


def validated(schema: Callable[[], dict]) -> Callable:
    """Decorator: the action gets its data_dict validated by ``schema()``."""
    def decorate(action):
        @functools.wraps(action)
        def run(context, data_dict):
            return action(context, validate(schema(), data_dict, context))
        run.sca_schema = schema
        return run
    return decorate


def described(schema: dict) -> list[dict[str, Any]]:
    """The parameters of a schema for OpenAPI: name, required, description, schema."""
    params = []
    for name, entry in schema.items():
        if name.startswith("__"):
            continue
        fragment: dict = {}
        for validator in entry:
            fragment.update(getattr(validator, "openapi", {}))
        params.append({"name": name, "required": bool(fragment.pop("required", False)),
                       "description": entry.description, "schema": fragment})
    return params
