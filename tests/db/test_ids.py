"""Ids sort by creation yet cannot be guessed from a neighbour's."""

import itertools

from db.ids import _ALPHABET, new_id


def random_part(identifier: str) -> int:
    value = 0
    for char in identifier.split("_", 1)[1][10:]:
        value = value * 32 + _ALPHABET.index(char)
    return value


def test_ids_made_one_after_another_sort_in_that_order() -> None:
    ids = [new_id("sic") for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_an_id_made_in_the_same_millisecond_is_not_a_small_step_from_the_one_before() -> None:
    ids = [new_id("sic") for _ in range(2000)]
    steps = [
        random_part(later) - random_part(earlier)
        for earlier, later in itertools.pairwise(ids)
        if earlier.split("_")[1][:10] == later.split("_")[1][:10]
    ]
    assert len(steps) > 100, "most of these ids share a millisecond"
    assert min(steps) > 1 << 16, "a neighbour's id is at least 2^16 guesses away (2^40 on average)"
