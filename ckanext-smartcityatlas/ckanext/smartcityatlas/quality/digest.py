# SPDX-License-Identifier: AGPL-3.0-or-later
"""E-mail digests for the offices' data contacts.

Every office (organisation) with a data contact address (``contact_email``
of the organisation schema) gets, daily or weekly (``digest.frequency`` or
the organisation's ``digest_frequency``), what is *new* since its last
digest: datasets with DCAT-AP.de violations, failing links, datasets that
became overdue, and its open data requests, each with a direct link to fix
it. What was reported stays in ``sca_digest.reported``; an item that is
fixed and comes back is new again. Nothing new, no mail.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import zoneinfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common import web_address
from ckanext.smartcityatlas.platform import mail
from ckanext.smartcityatlas.quality import link_store
from ckanext.smartcityatlas.capability import Registry

register = Registry()

log = logging.getLogger(__name__)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
FREQUENCIES = ("daily", "weekly", "none")

_meta = sa.MetaData()
digest_table = sa.Table(
    "sca_digest", _meta,
    sa.Column("owner_org", sa.UnicodeText, primary_key=True),
    sa.Column("checked_at", sa.DateTime),
    sa.Column("sent_at", sa.DateTime),
    sa.Column("reported", sa.UnicodeText),
)


@dataclasses.dataclass
class Item:
    key: str
    section: str  # violations | links | stale | requests
    text: str
    link: str


SECTIONS = {
    "violations": "Datensätze mit DCAT-AP.de-Verstößen",
    "links": "Defekte Links",
    "stale": "Überfällige Datensätze (Aktualisierungsintervall überschritten)",
    "requests": "Offene Datenwünsche",
}


def items_for(org_id: str) -> list[Item]:
    """What is wrong or waiting in one office now."""
    link = mail.site_link
    out: list[Item] = []
    rows = model.Session.execute(sa.text(
        "SELECT p.id, p.name, p.title, v.violations FROM sca_validation v JOIN package p ON p.id = v.package_id "
        "WHERE p.owner_org = :org AND p.state = 'active' AND p.type = 'dataset' AND v.violations > 0 "
        "ORDER BY p.title"), {"org": org_id})
    for pid, name, title, count in rows:
        out.append(Item(f"v:{pid}", "violations", f"{title} – {count} Verstöße", link(f"/dataset/edit/{name}")))
    ls, r, p = link_store.status, model.resource_table, model.package_table
    rows = model.Session.execute(
        sa.select(ls.c.resource_id, ls.c.url, ls.c.status, ls.c.http_status, ls.c.failing_since, p.c.name,
                  p.c.title)
        .select_from(ls.join(r, r.c.id == ls.c.resource_id).join(p, p.c.id == ls.c.package_id))
        .where(p.c.owner_org == org_id, p.c.state == "active", r.c.state == "active", r.c.url == ls.c.url,
               link_store.failing_clause(ls))
        .order_by(p.c.title, ls.c.url))
    for rid, url, state, http_status, since, name, title in rows:
        what = f"HTTP {http_status}" if http_status else {"unreachable": "nicht erreichbar",
                                                           "refused": "nicht prüfbar (interne Adresse)"}.get(state, state)
        since_text = f" seit {since:%d.%m.%Y}" if since else ""
        out.append(Item(f"l:{rid}", "links", f"{title}: {_address(url)} ({what}{since_text})",
                        link(f"/dataset/{name}/resource/{rid}/edit")))
    rows = model.Session.execute(sa.text(
        "SELECT p.id, p.name, p.title, q.last_update FROM sca_quality q JOIN package p ON p.id = q.package_id "
        "WHERE p.owner_org = :org AND p.state = 'active' AND q.stale ORDER BY p.title"), {"org": org_id})
    for pid, name, title, last_update in rows:
        when = f" – zuletzt aktualisiert {last_update:%d.%m.%Y}" if last_update else ""
        out.append(Item(f"s:{pid}", "stale", f"{title}{when}", link(f"/dataset/edit/{name}")))
    rows = model.Session.execute(sa.text(
        "SELECT id, title, status FROM sca_datarequest WHERE owner_org = :org "
        "AND status IN ('open', 'in_review') ORDER BY created"), {"org": org_id})
    for rid, title, state in rows:
        label = "offen" if state == "open" else "in Prüfung"
        out.append(Item(f"r:{rid}:{state}", "requests", f"{title} ({label})", link(f"/datenwuensche/{rid}")))
    return out


def _address(url: str) -> str:
    """A resource address for the plain-text mail: a web address as it is
    (mail programs link it), anything else quoted, on one line, marked."""
    if web_address.safe_href(url) == url and not url.startswith("/"):
        return url
    return f"„{web_address.printable(url)}“ (keine Webadresse)"


def frequency_of(org: model.Group) -> str:
    chosen = (org.extras or {}).get("digest_frequency")
    default = tk.config.get("ckanext.smartcityatlas.digest.frequency")
    value = chosen if chosen in FREQUENCIES else default
    return value if value in FREQUENCIES else "weekly"


def last_slot(frequency: str, now: datetime.datetime) -> datetime.datetime | None:
    """The most recent time (UTC, naive) a digest of this frequency was due, or None."""
    if frequency == "none":
        return None
    local = now.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN)
    hour = int(tk.config.get("ckanext.smartcityatlas.digest.hour"))
    slot = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if frequency == "daily":
        if slot > local:
            slot -= datetime.timedelta(days=1)
    else:
        weekday = int(tk.config.get("ckanext.smartcityatlas.digest.weekday"))
        slot -= datetime.timedelta(days=(slot.weekday() - weekday) % 7)
        if slot > local:
            slot -= datetime.timedelta(days=7)
    # re-localise after the day arithmetic (DST changes between the two days)
    slot = slot.replace(tzinfo=None).replace(tzinfo=BERLIN)
    return slot.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def _state(org_id: str) -> dict | None:
    row = model.Session.execute(sa.select(digest_table).where(digest_table.c.owner_org == org_id)).mappings().first()
    return dict(row) if row else None


def _save(org_id: str, checked_at, sent_at, reported: set[str]) -> None:
    values = {"checked_at": checked_at, "sent_at": sent_at, "reported": json.dumps(sorted(reported))}
    statement = postgresql.insert(digest_table).values(owner_org=org_id, **values)
    model.Session.execute(statement.on_conflict_do_update(index_elements=["owner_org"], set_=values))
    model.Session.commit()


def compose(org: model.Group, new: list[Item], everything: list[Item], since) -> tuple[str, str]:
    subject = f"Open-Data-Portal: {len(new)} neue Hinweise für {org.title or org.name}"
    lines = ["Guten Tag,", "",
             f"hier ist die Zusammenfassung für {org.title or org.name}"
             + (f" seit dem {since.replace(tzinfo=datetime.timezone.utc).astimezone(BERLIN):%d.%m.%Y}." if since
                else "."), ""]
    for section, heading in SECTIONS.items():
        found = [i for i in new if i.section == section]
        if not found:
            continue
        lines.append(f"{heading} – neu ({len(found)}):")
        for item in found:
            lines.append(f"- {item.text}")
            lines.append(f"  {item.link}")
        lines.append("")
    counts = {s: sum(1 for i in everything if i.section == s) for s in SECTIONS}
    lines += [f"Insgesamt: {counts['violations']} Datensätze mit Verstößen, {counts['links']} defekte Links, "
              f"{counts['stale']} überfällige Datensätze, {counts['requests']} offene Datenwünsche.",
              f"Qualitäts-Dashboard: {mail.site_link('/dashboard/quality?organization=' + org.name)}", "",
              "Sie erhalten diese E-Mail als Datenkontakt Ihres Amtes. Wie oft sie kommt, stellen Sie in den "
              f"Einstellungen der Organisation ein: {mail.site_link('/organization/edit/' + org.name)}", ""]
    return subject, "\n".join(lines)


@register.periodic_task("digests")
def run(now: datetime.datetime | None = None, force: bool = False, only: str | None = None) -> dict[str, str]:
    """Scheduler task: send the due digests; per organisation what happened."""
    now = now or datetime.datetime.utcnow()
    outcome: dict[str, str] = {}
    query = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                    model.Group.state == "active")
    if only:
        query = query.filter(sa.or_(model.Group.name == only, model.Group.id == only))
    for org in query.all():
        address = (org.extras or {}).get("contact_email")
        if not address:
            continue
        slot = last_slot(frequency_of(org), now)
        state = _state(org.id)
        if not force and (slot is None or (state is not None and state["checked_at"] >= slot)):
            continue
        everything = items_for(org.id)
        reported = set(json.loads(state["reported"])) if state else set()
        new = [i for i in everything if i.key not in reported]
        keys = {i.key for i in everything}
        if not new:
            _save(org.id, now, state["sent_at"] if state else None, keys)
            outcome[org.name] = "nothing new"
            continue
        subject, body = compose(org, new, everything, state["sent_at"] if state else None)
        if mail.send(address, subject, body):
            _save(org.id, now, now, keys)
            outcome[org.name] = f"sent ({len(new)} new)"
        else:
            outcome[org.name] = "not sent (mail error; retried at the next tick)"
    return outcome
