"""The serializer and list views: the registry's public properties, published records."""

from rest_framework import generics, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework_gis.filters import InBBoxFilter
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from layers.models import Status
from layers.models.trees import GreenArea, Tree
from layers.registry import registry_get


class TreeSerializer(GeoFeatureModelSerializer):
    species_latin = serializers.CharField(source="species.latin_name")
    species_uk = serializers.CharField(source="species.name_uk")

    class Meta:
        model = Tree
        geo_field = "geom"
        id_field = "public_id"
        # The same public properties the product publishes (layers/registry.py).
        fields = ("public_id", *registry_get("trees").properties)


class GreenAreaSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = GreenArea
        geo_field = "geom"
        id_field = "public_id"
        fields = ("public_id", *registry_get("green-areas").properties)


class _List(generics.ListAPIView):
    renderer_classes = (JSONRenderer,)
    pagination_class = None
    filter_backends = (InBBoxFilter,)
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True


class TreeList(_List):
    queryset = Tree.objects.filter(status=Status.PUBLISHED).select_related("species")
    serializer_class = TreeSerializer


class GreenAreaList(_List):
    queryset = GreenArea.objects.filter(status=Status.PUBLISHED)
    serializer_class = GreenAreaSerializer
