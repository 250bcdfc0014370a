"""GET /v1/messages: the client's chat since a message id, so clinician messages reach them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header
from sqlalchemy.orm import Session

from bot.api.deps import client_with_token, get_session
from bot.api.schemas import TranscriptMessageOut, TranscriptOut
from bot.storage.conversations import messages_after

router = APIRouter()


@router.get("/v1/messages", response_model=TranscriptOut)
def get_messages(
    client_id: str,
    after: int = 0,
    authorization: str = Header(default=""),
    session: Session = Depends(get_session),
) -> TranscriptOut:
    """Everything said in the client's chat after message `after`, theirs included."""
    client = client_with_token(session, client_id, authorization)
    return TranscriptOut(
        messages=[
            TranscriptMessageOut(id=m.id, sender=m.sender, text=m.text)
            for m in messages_after(session, client.id, after)
        ]
    )
