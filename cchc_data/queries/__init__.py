"""Named query functions. Each binds its parameters and is cached on the data version.

Modules by question: catalog (indices, editions, groups, sources), units (search, profile,
lineage), rankings. Pages call these; pages never write SQL.
"""

from .catalog import *  # noqa: F401,F403
from .rankings import *  # noqa: F401,F403
from .units import *  # noqa: F401,F403
