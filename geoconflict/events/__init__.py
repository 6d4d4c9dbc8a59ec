"""Events, strike sites, claims with their sources, and checks of stated claims."""

from geoconflict.events.model import *  # noqa: F403
from geoconflict.events.model import __all__  # noqa: F401
