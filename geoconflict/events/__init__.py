"""Events, strike sites, claims with their sources, and checks of stated claims."""

from geoconflict.events.eventset import EventSet
from geoconflict.events.model import *  # noqa: F403
from geoconflict.events.model import __all__ as _model_all

__all__ = [*_model_all, "EventSet"]
