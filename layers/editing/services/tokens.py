"""API tokens: one per person, shown once when it is made, revoked by deleting it.

The editing API takes ``Authorization: Token <key>`` (DRF's TokenAuthentication). A new
token replaces the old one at once, so a leaked key is stopped by making another or by
revoking it; both are logged (who, when), never the key.
"""

import logging

from django.db import transaction
from rest_framework.authtoken.models import Token

logger = logging.getLogger(__name__)


@transaction.atomic
def api_token_issue(*, user) -> str:
    """A new key for ``user`` (any earlier one stops working); returned once, to show."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    logger.info("API token issued for %s", user.get_username())
    return token.key


def api_token_revoke(*, user) -> bool:
    """Stop ``user``'s token; False when there was none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        logger.info("API token revoked for %s", user.get_username())
    return bool(deleted)


def api_token_created(user):
    """When the user's current token was made (None: there is none)."""
    return Token.objects.filter(user=user).values_list("created", flat=True).first()
