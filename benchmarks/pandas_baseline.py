"""Baseline for the indicator benchmark: one indicator written the straightforward way in
pandas — preventable admissions among the 65+ per year and municipality (crude numerator
and denominator), from the warehouse tables, following spec/indicators.md.

It reads the definition's code list and limits from the catalogue, so it counts the same
thing as the engine; indicators_benchmark.py checks that it does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tvaers.indicators.catalogue import load


def _frame(con, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _age(birth: pd.Series, on: pd.Series) -> pd.Series:
    b, o = pd.to_datetime(birth), pd.to_datetime(on)
    before_birthday = (o.dt.month * 100 + o.dt.day) < (b.dt.month * 100 + b.dt.day)
    return o.dt.year - b.dt.year - before_birthday.astype(int)


def preventable_by_municipality(db: Path) -> list[list]:
    cat = load()
    ind = cat.get("preventable_admissions_65plus")
    prefixes = tuple(c for s in ind.strata if s.id for c in s.codes)
    gap = pd.Timedelta(hours=cat.blocks.link_gap_hours)
    con = duckdb.connect(str(db), read_only=True)
    con.execute("SET TimeZone = 'Europe/Copenhagen'")
    contacts = _frame(
        con,
        """SELECT contact_id, person_no, sector, priority, diagnosis, "start", "end"
           FROM hospital_contacts WHERE contact_type = 'physical' AND "end" IS NOT NULL""",
    )
    persons = _frame(con, "SELECT person_no, birth_date, death_date FROM persons")
    residence = _frame(
        con, "SELECT person_no, municipality_code, valid_from, valid_to FROM residence"
    )
    con.close()

    # Stays: order per person and sector; a contact starting more than 4 h after the latest
    # end so far starts a new stay.
    c = contacts.sort_values(["person_no", "sector", "start", "end", "contact_id"])
    c["run_end"] = c.groupby(["person_no", "sector"])["end"].cummax()
    prev = c.groupby(["person_no", "sector"])["run_end"].shift()
    c["new"] = prev.isna() | (c["start"] > prev + gap)
    c["stay"] = c["new"].cumsum()
    c["length"] = c["end"] - c["start"]
    first = c.drop_duplicates("stay", keep="first").set_index("stay")
    longest = (
        c.sort_values(
            ["stay", "length", "start", "contact_id"], ascending=[True, False, True, True]
        )
        .drop_duplicates("stay")
        .set_index("stay")
    )
    stays = pd.DataFrame(
        {
            "person_no": first["person_no"],
            "sector": first["sector"],
            "priority": first["priority"],
            "start": c.groupby("stay")["start"].min(),
            "end": c.groupby("stay")["end"].max(),
            "diagnosis": longest["diagnosis"],
        }
    )
    adm = stays[(stays["end"] - stays["start"]) >= pd.Timedelta(hours=12)]
    adm = adm[(adm["priority"] == "acute") & (adm["sector"] == "somatic")]
    adm = adm[adm["diagnosis"].str.startswith(prefixes)]
    adm = adm.assign(start_date=adm["start"].dt.tz_convert("Europe/Copenhagen").dt.date)
    adm = adm.merge(persons[["person_no", "birth_date"]], on="person_no")
    adm = adm[_age(adm["birth_date"], adm["start_date"]) >= 65]
    # Residence on the stay's start date.
    at = adm.merge(residence, on="person_no", how="left")
    sd = pd.to_datetime(at["start_date"])
    inside = (pd.to_datetime(at["valid_from"]) <= sd) & (
        at["valid_to"].isna() | (pd.to_datetime(at["valid_to"]) > sd)
    )
    at = at[inside]
    at["year"] = sd[inside].dt.year
    num = at.groupby(["year", "municipality_code"]).size()

    years = sorted(at["year"].unique())
    den_parts = []
    for y in years:
        jan1 = pd.Timestamp(int(y), 1, 1)
        r = residence[
            (pd.to_datetime(residence["valid_from"]) <= jan1)
            & (residence["valid_to"].isna() | (pd.to_datetime(residence["valid_to"]) > jan1))
        ].merge(persons, on="person_no")
        alive = (pd.to_datetime(r["birth_date"]) < jan1) & (
            r["death_date"].isna() | (pd.to_datetime(r["death_date"]) >= jan1)
        )
        r = r[alive]
        r = r[_age(r["birth_date"], pd.Series(jan1, index=r.index)) >= 65]
        den_parts.append(r.groupby("municipality_code").size().rename(int(y)))
    den = pd.concat(den_parts, axis=1).fillna(0).astype(np.int64)
    out = []
    for y in years:
        for muni, d in den[int(y)].items():
            if d > 0:
                out.append([int(y), muni, float(num.get((y, muni), 0)), int(d)])
    return out
