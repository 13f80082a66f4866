"""Named scales of generated stock history used by the benchmarks."""

SCALES = {
    # name: arguments of GeneratorSpec
    "10k": {"products": 200, "locations": 10, "move_lines": 10_000},
    "100k": {"products": 1_000, "locations": 40, "move_lines": 100_000},
    "1m": {"products": 10_000, "locations": 40, "move_lines": 1_000_000},
    "10m": {"products": 100_000, "locations": 40, "move_lines": 10_000_000},
}
COMMON = {"lot_share": 0.2, "days": 730, "valued_share": 0.5, "seed": 1}


def spec_kwargs(scale):
    if scale not in SCALES:
        raise SystemExit(
            f"error: unknown scale {scale!r}; choose one of {', '.join(SCALES)}"
        )
    return dict(COMMON, **SCALES[scale])
