"""The portal's mail, through Django's mail framework (``make run`` writes it to files under
var/mail; production sends it by SMTP, ``EMAIL_URL``). A message is in the recipient's
language when it is known, else in Ukrainian and then English, as the portal's users read
either. Mail goes once the transaction that decided it is committed: a refused decision
sends nothing, and the mail server being away never undoes one."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
LANGUAGES = ("uk", "en")


def _render(template: str, context: dict, languages) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in languages:
        with translation.override(language):
            text = render_to_string(template, {**context, "language": language}).strip()
        subject, _blank, body = text.partition("\n")
        subjects.append(subject.strip())
        bodies.append(body.strip())
    return " / ".join(dict.fromkeys(subjects)), "\n\n-- \n\n".join(bodies)


def mail_send(*, recipients, template: str, context: dict, language: str = "") -> None:
    """Send the rendered ``template`` (first line: the subject) to each address of
    ``recipients`` (users or addresses; the empty ones are skipped) after commit: in
    ``language`` when it is one of the portal's, else in all of them."""
    addresses = sorted(
        {
            getattr(recipient, "email", recipient)
            for recipient in recipients
            if getattr(recipient, "email", recipient)
        }
    )
    if not addresses:
        return
    languages = (language,) if language in LANGUAGES else LANGUAGES
    context = {**context, "site_url": settings.GEOPORTAL_SITE_URL}
    subject, body = _render(template, context, languages)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]

    def send():
        try:
            send_mass_mail(messages, fail_silently=False)
        except OSError:  # the mail server away must not undo a decision that was taken
            logger.exception("could not send %s to %s addresses", template, len(addresses))

    transaction.on_commit(send)
