# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which sensor is which phenomenon: rules from ``phenomena.yaml`` plus a
harvest source's own (checked first). See the YAML for the format.
openSenseMap sensors match by title, unit and sensor type (``match``);
SensorThings Datastreams by their ObservedProperty's name or definition
and their unitOfMeasurement's symbol or definition (``match_datastream``)."""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from pathlib import Path

import yaml

from ckanext.smartcityatlas.sensors.aggregate import Plausibility

_NOISE = re.compile(r"[\s._\-]+")
PLAUSIBILITY_KEYS = {f.name for f in dataclasses.fields(Plausibility)}
RULE_KEYS = {"phenomenon", "titles", "definitions", "units", "sensor_types"}


@dataclasses.dataclass(frozen=True)
class Phenomenon:
    id: str
    title_de: str
    title_en: str
    unit: str
    themes: tuple[str, ...]
    energetic: bool
    plausibility: Plausibility


@dataclasses.dataclass(frozen=True)
class Rule:
    phenomenon: str
    titles: frozenset[str]
    units: dict
    sensor_types: frozenset[str] | None = None
    definitions: frozenset[str] = frozenset()


def normalise(title: str) -> str:
    """A title without case, spaces, dots, hyphens or underscores; Unicode
    variants folded (NFKC: "PM₂.₅" is "PM2.5", a decomposed "ä" is "ä")."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(title or ""))).casefold()


def normalise_unit(unit) -> str:
    """A unit without case, spaces or Unicode variants: "dB (A)" is "dB(A)",
    "µ" (micro sign) is "μ", "m³" is "m3", "hpa" is "hPa". Real boxes write
    units freely; no two units of one phenomenon differ only in these."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(unit or ""))).casefold()


def normalise_uri(uri) -> str:
    """A definition URI compared without case, scheme difference or trailing slash."""
    text = str(uri or "").strip().casefold()
    if text.startswith("https://"):
        text = "http://" + text[len("https://"):]
    return text.rstrip("/")


@functools.lru_cache(maxsize=1)
def _defaults() -> dict:
    return yaml.safe_load((Path(__file__).with_name("phenomena.yaml")).read_text(encoding="utf-8"))


def phenomena() -> dict[str, Phenomenon]:
    out = {}
    for key, spec in _defaults()["phenomena"].items():
        out[key] = Phenomenon(
            id=key, title_de=spec["title"]["de"], title_en=spec["title"]["en"], unit=spec["unit"],
            themes=tuple(spec.get("theme") or ()), energetic=bool(spec.get("energetic")),
            plausibility=Plausibility(**(spec.get("plausibility") or {})))
    return out


def _rule(phenomenon: str, spec: dict) -> Rule:
    types = spec.get("sensor_types")
    return Rule(phenomenon=phenomenon, titles=frozenset(normalise(t) for t in spec.get("titles") or ()),
                units={normalise_unit(k): float(v) for k, v in (spec.get("units") or {}).items()},
                sensor_types=frozenset(normalise(t) for t in types) if types else None,
                definitions=frozenset(normalise_uri(d) for d in spec.get("definitions") or ()))


def check_rules(rules) -> None:
    """A source's "phenomena": a list of rules; ValueError with a clear message."""
    known = phenomena()
    if not isinstance(rules, list):
        raise ValueError('phenomena must be a list of rules {"phenomenon", "titles", "definitions", "units", '
                         '"sensor_types"}')
    for i, rule in enumerate(rules, 1):
        if not isinstance(rule, dict) or set(rule) - RULE_KEYS:
            raise ValueError(f"phenomena rule {i}: an object with {', '.join(sorted(RULE_KEYS))}")
        if rule.get("phenomenon") not in known:
            raise ValueError(f"phenomena rule {i}: phenomenon must be one of {', '.join(known)}")
        titles, units = rule.get("titles", []), rule.get("units")
        definitions = rule.get("definitions", [])
        for key, value in (("titles", titles), ("definitions", definitions)):
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise ValueError(f"phenomena rule {i}: {key} must be a list of texts")
        if not titles and not definitions:
            raise ValueError(f"phenomena rule {i}: titles (sensor titles, ObservedProperty names) or "
                             "definitions (ObservedProperty definition URIs) must list at least one")
        if not isinstance(units, dict) or not units or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in units.values()):
            raise ValueError(f"phenomena rule {i}: units must map each unit to a positive factor")
        types = rule.get("sensor_types")
        if types is not None and (not isinstance(types, list) or not all(isinstance(t, str) for t in types)):
            raise ValueError(f"phenomena rule {i}: sensor_types must be a list")


def rules(extra=()) -> list[Rule]:
    own = [_rule(r["phenomenon"], r) for r in extra or ()]
    return own + [_rule(key, spec) for key, spec in _defaults()["phenomena"].items()]


def match(sensor: dict, rule_list: list[Rule]) -> tuple[str, float] | None:
    """(phenomenon, unit factor) of an openSenseMap sensor, or None."""
    title = normalise(sensor.get("title"))
    unit = normalise_unit(sensor.get("unit"))
    sensor_type = normalise(sensor.get("sensorType"))
    for rule in rule_list:
        if title not in rule.titles:
            continue
        if rule.sensor_types is not None and sensor_type not in rule.sensor_types:
            continue
        factor = rule.units.get(unit)
        if factor is None:
            continue
        return rule.phenomenon, factor
    return None


def known_title(sensor: dict, rule_list: list[Rule]) -> str | None:
    """The phenomenon an openSenseMap sensor's title names, whatever its
    unit (for the job report: a known phenomenon in a unit no rule knows)."""
    title = normalise(sensor.get("title"))
    return next((rule.phenomenon for rule in rule_list if title in rule.titles), None)


def match_datastream(observed: dict, unit: dict, rule_list: list[Rule]) -> tuple[str | None, float | None]:
    """(phenomenon, unit factor) of a SensorThings Datastream: its
    ObservedProperty's name or definition names the phenomenon, its
    unitOfMeasurement's symbol (or definition URI) must be a unit of that
    rule. (phenomenon, None): the phenomenon is known but not the unit;
    (None, None): no known phenomenon."""
    observed = observed if isinstance(observed, dict) else {}
    unit = unit if isinstance(unit, dict) else {}
    name = normalise(observed.get("name"))
    definition = normalise_uri(observed.get("definition"))
    symbol = normalise_unit(unit.get("symbol"))
    unit_uri = normalise_uri(unit.get("definition"))
    known = None
    for rule in rule_list:
        if not ((name and name in rule.titles) or (definition and definition in rule.definitions)):
            continue
        factor = rule.units.get(symbol) if symbol else None
        if factor is None and unit_uri:
            factor = next((f for u, f in rule.units.items() if normalise_uri(u) == unit_uri), None)
        if factor is None:
            known = known or rule.phenomenon
            continue
        return rule.phenomenon, factor
    return known, None
