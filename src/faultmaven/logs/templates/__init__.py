"""Log template mining: each message becomes a template with `<*>` for its variables.

Public API::

    miner = TemplateMiner(MinerConfig())           # or TemplateMiner()
    miner.add(message) -> TemplateAssignment       # online; provisional if the shape is new
    miner.add_batch(messages) -> list[TemplateAssignment]
    miner.extend(messages) -> None                 # add_batch without the answer
    miner.flush() -> None                          # mine the shapes still waiting
    miner.final_assignments() -> list[TemplateAssignment]  # every message, final template
    miner.take_final_assignments() -> list[TemplateAssignment]  # the same, then forget them
    miner.templates() -> list[TemplateCount]       # template, group, count
    miner.export_state() -> dict                   # plain JSON-able data
    TemplateMiner.from_state(state, config=None) -> TemplateMiner

`TemplateAssignment.group` is `group_of(template)`, a short hash of the template text, so
messages are grouped by their template and the id is the same in every run and tenant.
`mask(message)` is the variable masking alone.
"""

from faultmaven.logs.templates.masking import mask
from faultmaven.logs.templates.miner import MinerConfig, TemplateCount, TemplateMiner, group_of
from faultmaven.logs.templates.mining import MiningSettings

__all__ = [
    "MinerConfig",
    "MiningSettings",
    "TemplateCount",
    "TemplateMiner",
    "group_of",
    "mask",
]
