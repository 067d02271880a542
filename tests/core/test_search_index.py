"""The index stores a text unfolded when SQLite's tokenizer folds it as `fold` would:
the tokens must be exactly those of the folded text, whatever the text."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from hypothesis import example, given
from hypothesis import strategies as st

from app.storage.search import TOKENIZER, index_text
from app.text.fold import fold


def tokens(text: str) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = '{TOKENIZER}')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
        conn.execute("INSERT INTO t (x) VALUES (?)", (text,))
        return conn.execute("SELECT term, offset FROM v ORDER BY offset").fetchall()


def test_latin_accents_are_stored_as_written_and_turkish_dotless_i_folded() -> None:
    french = "Le ministre Mélanie Joly à Montréal, ÉTAT d'esprit. 😀"
    assert index_text(french) == french
    assert index_text("Işık Koşaner") == "isik kosaner"
    assert index_text("мой дом") == fold("мой дом")  # й is not и to the tokenizer
    assert index_text("a\x02b") == "a b"  # never a highlight marker in the index


@given(st.text(alphabet=st.sampled_from("aZ é\u0301çşıİłøάйΣß😀\n\t\x02-'ﬁ가"), max_size=40))
@example("Çavuşoğlu Işık")
def test_the_index_sees_the_same_words_as_in_the_folded_text(text: str) -> None:
    stored = index_text(text)
    assert len(stored) == len(text)
    assert tokens(stored) == tokens(fold(text))
