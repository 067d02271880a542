"""Token-level agreement: the label each annotator gives each token, Cohen's κ
and Krippendorff's α (nominal) over such labels.

Tokens are `app.text.tokens.tokenize`: runs of
letters and digits, numbers with inner separators, every other visible
character alone; offsets in code points. A span covers a token when they
share at least one character, so a span boundary inside a word still
labels that word.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

from app.text.tokens import Token, tokenize

__all__ = [
    "OUTSIDE",
    "Pattern",
    "TokenSpan",
    "Tokens",
    "alpha_of",
    "cohen_kappa",
    "krippendorff_alpha",
]

OUTSIDE = "O"
TokenSpan = tuple[int, int, str]  # start, end (code points, end exclusive), label name
Pattern = tuple[Hashable, ...]  # the values one unit (token) got from its annotators


class Tokens:
    """The tokens of one text, with the lookups agreement needs."""

    def __init__(self, text: str) -> None:
        self.spans: list[Token] = tokenize(text)
        self._starts = [t[0] for t in self.spans]
        self._ends = [t[1] for t in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def covered(self, start: int, end: int) -> range:
        """Indices of the tokens that share a character with text[start:end]."""
        first = bisect_right(self._ends, start)  # the first token ending after `start`
        last = bisect_left(self._starts, end)  # the tokens before it start before `end`
        return range(first, max(first, last))

    def labels(self, spans: Iterable[TokenSpan]) -> list[str]:
        """One label per token: that of the shortest span covering it, else OUTSIDE.

        Of spans of equal length the earlier start wins, then the label name
        that sorts first, so the result never depends on storage order.
        """
        labels = [OUTSIDE] * len(self.spans)
        for start, end, label in sorted(spans, key=lambda s: (s[1] - s[0], s[0], s[2]), reverse=True):
            for index in self.covered(start, end):  # later (shorter) spans paint over
                labels[index] = label
        return labels

    def coverage(self, spans: Iterable[TokenSpan]) -> dict[str, set[int]]:
        """For each label, the tokens some span of that label covers (overlaps allowed)."""
        found: dict[str, set[int]] = {}
        for start, end, label in spans:
            found.setdefault(label, set()).update(self.covered(start, end))
        return found


def cohen_kappa(table: Mapping[Pattern, int]) -> float | None:
    """κ from a contingency table {(A's value, B's value): count}; None if chance agreement is total."""
    n = sum(table.values())
    rows: Counter[Hashable] = Counter()
    cols: Counter[Hashable] = Counter()
    for (x, y), count in table.items():  # patterns of two values
        rows[x] += count
        cols[y] += count
    agreed = sum(count for (x, y), count in table.items() if x == y)
    chance = sum(rows[k] * cols[k] for k in rows)  # n² · expected agreement
    return (n * agreed - chance) / (n * n - chance) if n * n != chance else None


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Nominal α; each unit lists the coders' values, None where a coder gave none."""
    return alpha_of(Counter(tuple(v for v in unit if v is not None) for unit in units))


def alpha_of(patterns: Mapping[Pattern, int]) -> float | None:
    """Nominal α from {values one unit got: how many units got them}; coincidence-matrix form:
    α = 1 − (n − 1)·Σ_u (m_u² − Σ_c n_uc²)/(m_u − 1) / (n² − Σ_c n_c²)."""
    totals: Counter[Hashable] = Counter()
    disagreement = 0.0
    for values, times in patterns.items():
        if len(values) < 2:
            continue  # a unit with one value pairs with nothing
        counts = Counter(values)
        disagreement += times * (len(values) ** 2 - sum(c * c for c in counts.values())) / (len(values) - 1)
        totals.update({value: times * c for value, c in counts.items()})
    n = sum(totals.values())
    expected = n * n - sum(c * c for c in totals.values())
    return 1 - (n - 1) * disagreement / expected if expected else None
