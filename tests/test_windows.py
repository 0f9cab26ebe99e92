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


# Each edge on both sides (issue 19: mutants of windows.py that survived the suite).


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("1d", 1),
        (" 30D ", 30),
        ("3660d", 3660),  # the longest lead time, and one day more
        ("3661d", None),
        ("522w", 3654),
        ("523w", None),
        ("00001d", 1),  # five digits at most
        ("000001d", None),
        ("１d", None),  # a digit, but not an ASCII one
        ("d", None),
        ("", None),
        ("3x", None),
        ("-3d", None),
    ],
)
def test_lead_days_edges(text: str, days: int | None) -> None:
    assert lead_days(text) == days


def test_window_end_and_start_stay_in_the_years_poacal_counts() -> None:
    from poacal.windows import window_end

    assert window_end("1d", date(2100, 12, 30)) == date(2100, 12, 31)
    assert window_end("2d", date(2100, 12, 30)) is None
    assert window_start("1d", date(1945, 1, 2)) == date(1945, 1, 1)
    assert window_start("2d", date(1945, 1, 2)) is None
    assert window_end("14d", AS_OF) == date(2026, 4, 14)
    assert window_end("1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert window_end("2027-01-01", AS_OF) == date(2027, 1, 1)
    assert window_end("soon", AS_OF) is None
    assert window_end("9999y", AS_OF) is None
    assert window_start("9999y", AS_OF) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2026, 3, 31)),
        ("  Tomorrow ", date(2026, 4, 1)),
        ("YESTERDAY", date(2026, 3, 30)),
        ("+30d", date(2026, 4, 30)),
        ("- 1y", date(2025, 3, 31)),
        ("+2W", date(2026, 4, 14)),
        ("+1m", date(2026, 4, 30)),
        (" 2026-02-28 ", date(2026, 2, 28)),
        ("1 June 2021", date(2021, 6, 1)),
        ("June 1, 2021", date(2021, 6, 1)),
        ("1945-01-01", date(1945, 1, 1)),
        (" " * 29 + "1 June 2021", date(2021, 6, 1)),  # 40 characters: the longest read
        ("2100-12-31", date(2100, 12, 31)),
    ],
)
def test_read_day(text: str, day: date) -> None:
    from poacal.windows import read_day

    assert read_day(text, AS_OF) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("+100y", "'+100y' is out of range"),
        ("-100y", "'-100y' is out of range"),
        ("1944-12-31", "'1944-12-31' is out of range; poacal counts from 1945 to 2100"),
        ("2101-01-01", "'2101-01-01' is out of range; poacal counts from 1945 to 2100"),
        ("1 June 1900", "'1 June 1900' is out of range; poacal counts from 1945 to 2100"),
        ("June 2021", "'June 2021' is not a whole date; give day, month and year"),
        ("1 June", "'1 June' is not a whole date; give day, month and year"),
        ("1st 2021", "'1st 2021' is not a whole date; give day, month and year"),
        (" " * 30 + "1 June 2021", "cannot read"),  # 41 characters
        ("1 June 2021 10:00", "'1 June 2021 10:00': give a date without a time of day"),
        ("1 Juneish 2021", "cannot read '1 Juneish 2021' as a date; write e.g. 1 June 2021"),
        ("02/03/2021", "cannot read '02/03/2021' as a date; use YYYY-MM-DD"),
        ("1 Juni 2021 " + "x" * 40, "cannot read"),
        ("1 июня 2021", "cannot read '1 июня 2021' as a date; use YYYY-MM-DD"),
    ],
)
def test_read_day_says_why(text: str, message: str) -> None:
    from poacal.windows import DateError, read_day

    with pytest.raises(DateError) as caught:
        read_day(text, AS_OF)
    assert str(caught.value).startswith(message)


def test_in_range_edges() -> None:
    from poacal.windows import in_range

    assert in_range(date(1945, 1, 1)) and in_range(date(2100, 12, 31))
    assert not in_range(date(1944, 12, 31)) and not in_range(date(2101, 1, 1))


def test_windows_read_named_and_relative_days_from_the_as_of_date() -> None:
    from poacal.windows import window_end

    assert window_start("yesterday", AS_OF) == date(2026, 3, 30)
    assert window_end("tomorrow", AS_OF) == date(2026, 4, 1)
    assert window_start("-1w", AS_OF) == date(2026, 3, 24)
    assert window_end("+1w", AS_OF) == date(2026, 4, 7)
