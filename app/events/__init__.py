"""Events: groups of articles that report the same happening (see store.py, grouping.py, jobs.py)."""
