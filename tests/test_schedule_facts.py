"""Key facts of the embedded schedule, so a careless edit of schedule.toml fails."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from poacal.fold import state_of
from poacal.model import Confidence, Kind, Precision, Schedule, Status
from poacal.queries import Standing, rows


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
    assert held.fact("format") == "hybrid"
    assert held.dates_from is not None and held.dates_from.source == "A/RES/75/241"
    assert state_of(embedded, "bms7", date(2022, 1, 1)).fact("chair") == (  # type: ignore[union-attr]
        "Ambassador Martin Kimani (Kenya)"
    )


def test_revcon4_dates_and_president(embedded: Schedule) -> None:
    st = state_of(embedded, "revcon4", date(2026, 11, 28))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2024, 6, 18), date(2024, 6, 28))
    assert st.status is Status.HELD
    assert st.fact("chair") == "Ambassador Maritza Chan Valverde (Costa Rica)"
    assert st.fact("chair_role") == "President"
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
    assert bms9.fact("chair") is None
    before = state_of(embedded, "bms9", date(2026, 5, 1))
    assert before is not None and before.fact("chair") == "H.E. Mr James Larsen (Australia)"
    assert before.fact("chair_role") == "Chair-designate"
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
    assert {m for m in mandates if embedded.get(m).cycle == "2018-2024"} == {  # type: ignore[union-attr]
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


def test_revision_of_the_fourth_and_fifth_passes(embedded: Schedule) -> None:
    assert embedded.revision == date(2026, 12, 3)


def test_mge1_dates_chair_and_sources(embedded: Schedule) -> None:
    st = state_of(embedded, "mge1", date(2026, 11, 30))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2011, 5, 9), date(2011, 5, 13))
    assert st.fact("chair") == "Jim McLay (New Zealand)" and st.status is Status.HELD
    assert st.fact("venue") == "New York (UN Headquarters)"
    # resolution 65/64, as the UN Disarmament Yearbook 2011 states it (fourth pass, D8)
    assert st.dates_from is not None and st.dates_from.confidence is Confidence.CONFIRMED
    assert st.dates_from.source == "A/RES/65/64" and st.dates_from.taken == date(2010, 12, 8)
    assert st.decisions[-1].source == "dyb-2011-part2"  # the chair: a UNODA publication
    assert st.decisions[-1].confidence is Confidence.CONFIRMED


def test_mge2_dates_chair_reported(embedded: Schedule) -> None:
    st = state_of(embedded, "mge2", date(2026, 11, 30))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2015, 6, 1), date(2015, 6, 5))
    assert st.fact("chair") == "Amb. Vlad Lupan (Moldova)" and st.status is Status.HELD
    assert all(d.confidence is Confidence.REPORTED for d in st.decisions)


def test_bms6_dates_chair_and_outcome(embedded: Schedule) -> None:
    st = state_of(embedded, "bms6", date(2026, 11, 30))
    assert st is not None
    assert (st.when.start, st.when.end) == (date(2016, 6, 6), date(2016, 6, 10))
    assert st.fact("chair") == "Amb. E. Courtenay Rattray (Jamaica)" and st.status is Status.HELD
    assert (
        st.fact("outcome") == "A/CONF.192/BMS/2016/WP.1/Rev.3, adopted by consensus on 10 June 2016"
    )
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
    assert bms9 is not None and bms9.fact("outcome") is None
    oeteg = [i for i in embedded.items if i.type == "technical-expert-group"]
    for item in oeteg:
        st = state_of(embedded, item.id, date(2026, 11, 30))
        assert st is not None and (not st.when.firm or st.confidence is not Confidence.CONFIRMED)


# The fourth research pass (poa-cycle-update-2026-12.md, D1-D24) and the history
# 2001-2018 (poa-history-2001-2018.md, H1-H59); each fact at the edge of the day it
# became known.


def known(embedded: Schedule, item_id: str, day: date) -> bool:
    st = state_of(embedded, item_id, day)
    return st is not None and st.known


def test_80_38_fixes_bms9_and_adds_the_2030_preparatory_committee(embedded: Schedule) -> None:
    before = state_of(embedded, "bms9", date(2025, 11, 30))
    after = state_of(embedded, "bms9", date(2025, 12, 1))
    assert before is not None and after is not None
    assert before.when.label() == "2026 (dates not yet set)"
    assert (after.when.start, after.when.end) == (date(2026, 6, 1), date(2026, 6, 5))
    assert after.dates_from is not None and after.dates_from.source == "A/RES/80/38"
    assert after.dates_from.confidence is Confidence.CONFIRMED
    assert not known(embedded, "prepcom5", date(2025, 11, 30))
    prep = state_of(embedded, "prepcom5", date(2025, 12, 1))
    assert prep is not None and prep.when.label() == "early 2030 (not more than five days)"


def test_bms9_exists_from_the_outcome_that_set_the_cycle(embedded: Schedule) -> None:
    assert not known(embedded, "bms9", date(2024, 6, 27))
    assert known(embedded, "bms9", date(2024, 6, 28))


def test_nr_2026_exists_before_its_platform_opened(embedded: Schedule) -> None:
    st = state_of(embedded, "reports-2026", date(2026, 3, 1))
    assert st is not None and st.known and st.when.label() == "2026 (dates not yet set)"


def test_nr_2020_is_known_from_74_60_not_before(embedded: Schedule) -> None:
    assert not known(embedded, "reports-2020", date(2019, 12, 11))
    assert known(embedded, "reports-2020", date(2019, 12, 12))


def test_undated_decisions_count_from_the_review_conference_that_opened_the_cycle(
    embedded: Schedule,
) -> None:
    # NR 2016 has no dated source: it counts from RevCon2's last day, not 1 January 2012
    assert not known(embedded, "reports-2016", date(2012, 9, 6))
    assert known(embedded, "reports-2016", date(2012, 9, 7))


def test_a_held_report_never_counts_before_the_meeting_can_have_ended(
    embedded: Schedule,
) -> None:
    """The OETEG 2026 transcript is undated: "held" counts from the last day of June
    2026 (the month 80/38 placed it in), and is reported, not confirmed."""
    before = state_of(embedded, "oeteg-2026", date(2026, 6, 29))
    after = state_of(embedded, "oeteg-2026", date(2026, 6, 30))
    assert before is not None and after is not None
    assert before.status is Status.SCHEDULED and after.status is Status.HELD
    assert after.decisions[-1].confidence is Confidence.REPORTED


@pytest.mark.parametrize(
    ("item_id", "start", "end", "source"),
    [
        ("bms1", date(2003, 7, 7), date(2003, 7, 11), "DC/2871"),
        ("bms2", date(2005, 7, 11), date(2005, 7, 15), "A/RES/59/86"),
        ("prepcom1", date(2006, 1, 9), date(2006, 1, 20), "DC/3011"),
        ("revcon1", date(2006, 6, 26), date(2006, 7, 7), "DC/3011"),
        ("bms3", date(2008, 7, 14), date(2008, 7, 18), "DC/3124"),
        ("bms4", date(2010, 6, 14), date(2010, 6, 18), "un-press-macedo-2010"),
        ("prepcom2", date(2012, 3, 19), date(2012, 3, 23), "A/RES/66/47"),
        ("revcon2", date(2012, 8, 27), date(2012, 9, 7), "DC/3389"),
        ("bms5", date(2014, 6, 16), date(2014, 6, 20), "afghanistan-bms5"),
        ("prepcom3", date(2018, 3, 19), date(2018, 3, 23), "france-prepcom-2018"),
    ],
)
def test_the_history_since_2001_has_sourced_dates(
    embedded: Schedule, item_id: str, start: date, end: date, source: str
) -> None:
    st = state_of(embedded, item_id, date(2026, 12, 3))
    assert st is not None and (st.when.start, st.when.end) == (start, end)
    assert st.status is Status.HELD
    assert st.dates_from is not None and st.dates_from.source == source
    assert source in embedded.documents and embedded.documents[source].url


# Documents in the six official languages.


def test_show_links_the_language_asked_for() -> None:
    from tests.test_honest import run

    for args in (["show", "bms7", "--lang", "fr"], ["--lang", "fr", "show", "bms7"]):
        code, out, _ = run(*args)
        assert code == 0 and "https://undocs.org/fr/A/RES/74/60" in out, args
        assert "https://undocs.org/A/RES/74/60" not in out
    _, out, _ = run("show", "bms7")
    assert "https://undocs.org/A/RES/74/60" in out and "undocs.org/fr/" not in out
    # a web page has one link whatever the language
    _, out, _ = run("show", "bms7", "--lang", "zh")
    assert "https://undocs.org/zh/A/RES/74/60" in out
    assert "https://meetings.unoda.org/" in out or "https://www.un.org/" in out


def test_json_carries_every_language(embedded: Schedule) -> None:
    import json

    from tests.test_honest import run

    _, out, _ = run("show", "bms7", "--json", "--lang", "ru")
    sources = [s for d in json.loads(out)["item"]["decisions"] for s in d["sources"]]
    res = next(s for s in sources if s["id"] == "A/RES/74/60")
    assert res["url"] == "https://undocs.org/A/RES/74/60"
    assert res["urls"] == {c: f"https://undocs.org/{c}/A/RES/74/60" for c in LANGS}
    page = next(s for s in sources if s["symbol"] is None)
    assert page["urls"] == {}
    # an unedited paper only in English
    crp = embedded.documents["A/CONF.192/2024/RC/CRP.1/Rev.3"]
    assert crp.languages == ("en",)


LANGS = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"POACAL_LANG": "es"}, "es"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "ru_RU.UTF-8", "LANG": "fr_FR.UTF-8"}, "ru"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_default_language(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    from poacal import languages

    for var in ("POACAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert languages.default() == expected


def test_an_unknown_language_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_honest import run

    code, _, err = run("show", "bms7", "--lang", "de")
    assert code == 2 and "'de' is not one of: ar, zh, en, fr, ru, es" in err
    monkeypatch.setenv("POACAL_LANG", "xx")
    code, _, err = run("deadlines")
    assert code == 2 and "POACAL_LANG" in err


def test_the_feed_page_offers_every_language(tmp_path: Path) -> None:
    from tests.test_honest import run

    assert run("export", "site", str(tmp_path), "--as-of", "2026-03-01", "--lang", "ar")[0] == 0
    page = (tmp_path / "index.html").read_text()
    for c in LANGS:
        assert f'href="https://undocs.org/{c}/A/RES/80/38" hreflang="{c}"' in page
    ics = (tmp_path / "poacal.ics").read_text()
    assert "https://undocs.org/ar/" in ics.replace("\r\n ", "")


def test_remind_lines_link_the_language(tmp_path: Path) -> None:
    from tests.test_honest import run

    _, out, _ = run("remind", "--kind", "mandates", "--as-of", "2021-07-20", "--lang", "es")
    assert "https://undocs.org/es/A/RES/74/60" in out
