"""One position per holder and statement: the most specific stance wins.

Several rules can read the same clause (a stance cue, the quote it sits in, the reporting verb
that introduces it); an analyst wants one position for one statement, so the candidates are
ranked by how specific their stance is and a later candidate that overlaps a kept one of the same
holder is dropped, unless the two are distinct stances on distinct issues in one sentence.
"""

from __future__ import annotations

import dataclasses

from kg.records import Position, Stance

FALLBACK_TOPIC = "war_diplomacy"
"""The scheme's catch-all topic: a position whose issue matches no topic term."""

STANCE_PRIORITY = {
    Stance.DEMANDS: 0,
    Stance.THREATENS: 1,
    Stance.REJECTS: 2,
    Stance.PROPOSES: 3,
    Stance.ACCUSES: 4,
    Stance.OPPOSES: 5,
    Stance.SUPPORTS: 6,
    Stance.CLAIMS: 7,
}


def dedupe(positions: list[Position]) -> list[Position]:
    """One position per holder and evidence: the most specific stance wins; a reporter's
    claim that only carries another holder's position is that position's `reported_by`."""
    out: list[Position] = []
    ranked = sorted(
        positions,
        key=lambda p: (STANCE_PRIORITY[p.stance], -p.confidence, p.evidence.start, p.holder),
    )
    for pos in ranked:
        if pos.stance == Stance.CLAIMS and any(
            other.reported_by == pos.holder and other.holder != pos.holder and _overlap(other, pos)
            for other in positions
        ):
            continue  # "Lavrov said Moscow would not accept X": the report, not a claim of his
        clash = False
        for kept in out:
            if kept.holder != pos.holder:
                continue
            if (
                kept.stance != pos.stance
                and Stance.CLAIMS not in {kept.stance, pos.stance}
                and origin(kept.method) != origin(pos.method)
                and _distinct_cues(kept, pos)
            ):
                continue  # "we are in favour of a truce, but we need guarantees": two stances
            if (
                kept.topic != pos.topic
                and origin(kept.method) != origin(pos.method)
                and FALLBACK_TOPIC not in {kept.topic, pos.topic}
                and Stance.CLAIMS not in {kept.stance, pos.stance}
            ):
                continue  # "unwilling to negotiate directly and instead seeks talks with X"
            a, b = kept.evidence, pos.evidence
            inter = min(a.end, b.end) - max(a.start, b.start)
            if inter > 0 and inter >= 0.6 * min(a.end - a.start, b.end - b.start):
                clash = True
                break
        if not clash:
            out.append(pos)
        elif pos.reported_by:
            # keep the nested attribution of the dropped duplicate
            for i, kept in enumerate(out):
                if kept.holder == pos.holder and kept.reported_by is None and _overlap(kept, pos):
                    out[i] = dataclasses.replace(kept, reported_by=pos.reported_by)
                    break
    return out


def origin(method: str) -> str:
    """The rule that produced a position, without the rewrites it met: "cue:warned" for
    "cue:warned|rewrite:warning-about-is-claim"; two statements of one cue are one origin."""
    return "|".join(part for part in method.split("|") if not part.startswith("rewrite:"))


def _distinct_cues(a: Position, b: Position) -> bool:
    """Two cues of different stance families in one sentence, such as support and a demand."""
    families = {Stance.SUPPORTS: 0, Stance.OPPOSES: 0, Stance.DEMANDS: 1, Stance.PROPOSES: 1}
    return families.get(a.stance, 2) != families.get(b.stance, 3)


def _overlap(a: Position, b: Position) -> bool:
    return min(a.evidence.end, b.evidence.end) > max(a.evidence.start, b.evidence.start)
