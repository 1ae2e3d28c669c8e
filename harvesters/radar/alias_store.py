# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_radar_alias: partner names of the radar a curator resolved to an
actor; the next radar runs link the name to the same actor."""
from __future__ import annotations

import datetime

import sqlalchemy as sa

from ckan import model

_meta = sa.MetaData()
alias = sa.Table(
    "sca_radar_alias", _meta,
    sa.Column("name_key", sa.UnicodeText, primary_key=True),
    sa.Column("name", sa.UnicodeText),
    sa.Column("actor_id", sa.UnicodeText),
    sa.Column("created", sa.DateTime),
    sa.Column("created_by", sa.UnicodeText),
)


def aliases() -> dict[str, str]:
    """Resolved partner names: normalised name → actor id."""
    return {r.name_key: r.actor_id for r in model.Session.execute(sa.select(alias.c.name_key, alias.c.actor_id))}


def save_alias(name_key: str, name: str, actor_id: str, user: str | None) -> None:
    from sqlalchemy.dialects import postgresql

    values = {"name": name, "actor_id": actor_id, "created": datetime.datetime.utcnow(), "created_by": user}
    statement = postgresql.insert(alias).values(name_key=name_key, **values)
    model.Session.execute(statement.on_conflict_do_update(index_elements=["name_key"], set_=values))
