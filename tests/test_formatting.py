"""One formatter for people: Danish by default, English on request, Danish time."""

from datetime import UTC, date, datetime

from tvaers.formatting import duration, integer, local_date, local_datetime, number


def test_numbers_the_danish_and_the_english_way():
    assert integer(1053071, "da") == "1.053.071"
    assert integer(1053071, "en") == "1,053,071"
    assert number(26039.46, "da", 1) == "26.039,5"
    assert number(26039.46, "en", 1) == "26,039.5"
    assert number(None, "da") == "" and number(float("nan"), "da") == ""


def test_durations():
    assert duration(4.21, "da") == "4,2 s"
    assert duration(4.21, "en") == "4.2 s"
    assert duration(185, "da") == "3 min 05 s"
    assert duration(3725, "da") == "1 t 02 min"
    assert duration(3725, "en") == "1 h 02 min"


def test_times_are_shown_in_danish_time_summer_and_winter():
    # 01:07 UTC on 6 December is 02:07 in Copenhagen (winter, UTC+1) ...
    assert local_datetime(datetime(2026, 12, 6, 1, 7, 3, tzinfo=UTC), "da") == "6.12.2026 kl. 02.07"
    # ... and 22:30 UTC on 30 June is 00:30 the next day (summer, UTC+2).
    assert local_datetime(datetime(2026, 6, 30, 22, 30, tzinfo=UTC), "en") == "1 Jul 2026 00:30"
    assert local_date(date(2027, 1, 1), "da") == "1.1.2027"
