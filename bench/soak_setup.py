"""The soak's accounts and records (`python -m bench.soak_setup`, on the benchmark
database): an editor of the trees with an API token, 200 drafts of theirs made through the
services, and the public ids of published trees. Prints one JSON line."""

import json
import random


def main() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from layers.editing import services
    from layers.editing.models import Role
    from layers.models import Species, Tree
    from layers.registry import registry_get

    trees = registry_get("trees")
    editor, _ = get_user_model().objects.get_or_create(username="soak-editor", is_staff=True)
    services.role_grant(user=editor, registry=trees, role=Role.EDITOR)
    token, _ = Token.objects.get_or_create(user=editor)
    species = Species.objects.order_by("id").first()
    rng = random.Random(5)  # noqa: S311 - test data
    published = list(
        Tree.objects.filter(status="published")
        .order_by("id")
        .values_list("public_id", "geom")[:200]
    )
    drafts = []
    for index in range(200):
        _public_id, geom = published[index]
        record = services.record_create(
            registry=trees,
            user=editor,
            values={"species": species.pk, "geom": geom, "notes": f"soak {rng.random()}"},
        )
        drafts.append(str(record.public_id))
    return {
        "token": token.key,
        "drafts": drafts,
        "published": [str(public_id) for public_id, _geom in published],
    }


if __name__ == "__main__":
    print(json.dumps(main()))
