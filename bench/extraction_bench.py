"""How well tracker.extraction reads directives: the labelled set, per split and per document.

    .venv/bin/python bench/extraction_bench.py [--quiet] [--tuning]

Reads tests/extraction_set/*.yaml (split: tuning) and tests/extraction_set/holdout/*.yaml
(split: holdout), proposes tasks for each text against the demo's department directory (no
database), and compares with the labels:
- recall: labels whose source fragment lies inside some proposal's source (compared folded);
- precision: proposals that contain some label's fragment;
- deadline: kind, due date and frequency equal, or both bound to an event;
- lead: the label's directory department, or "@kind" for a group ("@ubnd_cap_xa"; "@a+b" for one
  addressee of two kinds, the proposal's group "a,b"; a narrowed group such as "các sở, ngành liên
  quan" also answers "@so_ban_nganh"), or for a unit not in the directory the words as written
  (the proposal has no department and its words contain the label's); "" means no lead;
- coordinators: the same rule, as a set;
- output: the OutputKind value.
Every miss is listed so the closing note can say which shapes are still missed.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "tests" / "extraction_set"


def _setup() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def demo_directory() -> Any:
    """The demo's 14 city departments and 114 wards, unsaved: no database needed."""
    from accounts.models import Department, DepartmentKind
    from tracker import demo
    from tracker.extraction import Directory

    departments = [
        Department(pk=i, name=name, code=code, kind=DepartmentKind.SO_BAN_NGANH)
        for i, (code, name) in enumerate(demo.CITY_DEPARTMENTS, start=1)
    ]
    start = len(departments) + 1
    departments += [
        Department(pk=i, name=name, code=code, kind=DepartmentKind.UBND_CAP_XA)
        for i, (code, name) in enumerate(demo.ward_rows(), start=start)
    ]
    return Directory(departments)


def load_documents(folder: Path) -> list[dict[str, Any]]:
    import yaml

    documents = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["path"] = path.name
        documents.append(data)
    return documents


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass
class Score:
    labels: int = 0
    found: int = 0
    proposals: int = 0
    matched_proposals: int = 0
    deadline: int = 0
    lead: int = 0
    coordinators: int = 0
    output: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "labels",
            "found",
            "proposals",
            "matched_proposals",
            "deadline",
            "lead",
            "coordinators",
            "output",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    def rate(self, name: str) -> float:
        if name == "precision":
            return self.matched_proposals / self.proposals if self.proposals else 1.0
        return getattr(self, name) / self.labels if self.labels else 1.0


def _mention_matches(label: str, mention: Any, names: dict[str, int]) -> bool:
    from accounts.matching import fold

    if mention is None:
        return not label
    if not label:
        return False
    if label.startswith("@"):
        # "@so_ban_nganh+ubnd_cap_xa": one addressee of both kinds, group "so_ban_nganh,ubnd_cap_xa"
        kinds = label[1:].replace("+", ",")
        if mention.group:
            return mention.group == kinds
        # "các sở, ngành liên quan", "UBND các xã, phường có di tích": the labels write the group;
        # the extractor keeps a narrowed group's words (only some of its departments).
        from tracker.extraction import group_named

        return mention.department_id is None and group_named(mention.words) == kinds
    if label in names:
        return mention.department_id == names[label]
    return mention.department_id is None and fold(label) in fold(mention.words)


def _deadline_matches(label: dict[str, Any] | None, deadline: Any) -> bool:
    label = label or {}
    kind = label.get("kind") or ""
    if label.get("event"):
        return deadline is not None and bool(deadline.event)
    if not kind:
        return deadline is None or (not deadline.kind and not deadline.event)
    return (
        deadline is not None
        and deadline.kind == kind
        and deadline.due_date == _date(label.get("due_date"))
        and (deadline.frequency or "") == (label.get("frequency") or "")
    )


def score_document(document: dict[str, Any], directory: Any) -> Score:
    from accounts.matching import fold
    from tracker.extraction import propose

    names = {entry.name: entry.department_id for entry in directory.entries.values()}
    proposals = propose(
        document["text"], directory=directory, document_date=_date(document.get("document_date"))
    )
    score = Score(proposals=len(proposals))
    name = document["path"]
    sources = [fold(p.source) for p in proposals]
    labels = document.get("tasks") or []
    used: set[int] = set()
    for label in labels:
        score.labels += 1
        fragment = fold(label["source"])
        hits = [i for i, source in enumerate(sources) if fragment in source]
        if not hits:
            score.misses.append(f"{name}: NOT FOUND “{label['source']}”")
            continue
        score.found += 1
        index = next((i for i in hits if i not in used), hits[0])
        used.add(index)
        proposal = proposals[index]
        if _deadline_matches(label.get("deadline"), proposal.deadline):
            score.deadline += 1
        else:
            got = proposal.deadline
            score.misses.append(
                f"{name}: WRONG DEADLINE “{label['source'][:50]}” want {label.get('deadline')} "
                f"got {got and (got.kind, got.due_date, got.frequency, got.event)} "
                f"(“{proposal.deadline_text}”)"
            )
        if _mention_matches(label.get("lead") or "", proposal.lead, names):
            score.lead += 1
        else:
            got = proposal.lead
            score.misses.append(
                f"{name}: WRONG LEAD “{label['source'][:50]}” want “{label.get('lead')}” got "
                f"{got and (got.words, got.department_id, got.group)}"
            )
        wanted = list(label.get("coordinators") or [])
        got_coordinators = list(proposal.coordinators)
        ok = len(wanted) == len(got_coordinators)
        remaining = list(got_coordinators)
        for want in wanted:
            match = next((m for m in remaining if _mention_matches(want, m, names)), None)
            if match is None:
                ok = False
                break
            remaining.remove(match)
        if ok:
            score.coordinators += 1
        else:
            score.misses.append(
                f"{name}: WRONG COORDINATORS “{label['source'][:50]}” want {wanted} got "
                f"{[(m.words, m.department_id, m.group) for m in got_coordinators]}"
            )
        if (label.get("output_kind") or "") == proposal.output_kind:
            score.output += 1
        else:
            score.misses.append(
                f"{name}: WRONG OUTPUT “{label['source'][:50]}” want "
                f"“{label.get('output_kind') or ''}” got “{proposal.output_kind}”"
            )
    fragments = [fold(label["source"]) for label in labels]
    for proposal, source in zip(proposals, sources, strict=True):
        if any(fragment in source for fragment in fragments):
            score.matched_proposals += 1
        else:
            score.misses.append(f"{name}: FALSE PROPOSAL “{proposal.source[:100]}”")
    return score


COLUMNS = ("labels", "recall", "precision", "deadline", "lead", "coordinators", "output")


def _row(title: str, score: Score) -> str:
    cells = [f"{title[:38]:38}", f"{score.labels:6d}"]
    cells += [f"{score.rate(name):6.2f}" for name in COLUMNS[1:] if name != "recall"]
    cells.insert(2, f"{score.rate('found'):6.2f}")
    return " ".join(cells)


def run(
    *, quiet: bool = False, splits: tuple[str, ...] = ("tuning", "holdout")
) -> dict[str, Score]:
    _setup()
    directory = demo_directory()
    totals: dict[str, Score] = {}
    folders = {"tuning": SET_DIR, "holdout": SET_DIR / "holdout"}
    for split in splits:
        folder = folders[split]
        documents = load_documents(folder) if folder.is_dir() else []
        total = Score()
        rows = []
        for document in documents:
            score = score_document(document, directory)
            total.add(score)
            rows.append(_row(document["path"], score))
        totals[split] = total
        if quiet:
            continue
        header = f"{'document (' + split + ')':38} " + " ".join(f"{c[:6]:>6}" for c in COLUMNS)
        print(header)
        print("\n".join(rows) or "(no documents)")
        print(_row(f"TOTAL {split} ({len(documents)} documents)", total))
        print()
    return totals


def main() -> None:
    quiet = "--quiet" in sys.argv
    # While the extractor is being tuned, --tuning keeps the holdout texts unread.
    splits = ("tuning",) if "--tuning" in sys.argv else ("tuning", "holdout")
    started = time.perf_counter()
    totals = run(quiet=quiet, splits=splits)
    for split, total in totals.items():
        if total.misses:
            print(f"Misses, {split}:")
            for miss in total.misses:
                print("  " + miss)
            print()
    # Speed: a 30-page text (about 100 KB) should take well under a second.
    from tracker.extraction import propose

    documents = load_documents(SET_DIR)
    # The recipients line ends a letter; a long text made of several letters must not stop there.
    big = "\n\n".join(d["text"].replace("Nơi nhận", "Ghi chú") for d in documents)
    while len(big) < 100_000:
        big += "\n\n" + big
    directory = demo_directory()
    t0 = time.perf_counter()
    count = len(propose(big, directory=directory))
    elapsed = time.perf_counter() - t0
    print(
        f"Speed: {len(big) // 1000} KB → {count} proposals in {elapsed:.2f} s "
        f"(whole run {time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
