# The English interface keeps the agencies' day-first dates (15/12/2025); only the number
# separators follow English.
from tracker.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
