from django.shortcuts import render

from layers.selectors.boundary import hromada_boundary_geojson


def home(request):
    """The portal's front page: the hromada on a map (the public map grows from here)."""
    return render(request, "layers/home.html", {"boundary": hromada_boundary_geojson()})
