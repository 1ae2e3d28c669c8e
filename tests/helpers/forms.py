# SPDX-License-Identifier: AGPL-3.0-or-later
"""Web forms as a browser posts them."""
import re
from html.parser import HTMLParser


def csrf(html: str) -> str:
    """The CSRF token of the form in ``html``."""
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


class _Fields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.values = form_id, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # a browser drops the newline right after <textarea>
            value = self.values[self._textarea]
            self.values[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def fields(html: str, form_id: str) -> dict:
    """What a browser would post from the form ``form_id`` unchanged: text
    inputs, the checked radio buttons and checkboxes, the selected options,
    textareas (one value per name: the last one)."""
    parser = _Fields(form_id)
    parser.feed(html)
    return parser.values


def create_through_form(app, headers, dataset_type, fields):
    """An actor or project saved as an editor's browser does (CSRF token,
    stage 1, finishing without a resource); the new page."""
    form = app.get(f"/{dataset_type}/new", headers=headers)
    assert form.status_code == 200
    data = {"_csrf_token": csrf(form.body), "_ckan_phase": "dataset_new_1", "pkg_name": "", "save": "", **fields}
    stage1 = app.post(f"/{dataset_type}/new", data=data, headers=headers, follow_redirects=False)
    assert stage1.status_code == 302, stage1.body[:3000]
    # Stage 2 (resources) is optional for entities: finish without one.
    resource_form = app.get(stage1.headers["Location"], headers=headers)
    name = fields["name"]
    finish = app.post(f"/{dataset_type}/{name}/resource/new",
                      data={"_csrf_token": csrf(resource_form.body), "save": "go-metadata", "id": ""},
                      headers=headers, follow_redirects=False)
    assert finish.status_code == 302, finish.body[:3000]
    return app.get(f"/{dataset_type}/{name}", headers=headers)
