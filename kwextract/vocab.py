"""String ↔ id vocabularies for words and characters, saved as plain JSON lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

PAD, UNK = "<pad>", "<unk>"
UNK_ID = 1  # the id of any string not in a vocabulary


class Vocab:
    """A fixed list of strings; id 0 is padding, id 1 stands for any unknown string."""

    def __init__(self, items: Iterable[str]) -> None:
        self.itos: list[str] = [PAD, UNK] + [s for s in items if s not in (PAD, UNK)]
        self.stoi: dict[str, int] = {s: i for i, s in enumerate(self.itos)}

    @classmethod
    def build(cls, counts: Counter[str], min_freq: int = 1, max_size: int | None = None) -> "Vocab":
        """The most frequent strings seen at least ``min_freq`` times (ties broken by string)."""
        ranked = sorted((s for s, c in counts.items() if c >= min_freq), key=lambda s: (-counts[s], s))
        return cls(ranked[:max_size] if max_size else ranked)

    def __len__(self) -> int:
        return len(self.itos)

    def __getitem__(self, item: str) -> int:
        return self.stoi.get(item, UNK_ID)

    def ids(self, items: Iterable[str]) -> list[int]:
        """The id of each item (``self[item]`` each, without a method call per item)."""
        get = self.stoi.get
        return [get(item, UNK_ID) for item in items]

    def to_list(self) -> list[str]:
        return list(self.itos)
