"""Near-duplicates: the same wire story on several sites, found with MinHash over word
shingles and LSH, linked to its first copy so its events count once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datasketch import LeanMinHash, MinHash, MinHashLSH

from ..nlp.clean import _words

if TYPE_CHECKING:
    from .store import Store

# Near-duplicate detection: shingles of this many words, this many permutations, and the
# Jaccard similarity above which two articles are the same story.
_SHINGLE = 5
_PERMUTATIONS = 64
_NEAR = 0.8
_SCHEME = "affine32"  # datasketch's hashing scheme, fixed so stored signatures stay valid


def minhash(text: str) -> bytes:
    """A MinHash signature of an article's word shingles, as bytes."""
    words = [w.casefold() for w in _words(text)]
    mh = MinHash(num_perm=_PERMUTATIONS, seed=1, scheme=_SCHEME)
    mh.update_batch(
        [
            " ".join(words[i : i + _SHINGLE]).encode("utf-8")
            for i in range(max(1, len(words) - _SHINGLE + 1))
        ]
    )
    import numpy as np

    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).tobytes())


def _lean(signature: bytes) -> LeanMinHash:
    import numpy as np

    return LeanMinHash(seed=1, hashvalues=np.frombuffer(signature, dtype=np.uint64), scheme=_SCHEME)


class NearDuplicates:
    """MinHash LSH over the first copies stored so far."""

    def __init__(self, store: Store) -> None:
        self.lsh = MinHashLSH(threshold=_NEAR, num_perm=_PERMUTATIONS)
        for article_id, signature in store.minhashes():
            self.lsh.insert(article_id, _lean(signature))

    def check(self, article_id: str, signature: bytes) -> str | None:
        """The first copy this article repeats, or None (then it becomes a first copy)."""
        mh = _lean(signature)
        hits = sorted(h for h in self.lsh.query(mh) if h != article_id)
        if hits:
            return hits[0]
        if article_id not in self.lsh:
            self.lsh.insert(article_id, mh)
        return None
