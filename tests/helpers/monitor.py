# SPDX-License-Identifier: AGPL-3.0-or-later
"""The smart-city monitor's test data: data requests answered after a given
time, the city's indicator table in DataStore, the monitor as a visitor."""
import datetime

from ckan import model
from ckan.tests import factories, helpers

from tests.helpers.datasets import create, minimal_dataset

CITY_FIELDS = [{"id": c, "type": "text"} for c in
               ("indicator_id", "title_de", "title_en", "unit", "period", "value", "source")]


def datarequest(status: str, days_to_answer: float, received=datetime.datetime(2025, 1, 6, 9, 0)) -> dict:
    """A data request received at ``received`` and last changed ``days_to_answer`` days later
    (answered then, when ``status`` answers it)."""
    from ckanext.smartcityatlas.datarequests import store

    row = store.insert(title=f"Wunsch {status}", description="Daten bitte.", owner_org=None)
    model.Session.execute(store.datarequest.update().where(store.datarequest.c.id == row["id"]).values(
        status=status, created=received, updated=received + datetime.timedelta(days=days_to_answer),
        answered=received + datetime.timedelta(days=days_to_answer) if status in store.ANSWERED else None))
    model.Session.commit()
    return row


def city_table(org: dict, unique: str, records: list[dict], fields=None, private: bool = False) -> str:
    """A dataset whose resource holds ``records`` in DataStore; the resource id."""
    pkg = create(minimal_dataset(org, unique, private=private))
    resource_id = pkg["resources"][0]["id"]
    helpers.call_action("datastore_create", {"user": factories.Sysadmin()["name"]}, resource_id=resource_id,
                        fields=fields or CITY_FIELDS, records=records, force=True)
    return resource_id


def monitor(**params) -> dict:
    """sca_monitor_show as an anonymous visitor."""
    return helpers.call_action("sca_monitor_show", {"user": "", "ignore_auth": False}, **params)


def by_id(result: dict) -> dict:
    return {i["id"]: i for i in result["indicators"]}

