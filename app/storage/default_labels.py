"""The label set a new project starts with, for news reconciliation.

Colours are the Okabe-Ito palette: distinguishable with colour-blindness and
mid-tone, so they read as tints on light and dark backgrounds alike.
"""

from __future__ import annotations

from app.models import LabelKind

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")

DEFAULT_LABELS: tuple[tuple[str, LabelKind, str], ...] = (
    ("PERSON", LabelKind.ENTITY, "#0072B2"),
    ("ORG", LabelKind.ENTITY, "#E69F00"),
    ("LOCATION", LabelKind.ENTITY, "#009E73"),
    ("DATE", LabelKind.ENTITY, "#CC79A7"),
    ("QUANTITY", LabelKind.ENTITY, "#56B4E9"),
    ("EQUIPMENT", LabelKind.ENTITY, "#F0E442"),
    ("CLAIM", LabelKind.CLAIM, "#D55E00"),
)
