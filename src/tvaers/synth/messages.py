"""MedCom message log for the stays: hospital notifications (admission, discharge, some
revised, some discharges sent too early and cancelled, leaves on long stays), a discharge
letter to the GP and a care plan to the municipality for some elderly patients.

Every message of a stay shares its episode_id; message ids are the stay id plus a suffix,
so they are unique. Nothing is sent after the extraction, or after a death (a stay ending in
death gets no discharge notification).
"""

from __future__ import annotations

from tvaers.synth import rates
from tvaers.synth.gp import clinic_sql
from tvaers.synth.sql import Ctx, event, val

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
    cols = "person, i, region_code"
    return f"""
    WITH s AS (
        SELECT st.*, 'E' || stay_id AS episode_id,
            hosp || CASE WHEN has_ed THEN '010' ELSE '120' END AS sender,
            coalesce(death_ts, {c.cutoff_ts}) AS limit_ts,
            datediff('minute', start, e_ts) AS los_min
        FROM stays st),
    msgs AS (
        SELECT 'M' || stay_id || '-a' AS message_id, {cols}, {notif} AS type, {admit} AS event,
            start + minutes(5 + u2(i, e, 600) * 25) AS sent_at, sender, m_code AS receiver,
            episode_id, limit_ts
        FROM s
        UNION ALL
        SELECT 'M' || stay_id || '-r', {cols}, {notif}, {revise},
            start + minutes(60 + u2(i, e, 601) * 540), sender, m_code, episode_id,
            least(limit_ts, e_ts)
        FROM s WHERE u2(i, e, 602) < {rates.MESSAGE_REVISED}
        UNION ALL
        SELECT 'M' || stay_id || '-l1', {cols}, {notif}, {event("start-leave-inpatient")},
            start + INTERVAL 2 DAY, sender, m_code, episode_id, least(limit_ts, e_ts)
        FROM s WHERE los_min > 5 * 1440 AND u2(i, e, 603) < {rates.MESSAGE_LEAVE}
        UNION ALL
        SELECT 'M' || stay_id || '-l2', {cols}, {notif}, {event("end-leave-inpatient")},
            start + INTERVAL 3 DAY, sender, m_code, episode_id, least(limit_ts, e_ts)
        FROM s WHERE los_min > 5 * 1440 AND u2(i, e, 603) < {rates.MESSAGE_LEAVE}
        UNION ALL
        SELECT 'M' || stay_id || '-x1', {cols}, {notif}, {event("discharge-inpatient-home")},
            e_ts - INTERVAL 1 DAY, sender, out_code, episode_id, least(limit_ts, e_ts)
        FROM s WHERE {alive_out} AND los_min > 2 * 1440
            AND u2(i, e, 604) < {rates.MESSAGE_CANCELLED}
        UNION ALL
        SELECT 'M' || stay_id || '-x2', {cols}, {notif},
            {event("cancel-discharge-inpatient-home")},
            e_ts - INTERVAL 1 DAY + INTERVAL 30 MINUTE, sender, out_code, episode_id,
            least(limit_ts, e_ts)
        FROM s WHERE {alive_out} AND los_min > 2 * 1440
            AND u2(i, e, 604) < {rates.MESSAGE_CANCELLED}
        UNION ALL
        SELECT 'M' || stay_id || '-d', {cols}, {notif}, {event("discharge-inpatient-home")},
            e_ts + minutes(5 + u2(i, e, 605) * 55), sender, out_code, episode_id, limit_ts
        FROM s WHERE {alive_out}
        UNION ALL
        SELECT 'M' || stay_id || '-b', {cols}, {letter}, NULL,
            e_ts + minutes(60 + u2(i, e, 606) * 1740), sender,
            {clinic_sql("out_code", "out_clinics")}, episode_id, limit_ts
        FROM s WHERE {alive_out}
        UNION ALL
        SELECT 'M' || stay_id || '-p', {cols}, {plan}, NULL,
            greatest(start, e_ts - INTERVAL 2 HOUR), sender, out_code, episode_id, limit_ts
        FROM s WHERE {alive_out} AND age >= 65 AND (ready IS NOT NULL OR u2(i, e, 607) < 0.2))
    SELECT * EXCLUDE (limit_ts) FROM msgs
    WHERE sent_at < {c.cutoff_ts} AND sent_at <= limit_ts"""
