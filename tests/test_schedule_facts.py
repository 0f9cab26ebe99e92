"""Key facts of the embedded schedule, so a careless edit of schedule.toml fails."""

from __future__ import annotations

from datetime import date

from poacal.model import Confidence, Kind, Precision, Schedule, Status
from poacal.queries import Standing, rows, state_of


def test_every_item_has_a_source_and_confidence(embedded: Schedule) -> None:
    for item in embedded.items:
        assert item.decisions, item.id
        for d in item.decisions:
            assert d.source in embedded.documents, (item.id, d.source)
            assert isinstance(d.confidence, Confidence)
    for doc in embedded.documents.values():
        assert doc.url.startswith(("https://", "http://")), doc.id


def test_bms7_two_sets_of_dates(embedded: Schedule) -> None:
    first = state_of(embedded, "bms7", date(2020, 1, 1))
    assert first is not None
    assert (first.when.start, first.when.end) == (date(2020, 6, 15), date(2020, 6, 19))
    assert first.status is Status.SCHEDULED
    postponed = state_of(embedded, "bms7", date(2020, 6, 1))
    assert postponed is not None
    assert postponed.status is Status.POSTPONED
    assert postponed.when.precision is Precision.YEAR and postponed.when.year == 2021
    held = state_of(embedded, "bms7", date(2021, 6, 1))
    assert held is not None
    assert (held.when.start, held.when.end) == (date(2021, 7, 26), date(2021, 7, 30))
    assert held.format == "hybrid"
    assert held.dates_from is not None and held.dates_from.source == "A/RES/75/241"
    assert state_of(embedded, "bms7", date(2022, 1, 1)).chair == (  # type: ignore[union-attr]
        "Ambassador Martin Kimani (Kenya)"
    )


def test_revcon4_dates_and_president(embedded: Schedule) -> None:
    st = state_of(embedded, "revcon4", date(2026, 11, 28))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2024, 6, 18), date(2024, 6, 28))
    assert st.status is Status.HELD
    assert st.chair == "Ambassador Maritza Chan Valverde (Costa Rica)"
    assert st.chair_role == "President"
    early = state_of(embedded, "revcon4", date(2024, 3, 1))
    assert early is not None and early.when.start == date(2024, 6, 17)


def test_prepcom_was_early_2024_before_its_dates_were_set(embedded: Schedule) -> None:
    st = state_of(embedded, "prepcom4", date(2023, 1, 1))
    assert st is not None
    assert st.when.label() == "early 2024 (five days)"
    later = state_of(embedded, "prepcom4", date(2024, 3, 1))
    assert later is not None
    assert (later.when.start, later.when.end) == (date(2024, 2, 12), date(2024, 2, 16))


def test_2024_2030_cycle(embedded: Schedule) -> None:
    today = date(2026, 11, 28)
    bms9 = state_of(embedded, "bms9", today)
    assert bms9 is not None
    assert (bms9.when.start, bms9.when.end) == (date(2026, 6, 1), date(2026, 6, 5))
    # Larsen was endorsed as Chair-designate; no source says he chaired BMS9, so once it
    # is over he is no longer shown as its chair (issue 11)
    assert bms9.chair is None
    before = state_of(embedded, "bms9", date(2026, 5, 1))
    assert before is not None and before.chair == "H.E. Mr James Larsen (Australia)"
    assert before.chair_role == "Chair-designate"
    for item_id, year in (("bms10", 2028), ("oeteg-2028", 2028), ("revcon5", 2030)):
        st = state_of(embedded, item_id, today)
        assert st is not None
        assert st.when.precision is Precision.YEAR and st.when.year == year
        assert st.when.label() == f"{year} (dates not yet set)"


def test_deadlines_and_mandates_of_74_60(embedded: Schedule) -> None:
    assert state_of(embedded, "views-diversion-2020", date(2020, 1, 1)).due == (  # type: ignore[union-attr]
        date(2020, 2, 29)
    )
    assert state_of(embedded, "reports-2026", date(2026, 4, 1)).due == date(2026, 5, 15)  # type: ignore[union-attr]
    mandates = {i.id for i in embedded.items if i.kind is Kind.MANDATE}
    assert mandates == {
        "sg-report-ga75",
        "sg-diversion-views",
        "sec-trends-analysis",
        "sec-un-support",
        "ga75-agenda-item",
    }


def test_tied_mandate_moves_with_its_meeting(embedded: Schedule) -> None:
    before = state_of(embedded, "sec-trends-analysis", date(2020, 1, 1))
    after = state_of(embedded, "sec-trends-analysis", date(2021, 1, 1))
    assert before is not None and after is not None
    assert before.due == date(2020, 6, 15)
    assert after.due == date(2021, 7, 26)
    assert after.tied_to == "bms7"


def test_nothing_is_overdue_today_in_the_embedded_data(embedded: Schedule) -> None:
    today = date(2026, 11, 28)
    assert [r.item.id for r in rows(embedded, today) if r.standing is Standing.OVERDUE] == []


# The third research pass (shared/facts/poa-cycle-update-2026-11.md, N1-N22).


def test_revision_of_the_third_pass(embedded: Schedule) -> None:
    assert embedded.revision == date(2026, 11, 30)


def test_mge1_dates_chair_and_sources(embedded: Schedule) -> None:
    st = state_of(embedded, "mge1", date(2026, 11, 30))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2011, 5, 9), date(2011, 5, 13))
    assert st.chair == "Jim McLay (New Zealand)" and st.status is Status.HELD
    assert st.venue == "New York (UN Headquarters)"
    assert st.dates_from is not None and st.dates_from.confidence is Confidence.REPORTED
    assert st.decisions[-1].source == "dyb-2011-part2"  # the chair: a UNODA publication
    assert st.decisions[-1].confidence is Confidence.CONFIRMED


def test_mge2_dates_chair_reported(embedded: Schedule) -> None:
    st = state_of(embedded, "mge2", date(2026, 11, 30))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2015, 6, 1), date(2015, 6, 5))
    assert st.chair == "Amb. Vlad Lupan (Moldova)" and st.status is Status.HELD
    assert all(d.confidence is Confidence.REPORTED for d in st.decisions)


def test_bms6_dates_chair_and_outcome(embedded: Schedule) -> None:
    st = state_of(embedded, "bms6", date(2026, 11, 30))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2016, 6, 6), date(2016, 6, 10))
    assert st.chair == "Amb. E. Courtenay Rattray (Jamaica)" and st.status is Status.HELD
    assert st.outcome == "A/CONF.192/BMS/2016/WP.1/Rev.3, adopted by consensus on 10 June 2016"
    assert st.dates_from is not None and st.dates_from.confidence is Confidence.CONFIRMED
    assert st.dates_from.source == "unoda-meetings-bms6"


def test_bms8_dates_set_by_76_232(embedded: Schedule) -> None:
    st = state_of(embedded, "bms8", date(2022, 1, 1))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2022, 6, 27), date(2022, 7, 1))
    assert st.dates_from is not None and st.dates_from.source == "A/RES/76/232"
    assert st.dates_from.confidence is Confidence.REPORTED and not st.dates_from.taken_exact
    assert "japan-2021-11-22" in st.dates_from.also


def test_still_open_stays_open(embedded: Schedule) -> None:
    """BMS9's outcome and OETEG 2026's dates are still unconfirmed after the third pass."""
    bms9 = state_of(embedded, "bms9", date(2026, 11, 30))
    assert bms9 is not None and bms9.outcome is None
    oeteg = [i for i in embedded.items if i.type == "technical-expert-group"]
    for item in oeteg:
        st = state_of(embedded, item.id, date(2026, 11, 30))
        assert st is not None and (not st.when.firm or st.confidence is not Confidence.CONFIRMED)
