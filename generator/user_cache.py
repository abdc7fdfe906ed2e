"""Where zoo-cards keeps what it measured and downloaded for this user: outside any checkout.

A module of its own, light to import, so `zoo --help` can name the defaults without loading
the validation stack.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir

USER_CACHE = Path(user_cache_dir("zoo-cards"))
DEFAULT_VALIDATION_CACHE = USER_CACHE / "validation"
