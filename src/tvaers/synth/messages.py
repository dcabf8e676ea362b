"""MedCom message log for the stays: hospital notifications (admission, discharge, some
admissions revised, some discharges sent too early and cancelled, leaves on long stays, a
death message when the citizen dies in hospital), a discharge letter to the GP and a care
plan to the municipality for some elderly patients.

The messages of a stay share an LPR episode-of-care identifier (`<LPR system>|<uuid>`, the
form the MedCom bundle mapping gives, so the flat and the bundle form of a notification are
the same row) — except that a stay beginning in the emergency department has the emergency
admission under an episode of its own and everything from the ward on under the ward's (as
MedCom has it: no transfer message, a new admission). A few percent of discharges are never
notified (a level per hospital and municipality). Message ids are the stay id plus a
suffix, so they are unique. `event_at` is the time of the event (the admission time is
sometimes first sent a little wrong and then revised); a revise-/cancel- message names the
message it replaces.
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
    # An acute stay that starts in the emergency department is notified as an emergency
    # admission under an episode of its own, then as an inpatient admission under the
    # ward's episode when it moves there (MedCom sends no transfer message); every other
    # stay is an inpatient admission from the start.
    admit = f"CASE WHEN has_ed THEN {event('admit-emergency')} ELSE {event('admit-inpatient')} END"
    revise = (
        f"CASE WHEN has_ed THEN {event('revise-admit-emergency')} "
        f"ELSE {event('revise-admit-inpatient')} END"
    )
    first_episode = "CASE WHEN has_ed THEN ed_episode_id ELSE episode_id END"
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
    discharged = f"{alive_out} AND u2(i, e, 610) >= notification_missing"
    return f"""
    WITH s AS (
        SELECT st.*,
            -- UUID-shaped LPR episode ids from the stay id (deterministic)
            {_episode("'E' || stay_id")} AS episode_id,
            {_episode("'ED' || stay_id")} AS ed_episode_id,
            'M' || stay_id AS m,
            hosp || CASE WHEN has_ed THEN '010' ELSE '120' END AS sender,
            hosp || '120' AS ward,
            coalesce(death_ts, {c.cutoff_ts}) AS limit_ts,
            datediff('minute', start, e_ts) AS los_min
        FROM stays st),
    msgs AS (
        -- admission; when it is revised later, first sent with a start 10-40 minutes off
        SELECT m || '-a' AS message_id, {cols}, {notif} AS type, {admit} AS event,
            start + minutes(5 + u2(i, e, 600) * 25) AS sent_at, sender, m_code AS receiver,
            {first_episode} AS episode_id, limit_ts,
            CASE WHEN {revised} THEN start + minutes(10 + u2(i, e, 608) * 30) ELSE start END
                AS event_at,
            {none} AS replaces_message_id
        FROM s
        UNION ALL
        SELECT m || '-r', {cols}, {notif}, {revise},
            start + minutes(60 + u2(i, e, 601) * 540), sender, m_code, {first_episode},
            least(limit_ts, e_ts), start, m || '-a'
        FROM s WHERE {revised}
        UNION ALL
        -- the move from the emergency department to a ward: a new admission, new episode
        -- (sent even when death came first, so the death message has its episode)
        SELECT m || '-w', {cols}, {notif}, {event("admit-inpatient")},
            ward_start + minutes(3 + u2(i, e, 611) * 20), ward, m_code, episode_id,
            {c.cutoff_ts}, ward_start, {none}
        FROM s WHERE has_ed
        UNION ALL
        SELECT m || '-l1', {cols}, {notif}, {event("start-leave-inpatient")},
            start + INTERVAL 2 DAY + INTERVAL 5 MINUTE, ward, m_code, episode_id,
            least(limit_ts, e_ts), start + INTERVAL 2 DAY, {none}
        FROM s WHERE {leave}
        UNION ALL
        SELECT m || '-l2', {cols}, {notif}, {event("end-leave-inpatient")},
            start + INTERVAL 3 DAY + INTERVAL 5 MINUTE, ward, m_code, episode_id,
            least(limit_ts, e_ts), start + INTERVAL 3 DAY, {none}
        FROM s WHERE {leave}
        UNION ALL
        -- a discharge sent a day too early, cancelled half an hour later
        SELECT m || '-x1', {cols}, {notif}, {event("discharge-inpatient-home")},
            e_ts - INTERVAL 1 DAY, ward, out_code, episode_id, least(limit_ts, e_ts),
            e_ts - INTERVAL 1 DAY - INTERVAL 5 MINUTE, {none}
        FROM s WHERE {cancelled}
        UNION ALL
        SELECT m || '-x2', {cols}, {notif}, {event("cancel-discharge-inpatient-home")},
            e_ts - INTERVAL 1 DAY + INTERVAL 30 MINUTE, ward, out_code, episode_id,
            least(limit_ts, e_ts), e_ts - INTERVAL 1 DAY - INTERVAL 5 MINUTE, m || '-x1'
        FROM s WHERE {cancelled}
        UNION ALL
        SELECT m || '-d', {cols}, {notif}, {event("discharge-inpatient-home")},
            e_ts + minutes(5 + u2(i, e, 605) * 55), ward, out_code, episode_id, limit_ts,
            e_ts, {none}
        FROM s WHERE {discharged}
        UNION ALL
        -- MedCom's death message (MORS), sent after the death it reports
        SELECT m || '-m', {cols}, {notif}, {event("deceased")},
            e_ts + minutes(10 + u2(i, e, 609) * 110), ward, m_code, episode_id,
            {c.cutoff_ts}, e_ts, {none}
        FROM s WHERE {died}
        UNION ALL
        SELECT m || '-b', {cols}, {letter}, NULL,
            e_ts + minutes(60 + u2(i, e, 606) * 1740), ward,
            {clinic_sql("out_code", "out_clinics")}, episode_id, limit_ts, NULL, {none}
        FROM s WHERE {alive_out}
        UNION ALL
        SELECT m || '-p', {cols}, {plan}, NULL,
            greatest(start, e_ts - INTERVAL 2 HOUR), ward, out_code, episode_id, limit_ts,
            NULL, {none}
        FROM s WHERE {alive_out} AND age >= 65 AND (ready IS NOT NULL OR u2(i, e, 607) < 0.2))
    SELECT * EXCLUDE (limit_ts) FROM msgs
    WHERE sent_at < {c.cutoff_ts} AND sent_at <= limit_ts"""


def _episode(key: str) -> str:
    """An LPR episode-of-care id (`<LPR system>|<uuid>`) made from a text key."""
    return (
        f"'{LPR_SYSTEM}' || '|' || regexp_replace(md5({key}), "
        "'^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5')"
    )
