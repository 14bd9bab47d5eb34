"""Matching blocks of two sequences (characters or tokens) in time that grows linearly with their length.

difflib's SequenceMatcher finds the longest common block, then recurses on both sides. Each search visits every
pair of equal elements in its range, so repetitive text (a clause of 400 thresholds "指标N达到N%以上", a list of
the same department names) costs the square of its length, times the depth of the recursion: a 186 KB document
took minutes to compare with its revision. Here difflib still compares every range whose pairs of equal elements
are few (every real clause: its results are unchanged), and a larger range is first cut at anchors: runs of
ANCHOR elements that occur exactly once on each side, kept where they appear in the same order on both (the
longest increasing chain, n log n). The pieces between anchors are compared the same way; after MAX_DEPTH cuts a
piece that is still too repetitive to compare cheaply is reported as changed as a whole (after its common start
and end), which is a correct if not minimal difference.
"""
from __future__ import annotations

import bisect
from collections import Counter
from difflib import SequenceMatcher
from typing import Sequence

# Pairs of equal elements (sum over elements of count in a * count in b) up to which difflib runs on a range.
# The longest passage of the dev corpus (a 2,600-character attachment) has 67,515; 400 repeated thresholds ~10^6.
PAIR_BUDGET = 20_000
ANCHOR = 8  # elements in an anchor: unique runs of 8 characters or tokens
MAX_DEPTH = 4  # anchor cuts within cuts before a piece is given up as changed


def matching_blocks(a: Sequence, b: Sequence) -> list[tuple[int, int, int]]:
    """(i, j, size) with a[i:i+size] == b[j:j+size], ascending and non-adjacent, ending with (len(a), len(b), 0),
    as SequenceMatcher.get_matching_blocks returns them (and the same blocks when the input is not repetitive)."""
    found: list[tuple[int, int, int]] = []
    work = [(0, len(a), 0, len(b), 0)]
    pieces: list[tuple[int, int, int]] = []
    while work:  # a stack, not recursion: depth never depends on the input
        alo, ahi, blo, bhi, depth = work.pop()
        pieces.extend(_piece(a, alo, ahi, b, blo, bhi, depth, work))
    pieces.sort()
    for i, j, size in pieces:  # join blocks that touch, as difflib does
        if found and found[-1][0] + found[-1][2] == i and found[-1][1] + found[-1][2] == j:
            found[-1] = (found[-1][0], found[-1][1], found[-1][2] + size)
        elif size:
            found.append((i, j, size))
    found.append((len(a), len(b), 0))
    return found


def ratio(a: Sequence, b: Sequence) -> float:
    """2 * matching elements / total elements, as SequenceMatcher.ratio (1.0 for two empty sequences)."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    return 2.0 * sum(size for _, _, size in matching_blocks(a, b)) / total


def opcodes(a: Sequence, b: Sequence) -> list[tuple[str, int, int, int, int]]:
    """equal/replace/delete/insert steps from a to b, as SequenceMatcher.get_opcodes."""
    out = []
    i = j = 0
    for ai, bj, size in matching_blocks(a, b):
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            out.append((tag, i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            out.append(("equal", ai, i, bj, j))
    return out


def _piece(a, alo, ahi, b, blo, bhi, depth, work) -> list[tuple[int, int, int]]:
    """Blocks of one range; ranges left to compare are pushed on `work`."""
    if alo == ahi or blo == bhi:
        return []
    if _pairs(a[alo:ahi], b[blo:bhi]) <= PAIR_BUDGET:
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        return [(alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size]
    blocks = []
    head = 0  # common start and end first: cheap, and they often make the rest small enough for difflib
    while alo + head < ahi and blo + head < bhi and a[alo + head] == b[blo + head]:
        head += 1
    if head:
        blocks.append((alo, blo, head))
        alo, blo = alo + head, blo + head
    tail = 0
    while alo < ahi - tail and blo < bhi - tail and a[ahi - tail - 1] == b[bhi - tail - 1]:
        tail += 1
    if tail:
        blocks.append((ahi - tail, bhi - tail, tail))
        ahi, bhi = ahi - tail, bhi - tail
    if alo == ahi or blo == bhi:
        return blocks
    if (head or tail) and _pairs(a[alo:ahi], b[blo:bhi]) <= PAIR_BUDGET:
        work.append((alo, ahi, blo, bhi, depth))
        return blocks
    if depth >= MAX_DEPTH:
        return blocks  # too repetitive to compare cheaply: changed as a whole
    anchors = _anchors(a, alo, ahi, b, blo, bhi)
    if not anchors:
        return blocks
    # Between anchors (and before the first, after the last), compare again.
    i, j = alo, blo
    for ai, bj in anchors:
        if ai < i or bj < j:
            continue  # overlaps the previous anchor's run
        work.append((i, ai, j, bj, depth + 1))
        blocks.append((ai, bj, ANCHOR))
        i, j = ai + ANCHOR, bj + ANCHOR
    work.append((i, ahi, j, bhi, depth + 1))
    return blocks


def _pairs(a: Sequence, b: Sequence) -> int:
    counts = Counter(b)
    return sum(n * counts.get(x, 0) for x, n in Counter(a).items())


def _anchors(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int]]:
    """(i, j) of runs of ANCHOR elements found once in a[alo:ahi] and once in b[blo:bhi], the longest chain of them
    in the same order on both sides."""
    def unique_runs(seq, lo, hi) -> dict:
        seen: dict = {}
        text = isinstance(seq, str)
        for k in range(lo, hi - ANCHOR + 1):
            key = seq[k:k + ANCHOR] if text else tuple(seq[k:k + ANCHOR])
            seen[key] = -1 if key in seen else k
        return seen

    in_a, in_b = unique_runs(a, alo, ahi), unique_runs(b, blo, bhi)
    pairs = sorted((i, in_b[key]) for key, i in in_a.items() if i >= 0 and in_b.get(key, -1) >= 0)
    return _longest_chain(pairs)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (sorted by i) whose j increase too (patience sorting, n log n)."""
    tails: list[int] = []  # tails[k]: smallest j ending a chain of length k + 1
    tail_at: list[int] = []  # index in pairs of that end
    previous: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[k], tail_at[k] = j, index
        previous[index] = tail_at[k - 1] if k else -1
    chain = []
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]
