/* SPDX-License-Identifier: AGPL-3.0-or-later
 * Links from data: only web addresses become links. The same rule as the
 * templates' h.sca_safe_link (web_address.safe_href in Python): http(s)
 * with a host, a path on this site, mailto: where allowed; javascript:,
 * data:, vbscript:, //host and values with control characters stay text.
 */
window.scaSafeHref = function (url, allowMailto) {
  'use strict';
  if (typeof url !== 'string') { return null; }
  // the browser drops C0 controls and spaces at both ends, tabs and newlines inside
  var text = url.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (!text || /[\x00-\x20\x7f]/.test(text)) { return null; }
  if (/^https?:\/\/[^\/\\]/i.test(text) || /^\/(?![\/\\])/.test(text) ||
      (allowMailto && /^mailto:[^\/\\]/i.test(text))) {
    return text;
  }
  return null;
};

// An <a> with text and href, or a <span> with the text where url is no web address.
window.scaLinkOrText = function (text, url, allowMailto) {
  'use strict';
  var href = window.scaSafeHref(url, allowMailto);
  var node = document.createElement(href ? 'a' : 'span');
  node.textContent = text == null || text === '' ? String(url == null ? '' : url) : String(text);
  if (href) { node.setAttribute('href', href); } else { node.className = 'sca-not-a-link'; }
  return node;
};
