"""The language switch: Django's ``set_language`` with ``next`` moved to the chosen language.

Why Django's own translation of ``next`` fails on this portal: layers/templatetags/languages.py.
"""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from layers.templatetags.languages import address_in


@require_POST
def language_switch(request):
    """Set the language cookie and go to ``next`` in the chosen language (query and
    fragment kept, so the map's view in the fragment survives the switch)."""
    code = request.POST.get("language", "")
    next_address = request.POST.get("next", "")
    if next_address and code in dict(settings.LANGUAGES):
        request.POST = request.POST.copy()
        request.POST["next"] = address_in(next_address, code)
    return set_language(request)
