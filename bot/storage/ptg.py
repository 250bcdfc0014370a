"""The two-weekly reflection check-in: when it was offered, and the 0-5 answers with their date.

It is a reflection check-in in the project's own words, not a validated measure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.readiness import ptg_due
from bot.storage.conversations import as_utc
from bot.storage.journal import UnknownClient
from bot.storage.models import Client, PtgCheckin, utcnow

DOMAINS = ("appreciation", "relationships", "strength", "possibilities", "spiritual")


def last_ptg_contact(session: Session, client_id: str) -> datetime | None:
    """When the check-in was last offered or answered, whichever is later."""
    offered, answered = session.execute(
        select(func.max(PtgCheckin.offered_at), func.max(PtgCheckin.answered_at)).where(
            PtgCheckin.client_id == client_id
        )
    ).one()
    moments = [as_utc(m) for m in (offered, answered) if m is not None]
    return max(moments, default=None)


def offer_ptg_if_due(session: Session, client_id: str, now: datetime | None = None) -> bool:
    """Records an offer and returns True when two weeks have passed since the last one."""
    now = now or utcnow()
    if session.get(Client, client_id) is None:
        raise UnknownClient(client_id)
    if not ptg_due(last_ptg_contact(session, client_id), now):
        return False
    session.add(PtgCheckin(client_id=client_id, offered_at=now))
    session.flush()
    return True


def save_ptg(
    session: Session, client_id: str, scores: Mapping[str, int], now: datetime | None = None
) -> PtgCheckin:
    """Stores the answers on the open offer of the last two weeks, or as a check-in of its own."""
    now = now or utcnow()
    if session.get(Client, client_id) is None:
        raise UnknownClient(client_id)
    open_offer = session.scalars(
        select(PtgCheckin)
        .where(PtgCheckin.client_id == client_id, PtgCheckin.answered_at.is_(None))
        .order_by(PtgCheckin.id.desc())
        .limit(1)
    ).first()
    if open_offer is not None and ptg_due(as_utc(open_offer.offered_at), now):
        open_offer = None
    checkin = open_offer or PtgCheckin(client_id=client_id)
    checkin.answered_at = now
    for domain in DOMAINS:
        setattr(checkin, domain, scores.get(domain))
    session.add(checkin)
    session.flush()
    return checkin


def ptg_trend(session: Session, client_id: str) -> list[PtgCheckin]:
    """The answered check-ins, oldest first: what the client and their therapist see."""
    return list(
        session.scalars(
            select(PtgCheckin)
            .where(PtgCheckin.client_id == client_id, PtgCheckin.answered_at.is_not(None))
            .order_by(PtgCheckin.answered_at)
        )
    )
