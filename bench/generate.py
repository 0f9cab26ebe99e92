"""Write a synthetic schedule of N items (meetings, deadlines, mandates with decision
histories) for the scale benchmark. Deterministic: the same N gives the same file."""

from __future__ import annotations

import sys
from pathlib import Path


def schedule(n: int) -> str:
    out = ["[schedule]", "revision = 2026-11-28", 'title = "Synthetic schedule"', ""]
    for d in range(10):
        out += [
            "[[document]]",
            f'id = "A/RES/{d}"',
            f'symbol = "A/RES/{d}"',
            f'title = "Resolution {d}"',
            f'url = "https://undocs.org/A/RES/{d}"',
            "",
        ]
    meetings = max(1, n // 3)
    for i in range(n):
        year = 2000 + i % 30
        month = 1 + i % 12
        day = 1 + i % 20
        cycle = f"{year - year % 6}-{year - year % 6 + 6}"
        src = f"A/RES/{i % 10}"
        if i < meetings:
            out += [
                "[[meeting]]",
                f'id = "m{i}"',
                'type = "biennial-meeting"',
                f'code = "M{i}"',
                f'name = "Synthetic meeting {i}, with a comma; and a semicolon"',
                f'cycle = "{cycle}"',
                "",
                "  [[meeting.decision]]",
                f"  taken = {year - 1}-12-12",
                f'  source = "{src}"',
                '  paragraph = "7"',
                '  confidence = "confirmed"',
                f"  year = {year}",
                '  status = "scheduled"',
                "",
                "  [[meeting.decision]]",
                f"  taken = {year}-01-15",
                f'  source = "{src}"',
                '  confidence = "confirmed"',
                f"  start = {year}-{month:02d}-{day:02d}",
                f"  end = {year}-{month:02d}-{day + 4:02d}",
                '  venue = "New York"',
                "",
                "  [[meeting.decision]]",
                f"  taken = {year}-02-01",
                f'  source = "{src}"',
                '  confidence = "reported"',
                '  chair = "Ambassador X (Country)"',
                '  chair_role = "Chair-designate"',
                "",
            ]
        elif i % 2:
            out += [
                "[[deadline]]",
                f'id = "d{i}"',
                'type = "national-report"',
                f'code = "D{i}"',
                f'name = "Synthetic national report {i}"',
                f'cycle = "{cycle}"',
                f'serves = "m{i % meetings}"',
                "",
                "  [[deadline.decision]]",
                f"  taken = {year - 1}-12-12",
                f'  source = "{src}"',
                '  confidence = "confirmed"',
                f"  due = {year}-{month:02d}-{day:02d}",
                "",
                "  [[deadline.decision]]",
                f"  taken = {year}-01-10",
                f'  source = "{src}"',
                '  confidence = "confirmed"',
                f"  due = {year}-{month:02d}-{day + 5:02d}",
                "",
            ]
        else:
            out += [
                "[[mandate]]",
                f'id = "x{i}"',
                'type = "report"',
                f'code = "X{i}"',
                f'name = "Synthetic mandate {i}"',
                f'cycle = "{cycle}"',
                'addressee = "Secretary-General"',
                "",
                "  [[mandate.decision]]",
                f"  taken = {year - 1}-12-12",
                f'  source = "{src}"',
                '  paragraph = "25"',
                '  confidence = "confirmed"',
                f'  due_at = "m{i % meetings}"',
                '  status = "open"',
                "",
                "  [[mandate.decision]]",
                f"  taken = {year}-09-01",
                f'  source = "{src}"',
                '  confidence = "confirmed"',
                '  status = "fulfilled"',
                "",
            ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    n = int(sys.argv[1])
    Path(sys.argv[2]).write_text(schedule(n), encoding="utf-8")
