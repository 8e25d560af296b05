"""The person's own API access: make, replace or revoke the token the editing API takes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from layers.editing import services
from layers.editing.services.tokens import api_token_created


@never_cache  # the page shows a key once: no cache may keep it
@login_required
def api_token(request):
    """GET: whether a token exists; POST issue: a new one, shown on this answer only;
    POST revoke: none."""
    key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            key = services.api_token_issue(user=request.user)
        elif action == "revoke":
            services.api_token_revoke(user=request.user)
        else:
            return render(request, "layers/editing/api_token.html", _context(request), status=400)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "layers/editing/api_token.html", {**_context(request), "key": key})


def _context(request) -> dict:
    return {
        "created": api_token_created(request.user),
        "api_root": request.build_absolute_uri("/api/"),
    }
