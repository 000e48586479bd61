"""The patient-handout press: YAML content to tiered, accessible PDF handouts.

The folder tree is the pipeline, in the order data flows:

    content/   load: YAML files into a typed Library that remembers every line
    checks/    check: the Library's problems as findings (file, line, column)
    plan/      plan: one job per output, each with the fingerprint of its inputs
    press/     render and print: a job to HTML (Jinja), then to tagged PDF (WeasyPrint)
    publish/   publish: atomic writes, then the manifest
    commands/  the command's front-ends: what it prints, watch mode

`engine` runs the stages for every front-end. `findings` and `project` are the
vocabulary they share. Imports run one way: commands -> engine -> stages -> content.
"""

__version__ = "0.1.0"
