"""CareHub's settings plus one bare page, for benchmarks only (never deployed)."""

from carehub.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
