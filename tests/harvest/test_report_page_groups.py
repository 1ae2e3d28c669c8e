# SPDX-License-Identifier: AGPL-3.0-or-later
"""How the job report page groups a report (harvesters/report_page.py): by
kind and what a note is about, whatever kinds the report holds."""
import pytest

from ckanext.smartcityatlas.harvesters import report_page


@pytest.mark.parametrize("note, topic", [
    ({"kind": "repair", "message": "license: 'CC BY 4.0' → 'cc-by/4.0'"}, "license"),
    ({"kind": "repair", "message": "resource 3 format: 'csv' → 'CSV'"}, "resource format"),
    ({"kind": "unmapped", "message": "spatial (invalid ring): '{\"type\": \"polygon\"}' is not in the mapping tables"},
     "spatial"),
    ({"kind": "warning", "message": "dcat:keyword: KXX: dcat:Dataset: dcat:keyword: empfohlen"}, "dcat:keyword"),
    ({"kind": "error", "message": "record 'urn:a' not imported: no title (dct:title)"},
     "record … not imported: no title (dct:title)"),
    ({"kind": "error", "message": "more than 100 pages (max_pages); paging stopped at https://x.example/p?page=101"},
     "more than … pages (max_pages); paging stopped at …"),
    ({"kind": "error", "message": "dataset 6b59faba-295d-5161-bec7-7fc250259ac0 was removed on this portal"},
     "dataset … was removed on this portal"),
    ({"kind": "repair", "message": "row 58: start_date: '01.05.2022' → '2022-05-01'"}, "start_date"),
    ({"kind": "unmatched", "message": "row 61: partner 'HafenCity' is not an actor of the atlas; kept as free text"},
     "partner … is not an actor of the atlas; kept as free text"),
    # a code or field the report carries wins over the message
    ({"kind": "degraded", "code": "contact-email", "message": "contactPoint: 'a(at)b' dropped"}, "contact-email"),
    ({"kind": "degraded", "field": "access_rights", "message": "'public' kept as text"}, "access_rights"),
])
def test_topic(note, topic):
    assert report_page.topic(note) == topic


def _record(guid, status, *notes, package_id="p"):
    return {"guid": guid, "package_id": package_id if status != "errored" else None, "status": status,
            "notes": [{"kind": k, "message": m} for k, m in notes]}


def test_outcomes_and_groups():
    report = {"status": "Finished", "gather": ["[warning] the catalog was not read completely; no record was withdrawn"],
              "records": [
                  _record("a", "added", ("repair", "license: 'x' → 'y'"), ("repair", "format: 'ZIP' → 'ZIP'")),
                  _record("b", "updated", ("repair", "license: 'z' → 'y'"), ("unmapped", "modified: '2024-13-45'")),
                  _record("c", "not modified"),
                  _record("d", "errored", ("error", "record 'd' not imported: no title (dct:title)")),
                  _record("e", "deleted", ("withdrawn", "e: removed upstream, made private (removal: withdraw)")),
                  _record("e2", "deleted", ("withdrawn", "e2: removed upstream, made private (removal: withdraw)")),
                  _record("f", "added", ("violation", "dct:description: Missing"), ("mystery", "what: new kind")),
                  _record("g", None),
              ]}
    page = report_page.summarize(report)
    assert page["outcomes"] == {"imported": 4, "new": 2, "updated": 1, "unchanged": 1, "refused": 1, "removed": 2,
                                "pending": 1, "repaired": 2, "degraded": 1, "flagged": 1}
    assert page["read"] == 6 and page["imported_percent"] == 67 and page["finished"]
    groups = [(g.category, g.kind, g.topic, len(g.records), g.occurrences) for g in page["groups"]]
    assert groups == [
        ("refused", "error", "record … not imported: no title (dct:title)", 1, 1),
        ("flagged", "violation", "dct:description", 1, 1),
        ("degraded", "unmapped", "modified", 1, 1),
        ("repaired", "repair", "license", 2, 2),
        ("repaired", "repair", "format", 1, 1),
        ("warning", "warning", "the catalog was not read completely; no record was withdrawn", 0, 1),
        ("withdrawn", "withdrawn", "removed upstream, made private (removal: withdraw)", 2, 2),
        ("other", "mystery", "what", 1, 1),
    ]
    license_group = page["groups"][3]
    assert license_group.example == ("a", "p", "license: 'x' → 'y'")
    refused = page["groups"][0]
    assert refused.example == ("d", None, "record 'd' not imported: no title (dct:title)")
    catalogue = page["groups"][5]
    assert catalogue.catalogue and catalogue.example == (None, None, catalogue.example[2])
    # withdrawn and unknown kinds: nothing for the publisher to fix
    assert [g.kind for g in page["fixes"]] == ["error", "violation", "unmapped", "repair", "repair", "warning"]


def test_many_kinds_are_cut_and_counted():
    records = [_record(str(i), "added", ("unmapped", f"field{i}: 'x' is not in the mapping tables"))
               for i in range(report_page.MAX_GROUPS + 5)]
    page = report_page.summarize({"status": "Running", "gather": [], "records": records})
    assert len(page["groups"]) == report_page.MAX_GROUPS and page["more_groups"] == 5
    assert not page["finished"]


def test_an_empty_job():
    page = report_page.summarize({"status": "Finished", "gather": [], "records": []})
    assert page["read"] == 0 and page["imported_percent"] is None and page["groups"] == [] and page["fixes"] == []
