"""Plan: a checked Library into jobs, one per output, each with its fingerprint.

Takes a `Library` and a `Project`; gives `Job`s (one PDF) and `Packet`s (a topic's
tiers in one PDF). A fingerprint hashes every input that can change the output,
the engine's and libraries' `versions` included, so an unchanged fingerprint means
nothing to print. `uptodate` answers "nothing changed" before anything heavy loads.
"""
