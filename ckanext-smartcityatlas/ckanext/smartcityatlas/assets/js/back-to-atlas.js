/* SPDX-License-Identifier: AGPL-3.0-or-later
 * "Back to the atlas" keeps the atlas' filters: the atlas page notes its
 * current address (path and query, this site only) in the tab's
 * sessionStorage; links marked data-sca-back-to-atlas go there. Without
 * JavaScript or a noted address they lead to the plain atlas.
 */
(function () {
  'use strict';
  var noted = null;
  try { noted = window.sessionStorage.getItem('sca-atlas-url'); } catch (e) { noted = null; }
  // only a path of this site that is the atlas page (no scheme, no host)
  if (!noted || !/^\/([a-z]{2}(_[A-Z]{2})?\/)?atlas(\?[^#]*)?$/.test(noted)) { return; }
  document.querySelectorAll('a[data-sca-back-to-atlas]').forEach(function (link) {
    link.setAttribute('href', noted);
  });
}());
