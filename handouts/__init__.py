"""The patient-handout press: YAML content to tiered, accessible PDF handouts.

Stages, in the order data flows: load, check, plan, render, printing, publish.
`engine` runs them for the command line.
"""

__version__ = "0.1.0"
