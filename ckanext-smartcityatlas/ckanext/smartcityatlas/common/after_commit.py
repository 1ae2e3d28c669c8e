# SPDX-License-Identifier: AGPL-3.0-or-later
"""Work that follows a change only once its transaction has committed.

A change hook runs before the commit; what it queues for a worker must not
be seen before the change is (the worker would read the old state). So the
hook ``remember``s an item in the database session, and after the commit
the handler of its key gets everything the transaction remembered, once; a
rollback forgets it. A failing handler is logged: the change is saved
anyway, and its next change tries again.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable, Hashable

from ckan import model

log = logging.getLogger(__name__)

_INFO = "sca_after_commit"
_handlers: dict[str, Callable[[set], None]] = {}
_listening = False
_listen_lock = threading.Lock()


def remember(key: str, item: Hashable, then: Callable[[set], None]) -> None:
    """Add ``item`` under ``key`` to the current transaction; ``then(items)`` runs after its commit."""
    _listen(model.Session)
    _handlers[key] = then
    model.Session().info.setdefault(_INFO, {}).setdefault(key, set()).add(item)


def _listen(scoped_session) -> None:
    global _listening
    if _listening:
        return
    import sqlalchemy.event

    with _listen_lock:  # threaded web workers: register the listeners once
        if _listening:
            return
        sqlalchemy.event.listen(scoped_session, "after_commit", _after_commit)
        sqlalchemy.event.listen(scoped_session, "after_rollback", _after_rollback)
        _listening = True


def _after_commit(session) -> None:
    for key, items in (session.info.pop(_INFO, None) or {}).items():
        try:
            _handlers[key](items)
        except Exception:  # e.g. Redis down: the change is saved; the next one retries
            log.exception("after the commit: %s failed", key)


def _after_rollback(session) -> None:
    session.info.pop(_INFO, None)
