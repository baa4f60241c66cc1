"""``/search``: the search page, answering every query with a page of results or a hint."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from app.extensions import db
from app.models import utcnow
from app.rate_limits import per_address
from app.search.queries import SearchKind
from app.search.terms import parse_query
from app.services import search as search_service
from app.services.throttle import SEARCHES

bp = Blueprint("search", __name__)


@bp.get("/search")
@per_address(SEARCHES)  # each search reads the index: more work than a kept page
def search():  # noqa: ANN201
    terms = parse_query(request.args.get("q", ""))
    kind = request.args.get("kind", "")
    chosen = SearchKind(kind) if kind in set(SearchKind) else None
    page = request.args.get("page", 1, type=int) or 1
    results = search_service.search(
        db.session,
        terms,
        chosen,
        page=min(max(page, 1), 1000),
        per_page=current_app.config["SEARCH_RESULTS_PER_PAGE"],
        now=utcnow(),
    )
    return render_template("search/results.html", results=results, kinds=list(SearchKind))
