"""Django's password-reset form with a rate limit: without one, anybody could make the
portal mail a person's inbox full of reset links (or mail from the city's address at a
stranger's), one POST each. Counted in the database, as the citizen reports' limits are,
so every gunicorn worker sees the same counts: per sender's address and per email, an hour.

A refused request sends nothing and answers 429 with the form and the reason. An email that
is no account counts as well, so the limit says nothing about which emails have accounts."""

import datetime

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geoportal.clients import client_address, keyed_hash

WINDOW = datetime.timedelta(hours=1)
PURPOSE = "password-reset-rate-limit"


def reset_limit_refusal(*, address_hash: str, email_hash: str):
    """Why this request is refused (a message), or ``None`` when it may send its mail."""
    from layers.models import PasswordResetRequest

    recent = PasswordResetRequest.objects.filter(created_at__gte=timezone.now() - WINDOW)
    per_address = settings.GEOPORTAL_PASSWORD_RESETS_PER_ADDRESS_HOUR
    per_email = settings.GEOPORTAL_PASSWORD_RESETS_PER_EMAIL_HOUR
    if address_hash and recent.filter(client_hash=address_hash).count() >= per_address:
        return _("Too many password resets were asked for from here in the last hour.")
    if recent.filter(email_hash=email_hash).count() >= per_email:
        return _("Too many password resets were asked for this email in the last hour.")
    return None


def reset_request_record(*, address_hash: str, email_hash: str) -> None:
    """Keep this request for the counts; forget those older than a day (they count no more)."""
    from layers.models import PasswordResetRequest

    PasswordResetRequest.objects.filter(created_at__lt=timezone.now() - 24 * WINDOW).delete()
    PasswordResetRequest.objects.create(client_hash=address_hash, email_hash=email_hash)


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        address_hash = keyed_hash(client_address(self.request) or "", PURPOSE)
        email_hash = keyed_hash(form.cleaned_data["email"].strip().casefold(), PURPOSE)
        refusal = reset_limit_refusal(address_hash=address_hash, email_hash=email_hash)
        if refusal is not None:
            form.add_error(None, refusal)
            form.add_error(None, _("Nothing was sent. Please try again later."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        reset_request_record(address_hash=address_hash, email_hash=email_hash)
        return super().form_valid(form)
