# SPDX-License-Identifier: AGPL-3.0-or-later
"""Interfaces the Smart City Atlas plugins implement for each other."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins as p


class IPeriodicTasks(p.Interface):
    """Work the scheduler (``ckan sca scheduler``) runs on every tick."""

    def periodic_tasks(self) -> list[tuple[str, Callable[[], Any]]]:
        """(name, callable) pairs, in the order they run."""
        return []
