"""Themes and fix notes through the configured moderator, before anything is queued.

A refusal is a 422 in the API's own shape, naming the field and the category (never the words);
a moderator that cannot decide is a 503 with Retry-After: the API fails closed and queues nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from dreamreel_api.errors import FormError
from dreamreel_assets.moderation import Moderator, ModerationUnavailable, refusals, unavailable_message

log = logging.getLogger("dreamreel_api")

RETRY_AFTER_S = 30
UNAVAILABLE = {503: {"description": "Moderation cannot decide right now (its service is down or too slow): "
                                    "nothing was queued; try again after Retry-After seconds"}}


async def get_moderator(request: Request) -> Moderator:
    return request.app.state.moderator


ModeratorDep = Annotated[Moderator, Depends(get_moderator)]


def check_moderation(moderator: Moderator, fields: Mapping[str, str | None]) -> None:
    """Returns when every field may be used; else FormError (422) or HTTPException (503)."""
    try:
        refused = refusals(moderator, fields)
    except ModerationUnavailable as error:
        log.warning("moderation (%s) cannot decide: %s", moderator.name, error)
        message = unavailable_message(error)
        raise HTTPException(503, message[:1].upper() + message[1:],
                            headers={"Retry-After": str(RETRY_AFTER_S)}) from None
    if refused:
        raise FormError([refusal.model_dump() for refusal in refused])
