"""Built frontend assets under /static/ (from `frontend/dist`)."""

from pathlib import Path

from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler


def static_router(dist: str) -> ControllerRouterHandler:
    folder = Path(dist)
    folder.mkdir(parents=True, exist_ok=True)
    return create_static_files_router(
        path="/static",
        directories=[folder],
        name="static",
        cache_control=None,
        include_in_schema=False,
    )
