"""Split a catalog into N shards of similar validation work, the same on every machine.

The work of a card is the size of its IR files; cards are dealt largest first to the shard
with the least work so far (ties by name), so a CI matrix of N jobs finishes together.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.cards.catalog import CardSource
from generator.model_files import ir_files


def ir_bytes(source: CardSource) -> int:
    total = 0
    for xml in source.card.ir.values():
        for path in ir_files(source.folder / xml):
            if path.is_file():
                total += path.stat().st_size
    return total


def shard(sources: Sequence[CardSource], index: int, count: int) -> list[str]:
    """Names of the cards in shard `index` (1-based) of `count`, in catalog order."""
    loads = [0] * count
    members: list[set[str]] = [set() for _ in range(count)]
    for size, name in sorted(((ir_bytes(s), s.name) for s in sources), key=lambda x: (-x[0], x[1])):
        lightest = min(range(count), key=lambda k: (loads[k], len(members[k]), k))
        loads[lightest] += size
        members[lightest].add(name)
    return [source.name for source in sources if source.name in members[index - 1]]
