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
    """Time per request on the large site over the small one, for the pages that must scale.

    The two sites are measured minutes apart, so each time is taken relative to the ceiling
    measured beside it (the inverse of the ratio): whatever else the machine did meanwhile
    slows both alike. The plain factor of requests per second is kept for comparison.
    """
    pages = {}
    small_pages = {p["name"]: p for p in small["pages"]}
    large_pages = {p["name"]: p for p in large["pages"]}
    for name in GROWTH_PAGES + REFERENCE_PAGES:
        before, after = small_pages.get(name, {}), large_pages.get(name, {})
        if not before.get("ratio") or not after.get("ratio"):
            pages[name] = {"ok": False, "why": "not measured"}
            continue
        factor = before["ratio"] / after["ratio"]
        pages[name] = {
            "small_rps": round(before["app"]["rps"], 1),
            "large_rps": round(after["app"]["rps"], 1),
            "small_ratio": before["ratio"],
            "large_ratio": after["ratio"],
            "small_p50_ms": before["app"]["p50_us"] / 1000,
            "large_p50_ms": after["app"]["p50_us"] / 1000,
            "factor": round(factor, 3),
            "plain_factor": round(before["app"]["rps"] / after["app"]["rps"], 3),
            "limit": GROWTH_LIMIT,
            "ok": factor <= GROWTH_LIMIT,
        }
    checked = [pages[name]["ok"] for name in GROWTH_PAGES]
    # The 5,000-comment thread's first page on the large site against bench-200 on the small.
    before, after = small_pages.get("article-reader", {}), large_pages.get("huge-reader", {})
    if before.get("ratio") and after.get("ratio"):
        factor = before["ratio"] / after["ratio"]
        pages["huge-reader"] = {
            "small_rps": round(before["app"]["rps"], 1),
            "large_rps": round(after["app"]["rps"], 1),
            "small_ratio": before["ratio"],
            "large_ratio": after["ratio"],
            "factor": round(factor, 3),
            "plain_factor": round(before["app"]["rps"] / after["app"]["rps"], 3),
            "limit": GROWTH_LIMIT,
            "ok": factor <= GROWTH_LIMIT,
        }
        checked.append(pages["huge-reader"]["ok"])
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
    print("\ngrowth, large site over small (time per request, relative to the ceiling):")
    for name, page in growth["pages"].items():
        if "factor" not in page:
            print(f"  {name:<24} not measured")
            continue
        print(
            f"  {name:<24} ratio {page['small_ratio']:.2f} → {page['large_ratio']:.2f}, "
            f"{page['small_rps']:>7.1f} → {page['large_rps']:>7.1f} req/s: "
            f"×{page['factor']:.2f} (limit ×{page['limit']}; plain ×{page['plain_factor']:.2f})  "
            + (_verdict(page["ok"]) if name not in REFERENCE_PAGES else "reference")
        )


def markdown(run: dict[str, Any]) -> str:
    """The figures of a results file as Markdown tables (for the README)."""
    lines = []
    for suite in run["suites"]:
        lines.append(f"\n{suite['size']} site, {suite['database']}:\n")
        lines.append("| page | bytes | req/s | p50 ms | p99 ms | ceiling req/s | ratio | target |")
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for page in suite["pages"]:
            app, ceiling = page.get("app"), page.get("ceiling")
            if not app:
                continue
            target = f"{page['target']:.2f}" if page["target"] is not None else "–"
            lines.append(
                f"| {page['name']} | {page['bytes']:,} | {app['rps']:,.0f} | "
                f"{app['p50_us'] / 1000:.1f} | {app['p99_us'] / 1000:.1f} | "
                f"{ceiling['rps']:,.0f} | {page['ratio']:.2f} | {target} |"
            )
        lines.append(f"\npeak resident memory: {suite['memory']['peak_resident_mb']:.0f} MB")
    growth = run.get("growth")
    if growth:
        lines.append(
            "\n| page | small: ratio (req/s) | large: ratio (req/s) | factor (limit 1.5) |"
        )
        lines.append("| --- | ---: | ---: | ---: |")
        for name, page in growth["pages"].items():
            if "factor" in page:
                lines.append(
                    f"| {name} | {page['small_ratio']:.2f} ({page['small_rps']:,.0f}) | "
                    f"{page['large_ratio']:.2f} ({page['large_rps']:,.0f}) | "
                    f"{page['factor']:.2f} |"
                )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m bench.figures bench/results/<file>.json
    import json
    import sys
    from pathlib import Path

    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
