# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca …`` commands used by deploy/ and by operators."""
from __future__ import annotations

import secrets

import click
import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.caller import site_context
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def sca_group(commands) -> click.Group:
    """The ``ckan sca`` group with the commands of all capabilities."""

    @click.group("sca", short_help="Smart City Atlas commands")
    def sca():
        """Smart City Atlas commands."""

    for command in commands:
        sca.add_command(command)
    return sca


@register.command
@click.command("ensure-sysadmin")
@click.argument("name")
@click.option("--email", required=True, help="Functional mailbox of the admin account")
def ensure_sysadmin(name: str, email: str):
    """Create sysadmin NAME with a generated password unless it exists.

    The password is printed once and stored nowhere; reset it later with
    ``ckan user setpass NAME``.
    """
    context = site_context()
    try:
        user = tk.get_action("user_show")(context, {"id": name})
    except tk.ObjectNotFound:
        password = secrets.token_urlsafe(18)
        user = tk.get_action("user_create")(
            context, {"name": name, "email": email, "password": password}
        )
        click.echo(f"Created sysadmin '{name}' with password: {password}")
        click.echo("This password is shown only once (reset: ckan user setpass).")
    else:
        click.echo(f"Sysadmin '{name}' exists; password unchanged.")
    if not user.get("sysadmin"):
        # Same as `ckan sysadmin add`: the flag is not settable through actions.
        from ckan import model

        obj = model.User.get(user["id"])
        obj.sysadmin = True
        model.repo.commit()


@register.command
@click.command("scheduler")
@click.option("--interval", default=60, show_default=True, help="Seconds between ticks")
@click.option("--once", is_flag=True, help="Run one tick and exit")
def scheduler(interval: int, once: bool):
    """Run periodic jobs (harvest job control, …) in a loop."""
    from ckanext.smartcityatlas.platform import scheduler as sched

    if once:
        click.echo(sched.tick())
        return
    sched.run_forever(interval)
