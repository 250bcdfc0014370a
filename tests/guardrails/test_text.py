"""Text clean-up and chunking."""

from __future__ import annotations

from guardrails.text import chunks, distinct_sentences, normalise


def test_chunks_cover_every_character_with_overlap() -> None:
    text = " ".join(f"w{i}" for i in range(5000))
    pieces = list(chunks(text, size=1000, overlap=100))
    assert all(len(piece) <= 1000 for piece in pieces)
    assert pieces[0].startswith("w0 ") and pieces[-1].endswith("w4999")
    words = {word for piece in pieces for word in piece.split()}
    assert words == set(text.split())


def test_short_text_is_one_chunk() -> None:
    assert list(chunks("hello")) == ["hello"]


def test_text_without_spaces_still_chunks() -> None:
    assert "".join(chunks("x" * 9000, size=4000, overlap=0)) == "x" * 9000


def test_normalise_makes_odd_text_safe() -> None:
    assert normalise("it\u2019s\x00 ok") == "it's ok"
    assert normalise("\ud800") == "?"
    assert normalise("!!!!!!!!!!") == "!!!"
    assert normalise("\uff46\uff55\uff4c\uff4c width") == "full width"


def test_distinct_sentences_keeps_each_sentence_once_in_order() -> None:
    assert distinct_sentences("I'm ok. Tea now. I'm ok. Bed.") == "I'm ok. Tea now. Bed."
    assert distinct_sentences("just one line") == "just one line"
