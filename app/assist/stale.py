"""Where a document's string matches may be stale, indexed by position.

When the matcher learns or forgets a phrase, its matches may change wherever
its first token occurs. The places are noted per first token (one flag per
place of that token, beside the document's list of its places), so that the
stretch on screen finds its stale places by walking its own tokens, however
many phrases wait: a burst of keys with no pause between them noted hundreds,
and walking every noted phrase on every key cost up to 10 ms.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence

Phrase = tuple[str, ...]
WALK_PER_TOKEN = 16  # a stretch longer than this many tokens per noted token is taken token by token


class _Token:
    """The places of one first token, which of them are stale, and the phrases that made them so."""

    __slots__ = ("count", "cursor", "flags", "lengths", "phrases", "places")

    def __init__(self, places: Sequence[int]) -> None:
        self.places = places
        self.flags = bytearray(len(places))  # 1: stale
        self.count = 0  # how many flags are set
        self.phrases: set[Phrase] = set()
        self.lengths: set[int] = set()  # of those phrases
        self.cursor = 0  # no flag is set before this index, unless `put_back` set it

    def mark(self, phrase: Phrase) -> None:
        self.flags = bytearray(b"\x01") * len(self.places)
        self.count, self.cursor = len(self.places), 0
        self.phrases.add(phrase)
        self.lengths.add(len(phrase))

    def take(self, index: int) -> bool:
        """Clear flag `index`; whether it was set."""
        if not self.flags[index]:
            return False
        self.flags[index] = 0
        self.count -= 1
        return True

    def occurs(self, tokens: tuple[str, ...], at: int) -> bool:
        """Whether one of the phrases is at token `at` (whose first token is this one)."""
        return 1 in self.lengths or any(tokens[at : at + n] in self.phrases for n in self.lengths)


class StalePlaces:
    """Token indexes where a changed phrase may start, until taken to be scanned again."""

    def __init__(self, firsts: Mapping[str, Sequence[int]]) -> None:
        self._firsts = firsts  # each folded token's places, in order
        self._tokens: dict[str, _Token] = {}  # only those with stale places, the longest waiting first

    def __bool__(self) -> bool:
        return bool(self._tokens)

    def mark(self, phrases: Iterable[Phrase]) -> None:
        """Every place of each phrase's first token is stale (whether the rest follows is checked when taken)."""
        for phrase in phrases:
            places = self._firsts.get(phrase[0])
            if not places:
                continue
            noted = self._tokens.get(phrase[0])
            if noted is None:
                noted = self._tokens[phrase[0]] = _Token(places)
            if noted.count < len(places) or phrase not in noted.phrases:
                noted.mark(phrase)

    def take_in(self, tokens: tuple[str, ...], low: int, high: int) -> list[int]:
        """Take out the stale places among tokens [low, high); returns those where a phrase occurs, in order."""
        if high - low > WALK_PER_TOKEN * len(self._tokens):
            return self._take_by_token(tokens, low, high)  # a long stretch (all the document): by token
        found: list[int] = []
        noted = self._tokens
        for at in range(low, high):  # the stretch on screen: its own tokens
            token = noted.get(tokens[at])
            if token is None or not token.take(bisect_left(token.places, at)):
                continue
            if token.occurs(tokens, at):
                found.append(at)
            if not token.count:
                del noted[tokens[at]]
        return found

    def _take_by_token(self, tokens: tuple[str, ...], low: int, high: int) -> list[int]:
        found: list[int] = []
        for first, token in list(self._tokens.items()):
            index, stop = bisect_left(token.places, low), bisect_left(token.places, high)
            while (index := token.flags.find(1, index, stop)) >= 0:
                token.take(index)
                if token.occurs(tokens, token.places[index]):
                    found.append(token.places[index])
                index += 1
            if not token.count:
                del self._tokens[first]
        return sorted(found)

    def take_some(self, tokens: tuple[str, ...], most: int) -> list[int]:
        """Take out up to `most` stale places of the first token noted; those where a phrase occurs."""
        first = next(iter(self._tokens), None)
        if first is None:
            return []
        token = self._tokens[first]
        taken: list[int] = []
        index = token.cursor
        while len(taken) < most:
            index = token.flags.find(1, index)
            if index < 0:
                break
            token.take(index)
            taken.append(token.places[index])
            index += 1
        token.cursor = len(token.places) if index < 0 else index
        if not token.count:
            del self._tokens[first]
        return [at for at in taken if token.occurs(tokens, at)]

    def put_back(self, tokens: tuple[str, ...], places: Iterable[int]) -> None:
        """Note again places taken but not scanned (a deadline came)."""
        for at in places:
            first = tokens[at]
            token = self._tokens.get(first)
            if token is None:  # its phrases are forgotten: any phrase may start there
                token = self._tokens[first] = _Token(self._firsts[first])
                token.phrases.add((first,))
                token.lengths.add(1)
            index = bisect_left(token.places, at)
            if not token.flags[index]:
                token.flags[index] = 1
                token.count += 1
                token.cursor = min(token.cursor, index)
