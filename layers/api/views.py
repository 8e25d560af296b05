"""The editing REST API: the same operations as the editing pages, through the same
services. Reads are public for published records; writes need a role in the registry,
name the version they are based on (``If-Match``) and are refused when it is stale."""

import re

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from layers.api.serializers import (
    ChangeRequestSerializer,
    DataRecordSchemaSerializer,
    DecisionSerializer,
    ErrorSerializer,
    StaleSerializer,
    StateChangeSerializer,
    public_record,
    record_serializer_class,
)
from layers.editing import services
from layers.editing.errors import NotPermitted, WorkflowError
from layers.editing.models import ChangeState
from layers.editing.permissions import Action, user_can
from layers.editing.selectors import change_get, change_queryset, record_get, record_queryset
from layers.models import Status
from layers.registry import registry_get

AUTHENTICATION = [TokenAuthentication, SessionAuthentication]

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag (record version, e.g. "3") the change is based on.',
)
ETAG_HEADER = {"ETag": {"description": "The record version", "schema": {"type": "string"}}}
WRITE_ERRORS = {
    400: OpenApiResponse(description="Invalid values"),
    401: OpenApiResponse(ErrorSerializer, description="Not authenticated"),
    403: OpenApiResponse(ErrorSerializer, description="No role in this registry for this"),
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the record's state"),
    412: OpenApiResponse(StaleSerializer, description="If-Match names a stale version"),
    428: OpenApiResponse(ErrorSerializer, description="If-Match is missing"),
}


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = 'Send If-Match with the ETag (version) your change is based on, e.g. "3".'
    default_code = "precondition_required"


def if_match_version(request) -> int:
    """The version named by the request's If-Match header; 428 if there is none."""
    header = request.headers.get("If-Match", "").strip()
    tag = header.removeprefix("W/").strip().strip('"')
    # ASCII digits only: str.isdigit() takes "²", which int() refuses.
    if not header or "," in header or not re.fullmatch(r"[0-9]{1,9}", tag):
        raise PreconditionRequired()
    return int(tag)


class EditingSchema(AutoSchema):
    """Lists are lists (paged, operation ids ending in _list), whatever the URL looks like."""

    def _is_list_view(self, serializer=None):
        if getattr(self.view, "is_list", False) and self.method == "GET":
            return True
        return super()._is_list_view(serializer)


class Pages(LimitOffsetPagination):
    """limit and offset as documented: a bad value is a 400, not silently the default."""

    default_limit = 100
    max_limit = 1000

    def get_limit(self, request):
        return min(self._whole(request, self.limit_query_param, 1, self.default_limit), 1000)

    def get_offset(self, request):
        return self._whole(request, self.offset_query_param, 0, 0)

    @staticmethod
    def _whole(request, name: str, minimum: int, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < minimum:
            raise ValidationError({name: [f"Give a whole number of at least {minimum}."]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=999_999_999)
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0, maximum=999_999_999)
        return parameters


def _etag(record) -> dict:
    return {"ETag": f'"{record.version}"'}


class RegistryView(GenericAPIView):
    registry = None  # set per URL by as_view(registry=...), else from <collection>
    schema = EditingSchema()
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticatedOrReadOnly]

    def initial(self, request, *args, **kwargs):
        if self.registry is None and "collection" in kwargs:
            try:
                registry = registry_get(kwargs["collection"])
            except KeyError:
                raise NotFound("No such registry.") from None
            if registry.is_builtin:  # served at its own URLs
                raise NotFound("No such registry.")
            self.registry = registry
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.registry is None:  # the schema generator, on the data-defined registries' URL
            return DataRecordSchemaSerializer
        return record_serializer_class(self.registry)

    def get_queryset(self):
        return record_queryset(registry=self.registry, user=self.request.user)

    def staff(self) -> bool:
        return user_can(self.request.user, Action.VIEW, self.registry)

    def represent(self, record) -> dict:
        if self.staff():
            serializer = record_serializer_class(self.registry)
            return serializer(record, context=self.get_serializer_context()).data
        return public_record(self.registry, record)

    def require(self, action: str) -> None:
        if not user_can(self.request.user, action, self.registry):
            raise NotPermitted()

    def get_object(self):
        # DRF's browsable metadata (OPTIONS) asks for the object by its own lookup.
        return self.get_record()

    def get_record(self):
        return record_get(
            registry=self.registry, public_id=self.kwargs["public_id"], user=self.request.user
        )


class RecordList(RegistryView):
    is_list = True
    pagination_class = Pages

    @extend_schema(summary="List records (staff: every state; public: published)")
    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset().order_by("id")
        state = request.query_params.get("status")
        if state and self.staff():
            queryset = queryset.filter(status=state)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([self.represent(record) for record in page])

    @extend_schema(summary="Create a draft", responses={201: None, **WRITE_ERRORS}, parameters=[])
    def post(self, request, *args, **kwargs):
        self.require(Action.CREATE)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        record = services.record_create(
            registry=self.registry,
            user=request.user,
            values=values,
            parts=values.pop("parts", None),
        )
        return Response(self.represent(record), status=201, headers=_etag(record))


class RecordDetail(RegistryView):
    @extend_schema(summary="One record", responses={200: None})
    def get(self, request, *args, **kwargs):
        record = self.get_record()
        return Response(self.represent(record), headers=_etag(record))

    @extend_schema(
        summary="Change a draft, or propose a change to a published record (202)",
        parameters=[IF_MATCH],
        responses={200: None, 202: ChangeRequestSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    @extend_schema(
        summary="Replace a draft's values, or propose them for a published record",
        parameters=[IF_MATCH],
        responses={200: None, 202: ChangeRequestSerializer, **WRITE_ERRORS},
    )
    def put(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    def _update(self, request, *, partial: bool):
        record = self.get_record()
        self.require(Action.EDIT)
        base_version = if_match_version(request)
        serializer = self.get_serializer(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        parts = values.pop("parts", None)
        result = services.record_update(
            registry=self.registry,
            record=record,
            user=request.user,
            values=values,
            parts=parts,
            base_version=base_version,
            comment=str(request.data.get("comment", ""))[:2000]
            if isinstance(request.data, dict)
            else "",
        )
        if result.applied:
            return Response(self.represent(result.record), headers=_etag(result.record))
        return Response(
            ChangeRequestSerializer(result.change).data, status=202, headers=_etag(result.record)
        )


class PhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JPEG, PNG or WebP; re-encoded, metadata removed.")
    alt_text = serializers.CharField(max_length=300, help_text="What the photo shows.")
    caption = serializers.CharField(max_length=300, required=False, default="")
    author = serializers.CharField(max_length=200, required=False, default="")
    licence = serializers.CharField(max_length=50, required=False, default="")


class RecordPhotoUpload(RegistryView):
    """POST a photo file for a record: stored *staged* and answered with its item; list it
    in the record's ``parts.photos`` (PATCH) to attach it, through review when published."""

    parser_classes = [MultiPartParser]
    serializer_class = PhotoUploadSerializer

    @extend_schema(
        summary="Upload a photo for a record (staged until a change lists it)",
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: OpenApiTypes.OBJECT, **WRITE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        from layers.editing.part_kinds import PHOTOS
        from layers.services.photos import photo_add

        record = self.get_record()
        self.require(Action.EDIT)
        if not any(part is PHOTOS for part in self.registry.parts):
            raise NotFound("This registry's records have no photos.")
        if record.status not in (Status.DRAFT, Status.PUBLISHED):
            # In review or archived: nothing of the record changes now, nor will a photo.
            raise WorkflowError(_("Only drafts and published records take new photos."))
        serializer = PhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        photo = photo_add(
            record=record,
            file=data["file"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            author=data["author"],
            licence=data["licence"],
            user=request.user,
        )
        return Response(PHOTOS.item(photo), status=201)


class RecordTransition(RegistryView):
    """POST …/submit/ or …/archive/ with If-Match."""

    transition = None
    serializer_class = StateChangeSerializer

    def get_serializer_class(self):
        return StateChangeSerializer

    @extend_schema(
        parameters=[IF_MATCH],
        request=StateChangeSerializer,
        responses={200: None, **WRITE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        record = self.get_record()
        action = {"submit": Action.SUBMIT, "archive": Action.ARCHIVE}[self.transition]
        self.require(action)
        base_version = if_match_version(request)
        serializer = StateChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        do = {"submit": services.record_submit, "archive": services.record_archive}[self.transition]
        do(
            registry=self.registry,
            record=record,
            user=request.user,
            base_version=base_version,
            comment=serializer.validated_data.get("comment", ""),
        )
        record.refresh_from_db()
        return Response(self.represent(record), headers=_etag(record))


class ChangeList(GenericAPIView):
    is_list = True
    schema = EditingSchema()
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = ChangeRequestSerializer
    pagination_class = Pages

    def get_queryset(self):
        state = self.request.query_params.get("state", ChangeState.PENDING)
        if state not in (*ChangeState.values, "all"):
            allowed = ", ".join([*ChangeState.values, "all"])
            raise ValidationError({"state": [f"One of: {allowed}."]})
        states = None if state == "all" else [state]
        return change_queryset(user=self.request.user, states=states).order_by("id")

    @extend_schema(
        summary="Change requests in your registries",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=[*ChangeState.values, "all"])],
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ChangeDetail(GenericAPIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = ChangeRequestSerializer

    def get_change(self):
        return change_get(user=self.request.user, change_id=self.kwargs["change_id"])

    @extend_schema(summary="One change request")
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_change()).data)


class ChangeDecision(ChangeDetail):
    decision = None
    http_method_names = ["post", "options"]
    serializer_class = DecisionSerializer

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ChangeRequestSerializer, **WRITE_ERRORS},
        summary="Approve (never your own change) or reject (with a comment) a change",
    )
    def post(self, request, *args, **kwargs):
        change = self.get_change()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = serializer.validated_data.get("comment", "")
        if self.decision == "approve":
            services.change_approve(change=change, user=request.user, comment=comment)
        else:
            services.change_reject(change=change, user=request.user, comment=comment)
        change.refresh_from_db()
        return Response(ChangeRequestSerializer(change).data)


class ApiDocs(SpectacularRedocView):
    """ReDoc served from drf-spectacular-sidecar's static files (no CDN, no web fonts)."""

    template_name = "layers/editing/api_docs.html"
    url_name = "api:schema"

    @staticmethod
    def _redoc_standalone():
        return static("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")


@csrf_exempt  # a write to a path that names nothing is a JSON 404, not the CSRF page
def not_found(request, *args, **kwargs):
    """A JSON 404 for any path under /api/ that names nothing (DRF's error body)."""
    from django.http import JsonResponse

    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
