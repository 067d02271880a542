"""Group article profiles into events: TF-IDF blocking, then a refined score.

Each article becomes a TF-IDF vector (scikit-learn, sublinear tf, l2) over
its content terms and names; terms in more than `max_df` of the articles are
dropped, so the sparse product that finds candidate pairs (cosine above
`block`, computed in row blocks) only meets articles that share rare words:
no article is compared with an unrelated one in Python. Each candidate pair
is then refined: its cosine, plus a bonus for shared places and mentioned
dates, halved when the published dates are more than `max_days` apart (a
later happening with the same cast). Pairs at or above `threshold` join
their articles (union-find); each component is one event.

MinHash LSH (datasketch) was tried first and dropped: articles on one event
share words, not shingles; at the Jaccard levels they reach (0.05-0.1) its
candidate recall on the evaluation set was 0.73 while giving up most of the
blocking (see eval/events/README.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.events.features import Profile
from app.reconcile.unionfind import find_root

if TYPE_CHECKING:  # numpy, scipy, scikit-learn load on first grouping (~4 s), not when the window opens
    from scipy import sparse


@dataclass(frozen=True)
class Settings:
    threshold: float = 0.15  # refined score to put two articles in one event
    block: float = 0.08  # cosine a pair needs to be refined at all
    max_df: float = 0.3  # terms in more of the articles than this carry no event...
    min_kept_df: int = 50  # ...unless in this few
    max_days: int = 7
    rows: int = 1000  # articles per block of the sparse product


DEFAULT = Settings()


def _tokens(p: Profile) -> list[str]:
    found = [t for t, n in p.terms.items() for _ in range(n)]
    return found + [f"n:{name}" for name, n in p.names.items() for _ in range(n)]


def vectors(profiles: Sequence[Profile], settings: Settings = DEFAULT) -> sparse.csr_matrix:
    """One l2-normalised TF-IDF row per profile, in order."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Small sets keep every term: there an event's own words are in most articles.
    max_df = max(int(settings.max_df * len(profiles)), settings.min_kept_df)
    vectorizer = TfidfVectorizer(analyzer=_tokens, sublinear_tf=True, max_df=max_df, dtype=np.float32)
    return sparse.csr_matrix(vectorizer.fit_transform(profiles))


def candidates(
    rows: sparse.csr_matrix, columns: sparse.csr_matrix, settings: Settings = DEFAULT
) -> Iterator[tuple[int, int, float]]:
    """(row, column, cosine) for every pair at or above `block`, block by block."""
    from scipy import sparse

    for first in range(0, rows.shape[0], settings.rows):
        product = sparse.coo_matrix(rows[first : first + settings.rows] @ columns.T)
        keep = product.data >= settings.block
        for i, j, value in zip(product.row[keep], product.col[keep], product.data[keep], strict=True):
            yield first + int(i), int(j), float(value)


def refine(a: Profile, b: Profile, cosine: float, settings: Settings = DEFAULT) -> float:
    """How surely two articles report one event (`threshold` decides)."""
    value = cosine + 0.03 * bool(a.places & b.places) + 0.03 * bool(a.dates & b.dates)
    if a.published and b.published and _days_apart(a.published, b.published) > settings.max_days:
        value /= 2
    return value


def _days_apart(x: str, y: str) -> int:
    try:
        return abs((date.fromisoformat(x) - date.fromisoformat(y)).days)
    except ValueError:
        return 0


def group(profiles: Sequence[Profile], settings: Settings = DEFAULT) -> list[list[int]]:
    """Events as sorted lists of document ids, largest first (then by first id)."""
    if not profiles:
        return []
    docs = [p.doc for p in profiles]
    parent = list(range(len(profiles)))

    matrix = vectors(profiles, settings)
    for i, j, cosine in candidates(matrix, matrix, settings):
        if i < j and refine(profiles[i], profiles[j], cosine, settings) >= settings.threshold:
            parent[find_root(parent, i)] = find_root(parent, j)
    components: dict[int, list[int]] = {}
    for index in range(len(profiles)):
        components.setdefault(find_root(parent, index), []).append(docs[index])
    return sorted((sorted(c) for c in components.values()), key=lambda c: (-len(c), c[0]))


def assign(
    new: Sequence[Profile], old: Sequence[Profile], event_of: Mapping[int, int], settings: Settings = DEFAULT
) -> dict[int, int]:
    """Place new articles, in id order: each joins the event of its best-scoring
    match among the placed articles (old, or new ones placed before it), or
    starts an event, keyed -(its own document id)."""
    ordered = sorted(new, key=lambda p: p.doc)
    everyone = [*old, *ordered]
    matrix = vectors(everyone, settings)
    best: dict[int, list[tuple[float, int]]] = {}
    for i, j, cosine in candidates(matrix[len(old) :], matrix, settings):
        score = refine(ordered[i], everyone[j], cosine, settings)
        if score >= settings.threshold and everyone[j].doc != ordered[i].doc:
            best.setdefault(i, []).append((score, j))
    placed: dict[int, int] = {p.doc: event_of[p.doc] for p in old if p.doc in event_of}
    result: dict[int, int] = {}
    for i, p in enumerate(ordered):
        matches = sorted(best.get(i, []), reverse=True)
        chosen = next((placed[everyone[j].doc] for _, j in matches if everyone[j].doc in placed), -p.doc)
        placed[p.doc] = result[p.doc] = chosen
    return result


def event_name(members: Sequence[Profile]) -> str:
    """Its most shared names (by how many articles name them) and its date."""
    spread: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for p in members:
        spread.update(p.names.keys())
        counts.update(p.names)
        for key, form in p.surface.items():
            surface.setdefault(key, form)
    ranked = sorted(spread, key=lambda n: (-spread[n], -counts[n], -len(n), n))
    chosen: list[str] = []
    for name in ranked:
        if not any(name in other or other in name for other in chosen):
            chosen.append(name)
        if len(chosen) == 3:
            break
    when = _common([p.published for p in members if p.published])
    words = ", ".join(surface[n] for n in chosen) or "Untitled event"
    return f"{words} · {when}" if when else words


def _common(values: list[str]) -> str | None:
    return Counter(values).most_common(1)[0][0] if values else None
