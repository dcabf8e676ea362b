"""The user guide in the application (/hjaelp): the index of help pages, each page, and the
images they show; open to everyone, logged in or not (the guide holds no data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import FileResponse, Response
from markupsafe import Markup

from tvaers.dashboards import help as guide
from tvaers.dashboards.schemas import HelpIndexRead, HelpPageRead
from tvaers.web.api_responses import errors
from tvaers.web.deps import OptionalUser
from tvaers.web.schemas import LinkRead
from tvaers.web.templating import page_routes, respond

router = APIRouter(tags=["help"])
Slug = Annotated[str, Path(max_length=40, pattern="^[a-z-]+$")]
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}


@page_routes(router, "/hjaelp", name="help_index", model=HelpIndexRead, summary="Hjælp")
def help_index(request: Request, user: OptionalUser) -> Response:
    data = HelpIndexRead(
        pages=[LinkRead(href=f"{guide.HELP}/{p.slug}", title=p.title) for p in guide.pages()],
        summaries={p.slug: p.summary for p in guide.pages()},
    )
    return respond(request, "help_index.html", data, {"user": user})


@page_routes(
    router,
    "/hjaelp/{slug}",
    name="help_page",
    model=HelpPageRead,
    summary="Hjælpeside",
    errors=(404,),
)
def help_page(request: Request, user: OptionalUser, slug: Slug) -> Response:
    found = guide.page(slug)
    if found is None:
        raise HTTPException(404)
    data = HelpPageRead(slug=found.slug, title=found.title, summary=found.summary, html=found.html)
    return respond(request, "help_page.html", data, {"body": Markup(found.html), "user": user})


@router.get(
    "/hjaelp/bilag/{name}",
    summary="Et billede eller en fil, som en hjælpeside viser",
    response_class=FileResponse,
    responses={200: {"content": {m: {} for m in MEDIA.values()}}, **errors(404)},
)
def help_attachment(name: Annotated[str, Path(max_length=60)]) -> Response:
    return _attachment(name)


# The screenshots have their own route: a path parameter never holds a "/", and a name
# that is only ever one folder deep keeps the served files to docs/ and docs/images/.
@router.get(
    "/hjaelp/bilag/images/{image}",
    summary="Et skærmbillede, som en hjælpeside viser",
    response_class=FileResponse,
    responses={200: {"content": {MEDIA["png"]: {}}}, **errors(404)},
)
def help_image(image: Annotated[str, Path(max_length=60)]) -> Response:
    return _attachment(f"images/{image}")


def _attachment(name: str) -> Response:
    path = guide.attachment(name)
    if path is None:
        raise HTTPException(404)
    return FileResponse(path, media_type=MEDIA[path.suffix[1:]])
