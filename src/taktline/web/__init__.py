"""The web service and dashboard (FastAPI): ``taktline serve``."""

from taktline.web.app import create_app

__all__ = ["create_app"]
