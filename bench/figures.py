"""Turning measurements into the printed tables and the verdicts kept in the JSON file."""

from __future__ import annotations

from typing import Any

MEMORY_LIMIT_MB = 150  # resident memory of a worker that has served the big thread
GROWTH_LIMIT = 1.5  # large site / small site, time per request
GROWTH_PAGES = ("home", "article-reader")  # checked; the uncached ones are shown beside them
REFERENCE_PAGES = ("home-uncached", "article-reader-uncached")


def judge_page(result: dict[str, Any]) -> None:
    """Add ratio and ok to one page's result (in place)."""
    app, ceiling = result.get("app"), result.get("ceiling")
    if not app or not ceiling:
        result.update(ratio=None, ok=False)
        return
    result["ratio"] = round(app["rps"] / ceiling["rps"], 3) if ceiling["rps"] else None
    clean = app["errors"] == 0 and ceiling["errors"] == 0
    if result["target"] is None:  # for reference only
        result["ok"] = clean
        return
    result["ok"] = clean and result["ratio"] is not None and result["ratio"] >= result["target"]


def judge_memory(workers: list[dict[str, int]]) -> dict[str, Any]:
    peak_mb = max((w["hwm_kb"] for w in workers), default=0) * 1024 / 1e6
    return {
        "workers": workers,
        "peak_resident_mb": round(peak_mb, 1),
        "limit_mb": MEMORY_LIMIT_MB,
        "ok": 0 < peak_mb < MEMORY_LIMIT_MB,
    }


def judge_growth(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """Time per request on the large site over the small one, for the pages that must scale."""
    pages = {}
    small_pages = {p["name"]: p for p in small["pages"]}
    large_pages = {p["name"]: p for p in large["pages"]}
    for name in GROWTH_PAGES + REFERENCE_PAGES:
        before, after = small_pages.get(name, {}).get("app"), large_pages.get(name, {}).get("app")
        if not before or not after or not after["rps"]:
            pages[name] = {"ok": False, "why": "not measured"}
            continue
        factor = before["rps"] / after["rps"]
        pages[name] = {
            "small_rps": round(before["rps"], 1),
            "large_rps": round(after["rps"], 1),
            "small_p50_ms": before["p50_us"] / 1000,
            "large_p50_ms": after["p50_us"] / 1000,
            "factor": round(factor, 3),
            "limit": GROWTH_LIMIT,
            "ok": factor <= GROWTH_LIMIT,
        }
    checked = [pages[name]["ok"] for name in GROWTH_PAGES]
    return {"pages": pages, "ok": all(checked)}


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_suite(suite: dict[str, Any]) -> None:
    print(
        f"\n{suite['size']} site on {suite['database']}: "
        f"{suite['counts'].get('articles', 0):,} articles, "
        f"{sum(v for k, v in suite['counts'].items() if k in _STATES):,} comments"
    )
    head = f"{'page':<24}{'bytes':>9}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}"
    print(head + f"{'ceiling':>10}{'ratio':>7}{'target':>8}")
    for page in suite["pages"]:
        app, ceiling = page.get("app"), page.get("ceiling")
        if not app:
            print(f"{page['name']:<24}  not measured: {page.get('why', '?')}")
            continue
        line = f"{page['name']:<24}{page['bytes']:>9,}{app['rps']:>9.1f}"
        line += f"{app['p50_us'] / 1000:>8.1f}{app['p99_us'] / 1000:>8.1f}"
        target = f"{page['target']:>8.2f}" if page["target"] is not None else f"{'–':>8}"
        line += f"{ceiling['rps']:>10.1f}{page['ratio']:>7.2f}{target}"
        errors = app["errors"] + ceiling["errors"]
        verdict = _verdict(page["ok"]) if page["target"] is not None or errors else "reference"
        line += f"  {verdict}" + (f" ({errors} errors)" if errors else "")
        print(line)
    memory = suite.get("memory")
    if memory:
        print(
            f"worker peak resident memory: {memory['peak_resident_mb']:.1f} MB "
            f"(limit {memory['limit_mb']} MB)  {_verdict(memory['ok'])}"
        )


_STATES = ("visible", "pending", "hidden", "deleted")


def print_growth(growth: dict[str, Any]) -> None:
    print("\ngrowth, large site over small (time per request):")
    for name, page in growth["pages"].items():
        if "factor" not in page:
            print(f"  {name:<24} not measured")
            continue
        print(
            f"  {name:<24} {page['small_rps']:>8.1f} → {page['large_rps']:>8.1f} req/s, "
            f"p50 {page['small_p50_ms']:.1f} → {page['large_p50_ms']:.1f} ms: "
            f"×{page['factor']:.2f} (limit ×{page['limit']})  "
            + (_verdict(page["ok"]) if name in GROWTH_PAGES else "reference")
        )
