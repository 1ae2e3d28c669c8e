# SPDX-License-Identifier: AGPL-3.0-or-later
"""Template helpers every page may use."""
import ckan.plugins.toolkit as tk
from markupsafe import Markup, escape

from ckanext.smartcityatlas import capability
from ckanext.smartcityatlas.common import city_config, city_texts, web_address
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
def sca_district_headings() -> dict:
    """The city's words for a district and a district group (``districts.label``,
    ``districts.group_labels``) in the page's language."""
    return city_texts.headings()
