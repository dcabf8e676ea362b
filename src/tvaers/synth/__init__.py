"""Synthetic data: a contract-valid delivery of an artificial population (`tvaers generate`).

Public API (in tvaers.synth.generate): `generate(out, *, region, scale, years, seed, fmt,
person_key, split_by_source, progress) -> GenerationResult` and `fixture(out, fmt,
person_key)` for tests. Calibration knobs: tvaers.synth.rates. Key figures of a generated
delivery: `python -m tvaers.synth.check DIR [YEAR]`.
"""

from tvaers.domains import CliEntry, Domain

DOMAIN = Domain(
    name="synth",
    title_da="Syntetiske data",
    title_en="Synthetic data",
    cli=(CliEntry("generate", "tvaers.synth.cli:generate_command", group=False),),
)
