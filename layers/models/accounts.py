"""Requests for a password-reset mail, kept an hour or so to limit how often anyone can make
the portal mail a person (``geoportal.password_reset``). Neither the address nor the email
is kept as typed: both are keyed hashes (``geoportal.clients.keyed_hash``), comparable but
not readable back — a stranger's typing is not the city's to keep."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    client_hash = models.CharField(_("sender (keyed hash)"), max_length=64, blank=True)
    email_hash = models.CharField(_("email (keyed hash)"), max_length=64)

    class Meta:
        app_label = "layers"
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S}"
