# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers every page may use."""
import datetime

import ckan.plugins.toolkit as tk
from flask_babel import format_datetime
from markupsafe import Markup, escape

from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.common import base_map, city_config, city_texts, web_address
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.helper
def sca_enabled(name: str) -> bool:
    """Whether the capability ``name`` is on: pages link to another
    capability's pages (data requests, quality, the atlas) only then."""
    return capability.enabled(name)


@register.helper
def sca_safe_link(url, label=None, mailto=False, **attrs) -> Markup:
    """A link to url if it is a web address (web_address.safe_href: http(s),
    a site path, mailto: where mailto=True), else url or label as plain text:
    a stored ``javascript:`` or ``data:`` value never becomes a live link.
    attrs become attributes (``class_`` for class; None leaves one out)."""
    text = label if label not in (None, "") else ("" if url is None else str(url))
    href = web_address.safe_href(url, mailto=mailto)
    attributes = {key.rstrip("_"): value for key, value in attrs.items() if value is not None}
    if href is None:
        css = attributes.get("class")
        return Markup('<span class="{}">{}</span>').format(
            f"{css} sca-not-a-link" if css else "sca-not-a-link", text)
    if attributes.get("target") == "_blank" and "rel" not in attributes:
        attributes["rel"] = "noopener"
    rendered = "".join(f' {escape(key)}="{escape(value)}"' for key, value in attributes.items())
    return Markup('<a href="{}"').format(href) + Markup(rendered) + Markup(">{}</a>").format(text)


@register.helper("scheming_language_text", when_plugin="scheming_datasets")
@tk.chained_helper
def scheming_language_text_of_the_city(up, text, prefer_lang=None):
    """ckanext-scheming's schema texts, with the city's examples for
    ``{city:KEY}`` (placeholders and help texts name no other city)."""
    result = up(text, prefer_lang)
    if isinstance(result, str) and "{city:" in result:
        return city_texts.fill(result, city_config.current())
    return result


@register.helper
def sca_city_examples() -> dict:
    """The forms' examples for the configured city (common/city_texts.py)."""
    return city_texts.examples(city_config.current())


@register.helper
def sca_base_map() -> dict:
    """The base map of every map (common/base_map.py): tiles or WMS of the
    city's geodata service with attribution, or empty values (outlines only)."""
    return base_map.settings(city_config.current())


@register.helper
def sca_district_headings() -> dict:
    """The city's words for a district and a district group (``districts.label``,
    ``districts.group_labels``) in the page's language."""
    return city_texts.headings()


def _error_titles() -> dict[int, str]:
    return {400: tk._("The request could not be used"), 401: tk._("Please log in"), 403: tk._("Access denied"),
            404: tk._("Page not found"), 405: tk._("This address does not take this kind of request"),
            409: tk._("The request conflicts with the stored data"), 413: tk._("The request is too large"),
            429: tk._("Too many requests"), 500: tk._("Something went wrong on our side"),
            503: tk._("The portal is not available at the moment")}


def _error_messages() -> dict[int, str]:
    return {400: tk._("The address or the form holds a value the portal cannot use."),
            401: tk._("This page is for logged-in users."),
            403: tk._("You may not see this page with your account."),
            404: tk._("There is no page at this address: it may have moved or been deleted, or the address "
                      "has a typo."),
            429: tk._("Please wait a minute and try again."),
            500: tk._("The error has been logged. Please try again later."),
            503: tk._("Please try again in a minute.")}


@register.helper
def sca_error_page(code, content=None) -> dict:
    """Title, explanation and the view's own message (``detail``) of CKAN's
    error page in the page language: werkzeug's English names and default
    descriptions ("404 Not Found") are replaced, a message a view gave
    (``abort(404, _("Entry not found"))``) is kept."""
    from werkzeug.exceptions import default_exceptions

    if isinstance(code, (list, tuple)):  # CKAN passes [500] for unexpected errors
        code = code[0] if code else 500
    try:
        code = int(code)
    except (TypeError, ValueError):
        code = 500
    default = default_exceptions.get(code)
    text = str(content or "").strip()
    generic = {"", "Internal server error", getattr(default, "description", None)}
    return {"code": code, "title": _error_titles().get(code) or tk._("Error {code}").format(code=code),
            "message": _error_messages().get(code, ""), "detail": None if text in generic else text}


@register.helper
def sca_footer_links() -> list[dict]:
    """The footer's links besides the about and legal pages: the licence of
    the atlas content (city.yaml ``content_license``, when the portal's
    licence list knows it) and the OpenAPI document of the portal's API."""
    from ckan import model

    links = []
    licence_id = city_config.current().settings.get("content_license")
    licence = model.Package.get_license_register().get(licence_id) if licence_id else None
    if licence is not None and licence.url:
        links.append({"title": tk._("Licence of the atlas content: {licence}").format(licence=licence.title),
                      "url": licence.url})
    links.append({"title": tk._("API documentation (OpenAPI)"), "url": tk.h.url_for("sca_platform.openapi_json")})
    return links


@register.helper("render_datetime")
@tk.chained_helper
def render_datetime_in_the_page_language(up, datetime_, date_format=None, with_hours=False, with_seconds=False):
    """CKAN writes a date with its time in English order in every language
    ("Dezember 6, 2026, 23:01"), beside "6. Dezember 2026" without one: here
    the date is the language's long date, as without a time."""
    if not with_hours or date_format or with_seconds:
        return up(datetime_, date_format=date_format, with_hours=with_hours, with_seconds=with_seconds)
    date = up(datetime_)
    if not date:
        return date
    stamp = datetime_ if isinstance(datetime_, datetime.datetime) else tk.h.date_str_to_datetime(str(datetime_))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.timezone.utc)  # CKAN's timestamps are UTC
    return f"{date}, {format_datetime(stamp, 'HH:mm (z)')}"
