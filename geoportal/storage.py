"""Static files storage: hashed, compressed names (WhiteNoise's manifest storage), without
breaking the inline SVG icons of front-end packages.

Django rewrites every ``url(...)`` in a stylesheet to the hashed file name. Leaflet-Geoman's
toolbar icons are SVG ``data:`` URIs that reference their own gradients as
``url(%23polygon-b)`` (an encoded ``#fragment``); rewritten, they became
``url("#polygon-b#polygon-b")`` and every toolbar button of the map editor was blank.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            if matchobj.groupdict().get("url", "").startswith("%23"):
                return matchobj.group(0)  # a fragment inside an inline image: not a file
            return convert(matchobj)

        return converter
