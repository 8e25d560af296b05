"""What the open-data catalogue and the national portal's dataset passport need about a
registry that its definition cannot give: who answers for it, and on what legal basis the
data is collected. Entered by the hromada's staff in the admin, one row per registry."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PHONE = RegexValidator(r"^\+?[0-9 ()-]{6,20}$", _("A phone number, e.g. +380 382 00 00 00."))


class DatasetPassport(models.Model):
    registry = models.CharField(
        _("registry"),
        max_length=40,
        unique=True,
        help_text=_("The collection id of the registry this passport describes."),
    )
    department = models.CharField(
        _("responsible department"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the registry definition's department."),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    responsible_position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PHONE])
    email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Empty: the registry definition's email.")
    )
    legal_basis = models.TextField(
        _("basis and purpose of collecting the data"),
        blank=True,
        help_text=_("The act that requires the registry and what it is kept for."),
    )
    issued = models.DateField(
        _("first published"),
        null=True,
        blank=True,
        help_text=_("When the data set was first published, if before this portal."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dataset passport")
        verbose_name_plural = _("dataset passports")
        ordering = ["registry"]

    def __str__(self) -> str:
        return self.registry
