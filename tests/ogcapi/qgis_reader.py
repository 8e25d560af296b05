"""Run by Debian's Python with QGIS's bindings (python3-qgis), not by pytest: opens each
source given on the command line as QGIS does and prints, as JSON, what a QGIS user sees.

A source is ``provider|uri``. For each: whether the layer is valid, its geometry type, how
many features it gives, and how many of them QGIS can draw in that layer (a geometry of the
layer's own kind: QGIS types a layer by its first feature and leaves the others out).
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsVectorLayer, QgsWkbTypes


def read(provider: str, uri: str) -> dict:
    layer = QgsVectorLayer(uri, "layer", provider)
    if not layer.isValid():
        return {"valid": False, "error": layer.error().summary()}
    kind = layer.geometryType()
    features = drawn = 0
    for feature in layer.getFeatures():
        features += 1
        geometry = feature.geometry()
        if not geometry.isNull() and not geometry.isEmpty() and geometry.type() == kind:
            drawn += 1
    return {
        "valid": True,
        "type": QgsWkbTypes.displayString(layer.wkbType()),
        "features": features,
        "drawn": drawn,
        "fields": [field.name() for field in layer.fields()],
    }


def main() -> None:
    application = QgsApplication([], False)
    application.initQgis()
    try:
        results = {}
        for source in sys.argv[1:]:
            provider, uri = source.split("|", 1)
            results[source] = read(provider, uri)
        print(json.dumps(results))
    finally:
        application.exitQgis()


if __name__ == "__main__":
    main()
