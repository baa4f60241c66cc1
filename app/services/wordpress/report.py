"""What an import did, or would do: counts per kind, what was skipped and why, what was lost.

The report is the promise that nothing is lost silently: every record of the file is
counted as created, updated or skipped (with its reason), and markup that could not be
carried over is listed per post or comment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("accounts", "guests", "topics", "articles", "pages", "comments", "addresses")


@dataclass
class ImportReport:
    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # "reason" -> how many
    losses: list[str] = field(default_factory=list)  # markup not carried over, per item
    # Fields with no place here, counted: "commenters' web addresses" -> how many.
    unkept: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def lost(self, where: str, what: list[str]) -> None:
        if what:
            counted = Counter(what)
            listed = ", ".join(
                f"{item} ×{count}" if count > 1 else item for item, count in counted.items()
            )
            self.losses.append(f"{where}: {listed}")

    def lines(self) -> list[str]:
        head = "Dry run: nothing was written. It would have:" if self.dry_run else "Imported:"
        lines = [head]
        for kind in KINDS:
            if self.created[kind] or self.updated[kind]:
                lines.append(
                    f"  {kind}: {self.created[kind]} created, {self.updated[kind]} updated"
                )
        if self.skipped:
            lines.append(f"Skipped ({sum(self.skipped.values())}):")
            lines += [f"  {reason}: {count}" for reason, count in sorted(self.skipped.items())]
        if self.losses or self.unkept:
            lines.append(f"Not carried over ({len(self.losses) + len(self.unkept)}):")
            lines += [f"  {what}: {count}" for what, count in sorted(self.unkept.items())]
            lines += [f"  {line}" for line in self.losses]
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"  {line}" for line in self.warnings]
        return lines
