"""JSON Schemas of OGC API – Features Part 1 responses, written from the OGC schema documents
(the machines have no internet, so they are not fetched). Each cites its source:
http://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/schemas/<name>.yaml
"""

import jsonschema

# link.yaml
LINK = {
    "type": "object",
    "required": ["href", "rel"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "hreflang": {"type": "string"},
        "title": {"type": "string"},
        "length": {"type": "integer"},
    },
}
LINKS = {"type": "array", "items": LINK}

# landingPage.yaml
LANDING_PAGE = {
    "type": "object",
    "required": ["links"],
    "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "links": LINKS},
}

# confClasses.yaml
CONF_CLASSES = {
    "type": "object",
    "required": ["conformsTo"],
    "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
}

# extent.yaml
EXTENT = {
    "type": "object",
    "properties": {
        "spatial": {
            "type": "object",
            "properties": {
                "bbox": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "array",
                        "oneOf": [
                            {"minItems": 4, "maxItems": 4},
                            {"minItems": 6, "maxItems": 6},
                        ],
                        "items": {"type": "number"},
                    },
                },
                "crs": {
                    "type": "string",
                    "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
                },
            },
        },
        "temporal": {
            "type": "object",
            "properties": {
                "interval": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 2,
                        "items": {"type": ["string", "null"], "format": "date-time"},
                    },
                },
                "trs": {"type": "string"},
            },
        },
    },
}

# collection.yaml (+ Part 2 ogcapi-features-2.yaml collectionExtensionCrs)
COLLECTION = {
    "type": "object",
    "required": ["id", "links"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "links": LINKS,
        "extent": EXTENT,
        "itemType": {"type": "string"},
        "crs": {"type": "array", "items": {"type": "string"}},
        "storageCrs": {"type": "string", "format": "uri"},
    },
}

# collections.yaml
COLLECTIONS = {
    "type": "object",
    "required": ["links", "collections"],
    "properties": {"links": LINKS, "collections": {"type": "array", "items": COLLECTION}},
}

# featureGeoJSON.yaml (geometryGeoJSON.yaml abbreviated to type + coordinates)
GEOMETRY = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {
            "enum": [
                "Point",
                "MultiPoint",
                "LineString",
                "MultiLineString",
                "Polygon",
                "MultiPolygon",
            ]
        },
        "coordinates": {"type": "array"},
    },
}
FEATURE = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"enum": ["Feature"]},
        "geometry": {"oneOf": [{"type": "null"}, GEOMETRY]},
        "properties": {"type": ["object", "null"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "links": LINKS,
    },
}

# featureCollectionGeoJSON.yaml (numberMatched.yaml, numberReturned.yaml, timeStamp.yaml)
FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": FEATURE},
        "links": LINKS,
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
    },
}

# exception.yaml
EXCEPTION = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}


def validate(document: dict, schema: dict) -> None:
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
