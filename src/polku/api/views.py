from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from polku.accounts.middleware import membership_of
from polku.api.api import MeSerializer


@extend_schema(responses=MeSerializer, summary="The calling user and their active membership")
@api_view(["GET"])
def me(request: Request) -> Response:
    user = request.user
    data = {
        "public_id": user.public_id,  # type: ignore[union-attr]
        "email": user.email,  # type: ignore[union-attr]
        "get_full_name": user.get_full_name(),  # type: ignore[union-attr]
        "membership": membership_of(request),
    }
    return Response(MeSerializer(data).data)
