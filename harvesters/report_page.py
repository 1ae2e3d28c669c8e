# SPDX-License-Identifier: AGPL-3.0-or-later
"""The job report for data contacts (``/harvest/<source>/job/<id>/report``):
what ``sca_harvest_job_report`` returns, turned into what the page shows.

* Per record its outcome: imported (new, updated, unchanged), refused (not
  imported this time) or removed upstream; of the imported ones, how many
  were repaired, degraded (a value dropped) or flagged (DCAT-AP.de
  violations), read from the kinds of their notes.
* The notes grouped by kind of problem: the note's kind and what it is
  about (its ``code`` or ``field`` when the report carries one, else the
  field its message names, else the message with its values left out),
  with how many records have it and one example.
* What the source's publisher should fix upstream, per group.

Kinds the tables below do not know are shown all the same, under their own
name: the page follows whatever kinds the harvesters report.
"""
from __future__ import annotations

import dataclasses
import re

import ckan.plugins.toolkit as tk

# kind of note → category of problem; the order is the page's order
CATEGORIES = {
    "incomplete": ("incomplete",),
    "refused": ("error", "refused"),
    "flagged": ("violation", "flagged"),
    "degraded": ("unmapped", "degraded", "degrade", "dropped"),
    "repaired": ("repair", "repaired"),
    "duplicate": ("duplicate",),
    "warning": ("warning",),
    "withdrawn": ("withdrawn",),
    "curated": ("curated",),
}
_CATEGORY_OF = {kind: category for category, kinds in CATEGORIES.items() for kind in kinds}
_ORDER = {category: i for i, category in enumerate([*CATEGORIES, "other"])}
IMPORTED = ("added", "updated", "not modified")
# more groups than this are summed up in one line (the API lists them all)
MAX_GROUPS = 100

# "license: 'x' → 'y'", "resource 3 format: …", "spatial (bad ring): …", "dcat:keyword: …"
_WORD = r"[\w.\-→]+(?::[\w.\-]+)?"
_FIELD = re.compile(rf"(?P<field>(?=[A-Za-z]){_WORD}(?: {_WORD}){{0,5}})(?: \([^()]{{0,200}}\))?: ")
_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\bhttps?://\S+"
                     r"|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b|\b\d+(?:[.,:]\d+)*\b")
_NUMBER = re.compile(r"\s*\b\d+\b")
# where in the source, not what: "row 58: start_date: …" (a radar sheet's row)
_LOCATOR = re.compile(r"^(?:(?:row|page|line) \d+: )+")
# kinds whose messages start with the record's name rather than a field
_NAMING_THE_RECORD = ("withdrawn",)


def category(kind: str) -> str:
    return _CATEGORY_OF.get(kind, "other")


def topic(note: dict) -> str:
    """What a note is about: its code or field, else the field its message
    names (numbers left out: "resource 3 format" → "resource format"; a
    leading "row 58: " skipped), else the message with its values left out."""
    for key in ("code", "field"):
        if isinstance(note.get(key), str) and note[key].strip():
            return note[key].strip()[:120]
    message = str(note.get("message") or "")
    if note.get("kind") in _NAMING_THE_RECORD:  # "<dataset name>: removed upstream, …"
        return _VALUES.sub("…", message.split(": ", 1)[-1]).strip()[:120]
    message = _LOCATOR.sub("", message)
    found = _FIELD.match(message)
    if found:
        return _NUMBER.sub("", found.group("field")).strip()
    return _VALUES.sub("…", message).strip()[:120]


def outcome(record: dict) -> str:
    """imported, refused, removed or pending (the job has not reached it yet)."""
    status = record.get("status")
    if status == "deleted":
        return "removed"
    if status == "errored":
        return "refused"
    if status in IMPORTED:
        return "imported" if record.get("package_id") else "refused"
    return "pending"


@dataclasses.dataclass
class Group:
    category: str
    kind: str
    topic: str
    records: set = dataclasses.field(default_factory=set)
    occurrences: int = 0
    # the first one seen: (guid or None for the catalogue, package id or None, message)
    example: tuple = (None, None, "")

    @property
    def catalogue(self) -> bool:
        return self.example[0] is None

    def sort_key(self):
        return _ORDER[self.category], -len(self.records), -self.occurrences, self.kind, self.topic


def _gather_note(message: str) -> dict:
    if message.startswith("[") and "]" in message:
        return {"kind": message[1:message.index("]")], "message": message[message.index("]") + 1:].strip()}
    return {"kind": "error", "message": message}


def summarize(report: dict) -> dict:
    """The page's view of ``sca_harvest_job_report``'s answer."""
    outcomes = {"imported": 0, "new": 0, "updated": 0, "unchanged": 0, "refused": 0, "removed": 0,
                "pending": 0, "repaired": 0, "degraded": 0, "flagged": 0}
    groups: dict[tuple, Group] = {}

    def add(note: dict, guid, package_id):
        kind = str(note.get("kind") or "other")
        key = (category(kind), kind, topic(note))
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(*key, example=(guid, package_id, str(note.get("message") or "")))
        group.occurrences += 1
        if guid is not None:
            group.records.add(guid)

    for record in report.get("records") or []:
        result = outcome(record)
        outcomes[result] += 1
        if result == "imported":
            outcomes[{"added": "new", "updated": "updated"}.get(record["status"], "unchanged")] += 1
            found = {category(str(n.get("kind"))) for n in record.get("notes") or []}
            for name in ("repaired", "degraded", "flagged"):
                outcomes[name] += name in found
        for note in record.get("notes") or []:
            add(note, record.get("guid"), record.get("package_id") if result != "refused" else None)
    for message in report.get("gather") or []:
        add(_gather_note(str(message)), None, None)

    ordered = sorted(groups.values(), key=Group.sort_key)
    read = sum(outcomes[k] for k in ("imported", "refused", "pending"))
    return {
        "outcomes": outcomes,
        "read": read,
        "imported_percent": round(100 * outcomes["imported"] / read) if read else None,
        "groups": ordered[:MAX_GROUPS],
        "more_groups": max(0, len(ordered) - MAX_GROUPS),
        "fixes": [g for g in ordered[:MAX_GROUPS] if _advised(g)],
        "finished": report.get("status") == "Finished",
        "incomplete": bool(report.get("counts", {}).get("incomplete")),
    }


def category_label(name: str) -> str:
    _ = tk._
    return {
        "incomplete": _("Catalogue not read completely"),
        "refused": _("Not imported"),
        "flagged": _("DCAT-AP.de violation"),
        "degraded": _("Value dropped"),
        "repaired": _("Repaired"),
        "duplicate": _("Duplicate"),
        "warning": _("Recommendation"),
        "withdrawn": _("Removed upstream"),
        "curated": _("Curator's edit kept"),
    }.get(name, name)


def status_label(status: str) -> str:
    _ = tk._
    return {"New": _("New"), "Running": _("Running"), "Finished": _("Finished")}.get(status, status)


def kind_label(group: Group) -> str:
    """The category's name; a kind the tables do not know, under its own name."""
    return category_label(group.category) if group.category != "other" else group.kind


def _advised(group: Group) -> str | None:
    """Which advice a group gets (None: nothing to fix upstream)."""
    if group.catalogue and group.category in ("incomplete", "refused", "warning", "other"):
        return "catalogue"
    return group.category if group.category in _ADVISED else None


_ADVISED = ("refused", "flagged", "degraded", "repaired", "duplicate", "warning")


def advice(group: Group) -> str | None:
    """What the source's publisher should fix upstream (None: nothing)."""
    _ = tk._
    texts = {
        "catalogue": _("Make the whole catalogue readable: its address, every page and the format."),
        "refused": _("Correct these records at the source: they were not imported (see the example)."),
        "flagged": _("Complete or correct {subject} in these records as DCAT-AP.de requires."),
        "degraded": _("Publish {subject} as a value of its controlled vocabulary or in a valid form, "
                      "or leave it out: the portal dropped the value."),
        "repaired": _("Publish {subject} in the form the portal repaired it to (see the example), "
                      "so that no repair is needed."),
        "duplicate": _("Give every record one stable identifier (dct:identifier) of its own."),
        "warning": _("Consider adding or correcting {subject}: DCAT-AP.de recommends it."),
    }
    which = _advised(group)
    return texts[which].format(subject=group.topic) if which else None
