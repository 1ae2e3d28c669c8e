# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca …`` commands used by deploy/ and by operators."""
from __future__ import annotations

import secrets
import shlex
import sys
import time
import traceback

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
@click.command("steps")
@click.argument("steps", nargs=-1, required=True)
@click.option("--optional", "optional", multiple=True, metavar="NAME",
              help="A step whose failure is reported and skipped (repeatable)")
@click.pass_context
def steps(ctx: click.Context, steps: tuple[str, ...], optional: tuple[str, ...]):
    """Run several ``ckan sca`` commands in one process, in order.

    Each STEP is one command line of the group, e.g. ``"ensure-sysadmin
    admin --email opendata@example.org"``. `deploy/sca up` runs its
    idempotent steps this way: CKAN starts once instead of once per step.
    The first failing step (unless --optional) ends the run with its name on
    stderr and exit status 1; the output of the steps is theirs.
    """
    group = ctx.parent.command if ctx.parent else None
    for line in steps:
        args = shlex.split(line)
        name = args[0] if args else ""
        command = group.get_command(ctx.parent, name) if isinstance(group, click.Group) and name else None
        if command is None or name == "steps":
            raise click.UsageError(f"unknown step {name!r}")
        started = time.monotonic()
        try:
            with command.make_context(name, args[1:], parent=ctx.parent) as step_ctx:
                command.invoke(step_ctx)
        except click.exceptions.Exit as done:
            failed = done.exit_code != 0
        except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure of a step is reported by name
            failed = not (isinstance(error, SystemExit) and error.code in (0, None))
            if failed and not isinstance(error, (click.ClickException, SystemExit, click.Abort)):
                traceback.print_exc()
            elif isinstance(error, click.ClickException):
                error.show()
        else:
            failed = False
        took = time.monotonic() - started
        if failed and name in optional:
            click.echo(f"step {name} failed after {took:.1f} s (optional: skipped)", err=True)
        elif failed:
            click.echo(f"step {name} failed after {took:.1f} s", err=True)
            sys.exit(1)
        else:
            click.echo(f"step {name}: {took:.1f} s", err=True)


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
