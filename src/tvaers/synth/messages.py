"""MedCom message log for the stays: hospital notifications (admission, discharge, some
admissions revised, some discharges sent too early and cancelled, leaves on long stays, a
death message when the citizen dies in hospital), a discharge letter to the GP and a care
plan to the municipality for some elderly patients.

Every message of a stay shares its episode_id, an LPR episode-of-care identifier
(`<LPR system>|<uuid>`, the form the MedCom bundle mapping gives, so the flat and the bundle
form of a notification are the same row); message ids are the stay id plus a suffix, so they
are unique. `event_at` is the time of the event (the admission time is sometimes first sent
a little wrong and then revised); a revise-/cancel- message names the message it replaces.
Nothing is sent after the extraction, or after a death except the death message itself.
"""

from __future__ import annotations

from tvaers.synth import rates
from tvaers.synth.gp import clinic_sql
from tvaers.synth.sql import Ctx, event, val
from tvaers.warehouse.medcom import LPR_SYSTEM

M = "messages"


def messages_sql(c: Ctx) -> str:
    notif = val(M, "type", "hospital_notification")
    letter = val(M, "type", "discharge_letter")
    plan = val(M, "type", "care_plan")
    admit = (
        f"CASE WHEN is_acute THEN {event('admit-emergency')} ELSE {event('admit-inpatient')} END"
    )
    revise = (
        f"CASE WHEN is_acute THEN {event('revise-admit-emergency')} "
        f"ELSE {event('revise-admit-inpatient')} END"
    )
    alive_out = (
        f"discharged_to IS NOT NULL AND discharged_to <> "
        f"{val('hospital_contacts', 'discharged_to', 'died')}"
    )
    died = f"discharged_to = {val('hospital_contacts', 'discharged_to', 'died')}"
    revised = f"u2(i, e, 602) < {rates.MESSAGE_REVISED}"
    cancelled = (
        f"{alive_out} AND los_min > 2 * 1440 AND u2(i, e, {604}) < {rates.MESSAGE_CANCELLED}"
    )
    leave = f"los_min > 5 * 1440 AND u2(i, e, 603) < {rates.MESSAGE_LEAVE}"
    cols = "person, i, region_code"
    none = "NULL::VARCHAR"
    lit_lpr = f"'{LPR_SYSTEM}'"
    return f"""
    WITH s AS (
        SELECT st.*,
            -- a UUID-shaped LPR episode id from the stay id (deterministic)
            {lit_lpr} || '|' || regexp_replace(md5('E' || stay_id),
                '^(.{{8}})(.{{4}})(.{{4}})(.{{4}})(.{{12}})$', '\\1-\\2-\\3-\\4-\\5')
                AS episode_id,
            'M' || stay_id AS m,
            hosp || CASE WHEN has_ed THEN '010' ELSE '120' END AS sender,
            coalesce(death_ts, {c.cutoff_ts}) AS limit_ts,
            datediff('minute', start, e_ts) AS los_min
        FROM stays st),
    msgs AS (
        -- admission; when it is revised later, first sent with a start 10-40 minutes off
        SELECT m || '-a' AS message_id, {cols}, {notif} AS type, {admit} AS event,
            start + minutes(5 + u2(i, e, 600) * 25) AS sent_at, sender, m_code AS receiver,
            episode_id, limit_ts,
            CASE WHEN {revised} THEN start + minutes(10 + u2(i, e, 608) * 30) ELSE start END
                AS event_at,
            {none} AS replaces_message_id
        FROM s
        UNION ALL
        SELECT m || '-r', {cols}, {notif}, {revise},
            start + minutes(60 + u2(i, e, 601) * 540), sender, m_code, episode_id,
            least(limit_ts, e_ts), start, m || '-a'
        FROM s WHERE {revised}
        UNION ALL
        SELECT m || '-l1', {cols}, {notif}, {event("start-leave-inpatient")},
            start + INTERVAL 2 DAY + INTERVAL 5 MINUTE, sender, m_code, episode_id,
            least(limit_ts, e_ts), start + INTERVAL 2 DAY, {none}
        FROM s WHERE {leave}
        UNION ALL
        SELECT m || '-l2', {cols}, {notif}, {event("end-leave-inpatient")},
            start + INTERVAL 3 DAY + INTERVAL 5 MINUTE, sender, m_code, episode_id,
            least(limit_ts, e_ts), start + INTERVAL 3 DAY, {none}
        FROM s WHERE {leave}
        UNION ALL
        -- a discharge sent a day too early, cancelled half an hour later
        SELECT m || '-x1', {cols}, {notif}, {event("discharge-inpatient-home")},
            e_ts - INTERVAL 1 DAY, sender, out_code, episode_id, least(limit_ts, e_ts),
            e_ts - INTERVAL 1 DAY - INTERVAL 5 MINUTE, {none}
        FROM s WHERE {cancelled}
        UNION ALL
        SELECT m || '-x2', {cols}, {notif}, {event("cancel-discharge-inpatient-home")},
            e_ts - INTERVAL 1 DAY + INTERVAL 30 MINUTE, sender, out_code, episode_id,
            least(limit_ts, e_ts), e_ts - INTERVAL 1 DAY - INTERVAL 5 MINUTE, m || '-x1'
        FROM s WHERE {cancelled}
        UNION ALL
        SELECT m || '-d', {cols}, {notif}, {event("discharge-inpatient-home")},
            e_ts + minutes(5 + u2(i, e, 605) * 55), sender, out_code, episode_id, limit_ts,
            e_ts, {none}
        FROM s WHERE {alive_out}
        UNION ALL
        -- MedCom's death message (MORS), sent after the death it reports
        SELECT m || '-m', {cols}, {notif}, {event("deceased")},
            e_ts + minutes(10 + u2(i, e, 609) * 110), sender, m_code, episode_id,
            {c.cutoff_ts}, e_ts, {none}
        FROM s WHERE {died}
        UNION ALL
        SELECT m || '-b', {cols}, {letter}, NULL,
            e_ts + minutes(60 + u2(i, e, 606) * 1740), sender,
            {clinic_sql("out_code", "out_clinics")}, episode_id, limit_ts, NULL, {none}
        FROM s WHERE {alive_out}
        UNION ALL
        SELECT m || '-p', {cols}, {plan}, NULL,
            greatest(start, e_ts - INTERVAL 2 HOUR), sender, out_code, episode_id, limit_ts,
            NULL, {none}
        FROM s WHERE {alive_out} AND age >= 65 AND (ready IS NOT NULL OR u2(i, e, 607) < 0.2))
    SELECT * EXCLUDE (limit_ts) FROM msgs
    WHERE sent_at < {c.cutoff_ts} AND sent_at <= limit_ts"""
