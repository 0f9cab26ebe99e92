from datetime import date

import pytest

from poacal.model import Precision, When, range_label


@pytest.mark.parametrize(
    ("when", "label"),
    [
        (
            When(precision=Precision.DAY, start=date(2021, 7, 26), end=date(2021, 7, 30)),
            "26–30 July 2021",
        ),
        (
            When(precision=Precision.DAY, start=date(2022, 6, 27), end=date(2022, 7, 1)),
            "27 June–1 July 2022",
        ),
        (
            When(precision=Precision.DAY, start=date(2026, 5, 15), end=date(2026, 5, 15)),
            "15 May 2026",
        ),
        (When(precision=Precision.YEAR, year=2028), "2028 (dates not yet set)"),
        (When(precision=Precision.YEAR, year=2022, length="one week"), "2022 (one week)"),
        (When(precision=Precision.EARLY, year=2024, length="five days"), "early 2024 (five days)"),
        (When(precision=Precision.EARLY, year=2024), "early 2024 (dates not yet set)"),
        (When(precision=Precision.MONTH, year=2028, month=6), "June 2028 (dates not yet set)"),
        (When(precision=Precision.UNSET), "not yet set"),
    ],
)
def test_labels_never_show_a_partial_date_as_firm(when: When, label: str) -> None:
    assert when.label() == label
    assert when.firm is (when.precision is Precision.DAY)


def test_range_across_years() -> None:
    assert range_label(date(2021, 12, 30), date(2022, 1, 2)) == "30 December 2021–2 January 2022"


@pytest.mark.parametrize(
    ("when", "earliest", "latest"),
    [
        (When(precision=Precision.YEAR, year=2028), date(2028, 1, 1), date(2028, 12, 31)),
        (When(precision=Precision.EARLY, year=2024), date(2024, 1, 1), date(2024, 4, 30)),
        (
            When(precision=Precision.MONTH, year=2028, month=12),
            date(2028, 12, 1),
            date(2028, 12, 31),
        ),
        (When(precision=Precision.MONTH, year=2028, month=2), date(2028, 2, 1), date(2028, 2, 29)),
        (When(precision=Precision.UNSET), None, None),
    ],
)
def test_bounds_of_partial_dates(when: When, earliest: date | None, latest: date | None) -> None:
    assert when.earliest() == earliest
    assert when.latest() == latest


def test_end_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before start"):
        When(precision=Precision.DAY, start=date(2022, 6, 27), end=date(2022, 6, 20))


def test_a_past_partial_date_is_not_recorded_rather_than_not_yet_set() -> None:
    assert When(precision=Precision.YEAR, year=2011).label(held=True) == (
        "2011 (exact dates not recorded)"
    )
    assert When(precision=Precision.UNSET).label(held=True) == "not recorded"
    assert When(precision=Precision.YEAR, year=2022, length="one week").label(held=True) == (
        "2022 (one week)"
    )
