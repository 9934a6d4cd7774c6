"""The web reader and HTTP JSON API (`khabar serve`; needs the `web` extra)."""

from __future__ import annotations

from khabar.web.app import create_app

__all__ = ["create_app"]
