from datetime import date

import pytest

from poacal.windows import lead_days, window_start

AS_OF = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("30d", date(2026, 3, 1)),
        ("6w", date(2026, 2, 17)),
        ("1m", date(2026, 2, 28)),  # relativedelta clips to the month's last day
        ("1y", date(2025, 3, 31)),
        (" 3M ", date(2025, 12, 31)),
        ("2024-02-29", date(2024, 2, 29)),
        ("soon", None),
        ("30", None),
        ("2024-02-30", None),
    ],
)
def test_window_start(text: str, start: date | None) -> None:
    assert window_start(text, AS_OF) == start


@pytest.mark.parametrize(
    ("text", "days"),
    [("30d", 30), ("2w", 14), ("0d", None), ("9999d", None), ("7", None), ("1m", None)],
)
def test_lead_days(text: str, days: int | None) -> None:
    assert lead_days(text) == days
