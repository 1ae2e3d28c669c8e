# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca city-check FOLDER`` and ``ckan sca city-boundary FOLDER``:
what a city's IT staff run while writing its folder (docs/city.md)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click
import yaml

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.platform import city_boundary, city_check

register = Registry()


@register.command
@click.command("city-check")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--demo/--no-demo", default=None,
              help="Check the demo/ folder that deploy/sca up loads (default: as SCA_DEMO says; unset: when "
                   "there is one).")
def city_check_command(folder: Path, demo: bool | None):
    """Check the city folder FOLDER: city.yaml, boundary and district files,
    districts.csv, legal settings and the demo folder. Prints each finding
    with its file and place; exits with 1 when there is an error. A region
    folder (region.yaml): each member city's folder, then the region."""
    folder = folder.resolve()
    if demo is None and os.environ.get("SCA_DEMO") in ("0", "1"):
        demo = os.environ["SCA_DEMO"] == "1"
    if (folder / "region.yaml").exists() and not (folder / "city.yaml").exists():
        _check_region(folder, demo)
    else:
        _check_city(folder, demo)


def _check_region(folder: Path, demo: bool | None) -> None:
    try:
        _spec, members = city_config.member_folders(folder)
        if not members:
            raise ValueError(f"{folder / 'region.yaml'}: no members")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        click.echo(f"ERROR region.yaml: {exc}")
        raise SystemExit(1) from None
    failed = 0
    for member in members:
        try:
            _check_city(member, False if demo is None else demo)
        except SystemExit:
            failed += 1
    if not failed:
        try:  # what the portal does with it (the first member as the atlas's city)
            region = city_config.load_region(folder, city_config.load(members[0]))
        except ValueError as exc:
            click.echo(f"ERROR region.yaml: {exc}")
            raise SystemExit(1) from None
        click.echo(f"{folder}: {len(region.members)} cities, {len(region.districts)} districts")
        return
    click.echo(f"{folder}: {failed} of {len(members)} member cities with errors")
    raise SystemExit(1)


def _check_city(folder: Path, demo: bool | None) -> None:
    check = city_check.CityCheck(folder, demo)
    findings = check.run()
    summary = ""
    if not check.errors:
        try:  # what the portal itself does with the folder
            city = city_config.load(folder)
        except Exception as exc:  # noqa: BLE001 - anything here is a finding, said plainly
            findings.append(city_check.Finding("error", "city.yaml", "", f"the portal cannot load the folder: {exc}"))
        else:
            groups = {d.group for d in city.districts if d.group}
            summary = f"; {len(city.districts)} districts" + (f" in {len(groups)} groups" if groups else "")
    for finding in findings:
        click.echo(str(finding))
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if errors:
        click.echo(f"{folder}: {errors} error(s), {warnings} warning(s)")
        raise SystemExit(1)
    click.echo(f"{folder}: no errors, {warnings} warning(s){summary}")


@register.command
@click.command("city-boundary")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output", help="File name in FOLDER (default: the boundary of city.yaml, else boundary.geojson).")
@click.option("--close-gaps", type=click.FloatRange(min=0, max=100), default=0.0, show_default=True,
              help="Close slivers between districts up to about this many metres wide.")
@click.option("--force", is_flag=True, help="Overwrite an existing boundary file.")
def city_boundary_command(folder: Path, output: str | None, close_gaps: float, force: bool):
    """Write the city boundary of FOLDER as the union of its districts
    (city.yaml's districts.file), with the municipality's name and keys."""
    try:
        settings = yaml.safe_load((folder / "city.yaml").read_text(encoding="utf-8"))
        district_file = settings["districts"]["file"]
        data = json.loads((folder / district_file).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise click.ClickException(f"cannot read the districts of {folder} ({exc}); "
                                   f"`ckan sca city-check {folder}` says what is wrong")
    name = output or settings.get("boundary") or "boundary.geojson"
    target = folder / name
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; --force overwrites it")
    try:
        boundary = city_boundary.build(settings, data, district_file, close_gaps)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise click.ClickException(f"{district_file} has a feature that is not GeoJSON ({exc}); "
                                   f"`ckan sca city-check {folder}` names it")
    city_boundary.write(target, boundary)
    click.echo(f"wrote {target}: {boundary.parts} polygon(s), {boundary.holes} hole(s), "
               f"{boundary.area_km2:.1f} km², union of {boundary.districts} districts")
    if boundary.holes or boundary.parts > 1:
        click.echo("Holes or separate parts often are gaps between districts: check them on a map, "
                   "or run again with --close-gaps 5 --force.")
    if settings.get("boundary") != name:
        click.echo(f"Add to city.yaml: boundary: {name}")
    click.echo(f"Keep the attribution of {district_file} for {name} in the folder's SOURCES.md.")
