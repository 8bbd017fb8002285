"""Benchmarks of the dashboard's heavy paths (issue 8): ``python -m bench``.

Each measurement times a subject against a floor (the least work that does the same job)
in the same run and reports the ratio, so the figures hold on a shared, noisy machine.
Measurements live in modules listed in :data:`bench.registry.MEASUREMENT_MODULES` and are
registered with :func:`bench.registry.measurement`; ``bench/data.py`` generates the data.
"""
