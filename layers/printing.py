"""Printable documents: HTML with print CSS made into PDF by WeasyPrint.

Nothing is fetched while a document is made: the template carries its styles, and fonts
come from the system (fontconfig; Debian's fonts-dejavu-core has Cyrillic). Record values
are escaped by the template anyway, but a fetcher that refuses every URL means that no
value can ever make the server read a local file or call another host.
"""

from django.template.loader import render_to_string


def pdf_render(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of a template rendered with ``context``."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF views need; the
    # rest of the portal starts (and says what is wrong) even where Pango is missing.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
