"""How the OGC API's HTML pages show a feature's raw values to a person."""

import re

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

# A code of the API's vocabulary (a choice value, a property name, a slug such as a report
# category's ``tree-fallen``): shown as code, so a reader and a screen reader know it is not
# a word of the page's language.
_CODE = re.compile(r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$")


@register.filter
def ogc_value(value):
    """A property value as the page shows it: yes/no in words, codes as code, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        if value and all(isinstance(v, str) and _CODE.match(v) for v in value):
            return format_html("<code>{}</code>", ", ".join(value))
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and _CODE.match(value):
        return format_html("<code>{}</code>", value)
    return value
